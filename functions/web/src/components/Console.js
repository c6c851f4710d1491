import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { ChartCanvas } from "./Charts.js";
import { Experiments } from "./Experiments.js";
import { Moderation } from "./Moderation.js";

const isoDay = (date) => date.toISOString().slice(0, 10);

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
    api.experiments().then(setExperiments, (err) => {
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
      <${Experiments} api=${api} list=${experiments} onError=${onError} />
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
