import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { ChartCanvas, wilson } from "./Charts.js";
import { Moderation } from "./Moderation.js";

const percent = (x) => (x * 100).toFixed(2) + " %";
const isoDay = (date) => date.toISOString().slice(0, 10);

/** One metric of an experiment: each variant's rate with its 95 % interval, as a chart and as a table. */
function MetricResult({ experimentId, metric }) {
  const names = metric.variants.map((v) => v.name);
  const intervals = metric.variants.map((v) => wilson(v.conversions, v.exposures));
  const config = {
    type: "bar",
    data: {
      labels: names,
      datasets: [
        { type: "bar", label: "95 % interval", data: intervals, backgroundColor: "rgba(6, 69, 173, 0.25)" },
        { type: "scatter", label: "rate", data: metric.variants.map((v, i) => ({ x: names[i], y: v.rate })), backgroundColor: "#0645ad" },
      ],
    },
    options: { scales: { y: { beginAtZero: true, title: { display: true, text: metric.metric + " rate" } } } },
  };
  const caption = experimentId + ", " + metric.metric + ": " + metric.variants.map((v, i) =>
    v.name + " " + percent(v.rate) + " (95 % " + percent(intervals[i][0]) + " to " + percent(intervals[i][1]) + ")").join("; ");
  return html`
    <figure class="metric">
      <figcaption>${metric.metric}</figcaption>
      <${ChartCanvas} config=${config} label=${"Chart of " + caption} />
      <table>
        <caption class="meta">Rate per variant, its 95 % interval, and against the control</caption>
        <thead><tr><th scope="col">variant</th><th scope="col">exposed</th><th scope="col">converted</th><th scope="col">rate (95 %)</th>
          <th scope="col">lift (95 %)</th><th scope="col">p-value</th></tr></thead>
        <tbody>
          ${metric.variants.map((v, i) => html`<tr key=${v.name}>
            <th scope="row">${v.name}${v.control ? " (control)" : ""}</th><td>${v.exposures}</td><td>${v.conversions}</td>
            <td>${percent(v.rate)} (${percent(intervals[i][0])}–${percent(intervals[i][1])})</td>
            <td>${v.control ? "—" : v.lift ? percent(v.lift.value) + " (" + percent(v.lift.low95) + "–" + percent(v.lift.high95) + ")" : "n/a"}</td>
            <td>${v.control ? "—" : typeof v.pValue === "number" ? v.pValue.toFixed(4) + (v.significant ? " significant" : "") : "n/a"}</td>
          </tr>`)}
        </tbody>
      </table>
    </figure>`;
}

/** An experiment: its setup, and its results on demand. */
function ExperimentCard({ api, experiment, onError }) {
  const [results, setResults] = useState(null);
  const load = async () => {
    try {
      setResults(await api.results(experiment.id));
    } catch (err) {
      onError(err);
    }
  };
  const titleId = "experiment-" + experiment.id;
  return html`
    <article class="card" aria-labelledby=${titleId}>
      <h3 id=${titleId}>${experiment.id} <span class="meta">${experiment.status}</span></h3>
      ${experiment.description && html`<p>${experiment.description}</p>`}
      <p class="meta">Variants: ${(experiment.variants || []).map((v) => v.name + " " + v.weight + " %").join(", ")} ·
        allocation ${experiment.allocation} % · ${experiment.start ? new Date(experiment.start).toLocaleDateString() : "—"} to
        ${experiment.end ? new Date(experiment.end).toLocaleDateString() : "—"}</p>
      <button type="button" onClick=${load}>Show results of ${experiment.id}</button>
      ${results && html`
        <section aria-label=${"Results of " + experiment.id}>
          ${results.sampleRatio && results.sampleRatio.mismatch && html`
            <p class="error" role="alert">Sample ratio mismatch (p = ${results.sampleRatio.pValue.toExponential(2)}): the variants did not
              receive the shares their weights give; the results are not to be trusted until the cause is found.</p>`}
          ${(results.metrics || []).map((m) => html`<${MetricResult} key=${m.metric} experimentId=${experiment.id} metric=${m} />`)}
        </section>`}
    </article>`;
}

/** The daily report over a chosen range, as a chart of each count and the top hashtags. */
function DailyReport({ api, onError }) {
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 6 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [report, setReport] = useState(null);
  const load = async (e) => {
    if (e) e.preventDefault();
    try {
      setReport(await api.dailyReport(from, to));
    } catch (err) {
      onError(err);
    }
  };
  useEffect(() => {
    load();
  }, []);
  const days = (report && report.days) || [];
  const series = ["newUsers", "posts", "likes", "comments", "activeUsers"];
  const colours = ["#0645ad", "#b35c00", "#0a7d32", "#8a0019", "#555"];
  const config = {
    type: "line",
    data: { labels: days.map((d) => d.date),
      datasets: series.map((name, i) => ({ label: name, data: days.map((d) => d[name] || 0), borderColor: colours[i], backgroundColor: colours[i] })) },
    options: { scales: { y: { beginAtZero: true } } },
  };
  const tags = {};
  days.forEach((d) => Object.entries(d.topHashtags || {}).forEach(([tag, n]) => { tags[tag] = (tags[tag] || 0) + n; }));
  const top = Object.entries(tags).sort((a, b) => b[1] - a[1]).slice(0, 10);
  return html`
    <section class="card" aria-labelledby="report-title">
      <h2 id="report-title">Daily report</h2>
      <form onSubmit=${load} class="range">
        <label for="report-from">From</label><input id="report-from" type="date" value=${from} onInput=${(e) => setFrom(e.currentTarget.value)} />
        <label for="report-to">To</label><input id="report-to" type="date" value=${to} onInput=${(e) => setTo(e.currentTarget.value)} />
        <button>Show the report</button>
      </form>
      ${report && html`
        <${ChartCanvas} config=${config} label=${"Chart of the daily report from " + from + " to " + to + ": "
          + days.map((d) => d.date + " " + series.map((s) => s + " " + (d[s] || 0)).join(", ")).join("; ")} />
        <h3 id="tags-title">Top hashtags</h3>
        ${top.length === 0 ? html`<p class="meta">None in this range.</p>` : html`
          <ol aria-labelledby="tags-title">${top.map(([tag, n]) => html`<li key=${tag}>#${tag} (${n})</li>`)}</ol>`}`}
    </section>`;
}

/**
 * The product group's console: the stage and version serving, the experiments with their results,
 * and the daily report. Anyone else signed in gets a page that says it is not for them.
 */
export function Console({ api, signedIn }) {
  const [experiments, setExperiments] = useState(null);
  const [refused, setRefused] = useState(null);
  const [health, setHealth] = useState(null);
  const [error, setError] = useState(null);
  // Whether the caller may moderate (the queue answered them): a moderator outside the product group is told
  // the experiments are not for them without being told the whole console is not.
  const [moderator, setModerator] = useState(false);
  const onError = (err) => setError(err ? err.message : null);

  useEffect(() => {
    if (!signedIn) return;
    api.health().then(setHealth, () => setHealth(null));
    api.experiments().then((list) => setExperiments(list.items || []), (err) => {
      if (err.status === 403 || err.status === 401) setRefused(err);
      else onError(err);
    });
  }, [api, signedIn]);

  let body;
  if (!signedIn) {
    body = html`<section class="card" aria-labelledby="console-title"><h2 id="console-title">Sign in first</h2>
      <p>The console uses your Glint sign-in. <a href="/">Sign in at Glint</a>, then come back.</p></section>`;
  } else if (refused && moderator) {
    body = html`<section class="card" aria-labelledby="console-title"><h2 id="console-title">Moderation</h2>
      <p class="meta">You are in the moderator group; the experiments and reports are for the product group.</p></section>`;
  } else if (refused) {
    body = html`<section class="card" aria-labelledby="console-title"><h2 id="console-title">This console is for the product group</h2>
      <p>${refused.status === 401 ? "Your sign-in has expired: sign in again at Glint." : "You are signed in, but not in the product group, so the experiments and reports are not shown to you."}</p>
      <p><a href="/">Back to Glint</a></p></section>`;
  } else {
    body = html`
      <section class="card" aria-labelledby="stage-title">
        <h2 id="stage-title">Serving</h2>
        <p>${health ? (health.status === 200 ? "Healthy" : "Unhealthy (" + health.status + ")") + " · version " + (health.version || "unknown") : "Checking…"}</p>
      </section>
      <section aria-labelledby="experiments-title">
        <h2 id="experiments-title">Experiments</h2>
        ${experiments === null ? html`<p role="status">Loading the experiments…</p>`
          : experiments.length === 0 ? html`<p class="meta">No experiments.</p>`
          : experiments.map((e) => html`<${ExperimentCard} key=${e.id} api=${api} experiment=${e} onError=${onError} />`)}
      </section>
      <${DailyReport} api=${api} onError=${onError} />`;
  }
  return html`
    <header class="bar"><h1>Glint console</h1><p class="meta"><a href="/">Glint</a></p></header>
    <main>
      ${error && html`<div class="error" role="alert"><p>${error}</p></div>`}
      ${body}
      ${signedIn && html`<${Moderation} api=${api} onAllowed=${setModerator} />`}
    </main>`;
}
