import { html } from "htm/preact";
import { ChartCanvas, wilson } from "./Charts.js";
import { describeWeights, formatP, guardrailName, guardrailValue, percent, pointsInterval, sampleSizeText } from "../experiments.js";

/** A table wide enough to scroll on a phone: the region can be reached and scrolled with the keyboard. */
const Scroll = ({ label, children }) => html`<div class="scroll" role="region" aria-label=${label} tabindex="0">${children}</div>`;

/**
 * One metric of an experiment: each variant's rate with its 95 % interval as a chart, and a table with
 * the fixed-horizon comparison beside the always-valid one, then the sample size the fixed test needs.
 */
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
  const sequential = (v) => (v.control ? ["—", "—"] : v.sequential
    ? [formatP(v.sequential.pValue) + (v.sequential.significant ? " significant" : ""), pointsInterval(v.sequential.low95, v.sequential.high95)]
    : ["n/a", "n/a"]);
  return html`
    <figure class="metric">
      <figcaption>${metric.metric}</figcaption>
      <${ChartCanvas} config=${config} label=${"Chart of " + caption} />
      <${Scroll} label=${metric.metric + " per variant"}>
        <table>
          <caption class="meta">Rate per variant with its 95 % interval; each treatment against the control, fixed-horizon and always valid</caption>
          <thead><tr><th scope="col">variant</th><th scope="col">exposed</th><th scope="col">converted</th><th scope="col">rate (95 %)</th>
            <th scope="col">lift (95 %), fixed horizon</th><th scope="col">p-value, fixed horizon</th>
            <th scope="col">p-value, always valid</th><th scope="col">difference, 95 % confidence sequence</th></tr></thead>
          <tbody>
            ${metric.variants.map((v, i) => html`<tr key=${v.name}>
              <th scope="row">${v.name}${v.control ? " (control)" : ""}</th><td>${v.exposures}</td><td>${v.conversions}</td>
              <td>${percent(v.rate)} (${percent(intervals[i][0])}–${percent(intervals[i][1])})</td>
              <td>${v.control ? "—" : v.lift ? percent(v.lift.value) + " (" + percent(v.lift.low95) + "–" + percent(v.lift.high95) + ")" : "n/a"}</td>
              <td>${v.control ? "—" : typeof v.pValue === "number" ? formatP(v.pValue) + (v.significant ? " significant" : "") : "n/a"}</td>
              <td>${sequential(v)[0]}</td><td>${sequential(v)[1]}</td>
            </tr>`)}
          </tbody>
        </table>
      <//>
      <p class="meta">${sampleSizeText(metric.sampleSize, metric.variants)}</p>
    </figure>`;
}

/** The sample-ratio check: a broken split is an alert, a sound one a plain line. */
function SampleRatio({ check, quiet }) {
  if (!check) return null;
  const format = (x) => (x < 0.0001 ? x.toExponential(2) : x.toFixed(4));
  const p = format(check.pValue);
  // The always-valid p-value is what the automatic stop reads at every check; older APIs do not send it.
  const always = typeof check.alwaysValidPValue === "number"
    ? html` The automatic stop's always-valid check, which may be read at any time: p = ${format(check.alwaysValidPValue)}.` : "";
  return check.mismatch
    ? html`<p class="error" role=${quiet ? undefined : "alert"}>Sample ratio mismatch (p = ${p}): the variants did not receive the shares their weights
        give; the results are not to be trusted until the cause is found.${always}</p>`
    : html`<p class="meta">Sample ratio check passed: the exposures follow the weights (chi-square ${check.chiSquare.toFixed(2)},
        ${check.degreesOfFreedom} degrees of freedom, p = ${p}; a mismatch is p below ${check.threshold}).${always}</p>`;
}

/** The guardrails per variant, when the API measures them: a degraded one stands out in words, not colour alone. */
function Guardrails({ experimentId, guardrails }) {
  if (!Array.isArray(guardrails) || guardrails.length === 0) return null;
  const titleId = "guardrails-" + experimentId;
  return html`
    <h4 id=${titleId}>Guardrails</h4>
    <p class="meta">Harm that should stop the experiment, per variant; the control is the baseline.</p>
    <${Scroll} label=${"Guardrails of " + experimentId}>
      <table aria-labelledby=${titleId}>
        <thead><tr><th scope="col">guardrail</th><th scope="col">variant</th><th scope="col">value</th><th scope="col">users</th>
          <th scope="col">p-value</th><th scope="col">state</th></tr></thead>
        <tbody>
          ${guardrails.map((g) => html`<tr key=${g.metric + "/" + g.variant} class=${g.degraded ? "degraded" : ""}>
            <th scope="row">${guardrailName(g.metric)}</th><td>${g.variant}</td><td>${guardrailValue(g.metric, g.value)}</td>
            <td>${typeof g.n === "number" ? g.n.toLocaleString("en") : "n/a"}</td>
            <td>${typeof g.pValue === "number" ? formatP(g.pValue) : "—"}</td>
            <td>${g.degraded ? html`<strong>Degraded</strong>` : "ok"}</td>
          </tr>`)}
        </tbody>
      </table>
    <//>`;
}

/** An experiment's results: which figures to trust, the split check, each metric, the guardrails, earlier revisions. */
export function ExperimentResults({ experimentId, results }) {
  const earlier = results.earlierRevisions || [];
  return html`
    <section aria-label=${"Results of " + experimentId}>
      <h4>Results${results.revision ? html` <span class="meta">revision ${results.revision}</span>` : ""}</h4>
      <p class="hint"><strong>Which to trust:</strong> if you look before the planned end, or more than once, read the
        always-valid p-value and confidence sequence: they stay valid however often you look. Read the fixed-horizon
        figures once, when the sample size is reached, on a date chosen in advance; read early and often, they find a
        winner in about 28 % of experiments where there is no difference.</p>
      <${SampleRatio} check=${results.sampleRatio} />
      ${(results.metrics || []).map((m) => html`<${MetricResult} key=${m.metric} experimentId=${experimentId} metric=${m} />`)}
      <${Guardrails} experimentId=${experimentId} guardrails=${results.guardrails} />
      ${earlier.length > 0 && html`
        <details>
          <summary>${earlier.length} earlier ${earlier.length === 1 ? "revision" : "revisions"}, counted apart</summary>
          ${earlier.map((r) => html`<div key=${r.revision}>
            <p><strong>Revision ${r.revision}</strong>: ${describeWeights(r.variants)}</p>
            <${SampleRatio} check=${r.sampleRatio} quiet=${true} />
            ${(r.metrics || []).map((m) => html`<p class="meta" key=${m.metric}>${m.metric}: ${m.variants.map((v) =>
              v.name + " " + v.conversions + "/" + v.exposures + " (" + percent(v.rate) + ")").join(", ")}</p>`)}
          </div>`)}
        </details>`}
    </section>`;
}
