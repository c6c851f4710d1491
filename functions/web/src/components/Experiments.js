import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { ExperimentResults } from "./ExperimentResults.js";
import { ChangeForm, NewExperimentForm } from "./ExperimentForm.js";
import { GUARDRAILS_ACTOR, actorName, changeValue, describeWeights, fieldErrors, guardrailName,
  guardrailsSupported, writeOutcome } from "../experiments.js";

const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
const day = (iso) => (iso ? new Date(iso).toLocaleDateString() : "—");

/** An experiment's change log, newest first: who, when, what, why. */
function ChangeLog({ experimentId, changes }) {
  const titleId = "changes-" + experimentId;
  return html`
    <section aria-labelledby=${titleId}>
      <h4 id=${titleId}>Changes of ${experimentId}</h4>
      ${changes.length === 0 ? html`<p class="meta">No changes recorded.</p>` : html`
        <ol class="changes">
          ${changes.map((c) => html`<li key=${c.version + c.at} class=${c.by && c.by.id === GUARDRAILS_ACTOR ? "automatic" : ""}>
            <strong>${c.action === "created" ? "Created" : "Changed"}</strong> by ${actorName(c.by)}${", "}
            <time datetime=${c.at}>${when(c.at)}</time> (version ${c.version})${c.reason ? html`: “${c.reason}”` : ""}
            ${c.action !== "created" && html`<ul>${Object.entries(c.fields || {}).map(([name, f]) => html`
              <li key=${name}>${name}: ${changeValue(f.before)} → ${changeValue(f.after)}</li>`)}</ul>`}
          </li>`)}
        </ol>`}
    </section>`;
}

/**
 * Whether a written change moved users (new weights or allocation: a new revision of the results), rather than
 * only what is watched (guardrails). Without the written experiment, assume it did.
 */
function changedAssignment(written, before) {
  const after = written && written.experiment;
  if (!after) return true;
  return after.allocation !== before.allocation || JSON.stringify(after.variants) !== JSON.stringify(before.variants);
}

/** Why an experiment is stopped and by whom; the automatic stop by the guardrails stands out. */
function Stopped({ experiment }) {
  if (experiment.status !== "stopped") return null;
  const automatic = experiment.stoppedBy && experiment.stoppedBy.id === GUARDRAILS_ACTOR;
  return html`<p class=${automatic ? "stopped automatic" : "stopped"}>
    <strong>${automatic ? "Stopped automatically by the guardrails" : "Stopped by " + actorName(experiment.stoppedBy)}</strong>${
      experiment.stoppedReason ? ": " + experiment.stoppedReason.replace(/[.!]?$/, ".") : "."}
    ${" "}Everyone sees the control and nothing is counted until it runs again.</p>`;
}

/**
 * One experiment: its status, weights and allocation, and what a product team does with it: change the
 * weights or allocation, stop or run it again, read its results and its change log.
 */
function ExperimentCard({ api, experiment, version, onWritten, onConflict, onStored, onStatus, onError }) {
  const [editing, setEditing] = useState(false);
  const [results, setResults] = useState(null);
  const [changes, setChanges] = useState(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState(null);
  const [busy, setBusy] = useState(false);
  const id = experiment.id;
  const titleId = "experiment-" + id;
  const stopped = experiment.status === "stopped";

  const load = (read, set) => async () => {
    try {
      set(await read(id));
    } catch (err) {
      onError(err);
    }
  };
  // An open change log follows the experiment's changes (the list's version moves with every write).
  useEffect(() => {
    if (changes) load(api.experimentChanges, setChanges)();
  }, [version]);

  const setStatus = async (status) => {
    setBusy(true);
    setReasonError(null);
    try {
      const body = { status };
      if (reason.trim()) body.reason = reason.trim();
      await api.changeExperiment(id, body, version);
      setReason("");
      onWritten((status === "stopped" ? "Stopped " : "Running again: ") + id + ".");
    } catch (err) {
      const outcome = writeOutcome(err);
      if (outcome === "conflict") {
        onConflict(err);
      } else if (outcome === "stored") {
        setReason("");
        onStored(err);
      } else if (outcome === "fields" && fieldErrors(err).reason) {
        setReasonError(fieldErrors(err).reason);
      } else {
        onError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  return html`
    <article class="card experiment" aria-labelledby=${titleId}>
      <h3 id=${titleId}>${id} <span class=${"status " + experiment.status}>${experiment.status}</span></h3>
      ${experiment.description && html`<p>${experiment.description}</p>`}
      <${Stopped} experiment=${experiment} />
      <dl class="facts">
        <dt>Variants and weights</dt><dd>${describeWeights(experiment.variants || [])}; control ${experiment.control}</dd>
        <dt>Allocation</dt><dd>${experiment.allocation} % of users</dd>
        <dt>Metrics</dt><dd>${(experiment.metrics || []).join(", ")}</dd>
        <dt>Window</dt><dd>${day(experiment.start)} to ${day(experiment.end)}</dd>
        ${Array.isArray(experiment.guardrails) && experiment.guardrails.length > 0 && html`
          <dt>Guardrails</dt><dd>${experiment.guardrails.map(guardrailName).join(", ")}</dd>`}
      </dl>
      ${version !== undefined && html`
        <div class="actions">
          <button type="button" aria-expanded=${editing} onClick=${() => setEditing(!editing)}>Change weights of ${id}</button>
        </div>
        ${editing && html`<${ChangeForm} api=${api} experiment=${experiment} version=${version}
          onChanged=${(written) => { setEditing(false); onWritten("Changed " + id + (changedAssignment(written, experiment)
            ? ": a new revision starts." : ".")); }}
          onCancel=${() => setEditing(false)} onConflict=${onConflict}
          onStored=${(err) => { setEditing(false); onStored(err); }}
          onNothing=${() => onStatus("Nothing to change: the weights and allocation are as they are.")} />`}
        <div class="status-change">
          <label for=${"status-reason-" + id}>Reason to ${stopped ? "run" : "stop"} ${id} (optional)</label>
          <input id=${"status-reason-" + id} type="text" maxlength="500" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)}
            aria-invalid=${reasonError ? "true" : undefined} aria-describedby=${reasonError ? "status-reason-" + id + "-error" : undefined} />
          ${reasonError && html`<p id=${"status-reason-" + id + "-error"} class="field-error">${reasonError}</p>`}
          <button type="button" disabled=${busy} onClick=${() => setStatus(stopped ? "running" : "stopped")}>
            ${stopped ? "Run " + id + " again" : "Stop " + id}</button>
        </div>`}
      <div class="actions">
        <button type="button" onClick=${load(api.results, setResults)}>Show results of ${id}</button>
        ${version !== undefined && html`<button type="button" onClick=${load(api.experimentChanges, setChanges)}>Show changes of ${id}</button>`}
      </div>
      ${results && html`<${ExperimentResults} experimentId=${id} results=${results} />`}
      ${changes && html`<${ChangeLog} experimentId=${id} changes=${changes.items || []} />`}
    </article>`;
}

/**
 * The experiments as the API stores them, and their management: a new experiment, each one's weights,
 * allocation and status, results and change log. Every write carries the version the list was read at;
 * when someone else wrote since (412), the list is read again and the person told. list is the answer of
 * GET /v1/experiments the console read first; a stage whose experiments are a file has no version, and
 * offers no changes.
 */
export function Experiments({ api, list, onError }) {
  const [current, setCurrent] = useState(list);
  const [creating, setCreating] = useState(false);
  const [status, setStatus] = useState("");
  useEffect(() => setCurrent(list), [list]);

  const reload = async () => {
    try {
      setCurrent(await api.experiments());
    } catch (err) {
      onError(err);
    }
  };
  const onWritten = async (message) => {
    await reload();
    setStatus(message);
  };
  const onConflict = async () => {
    await reload();
    setStatus("Someone else changed the experiments since you opened them. They have been read again: check what they are now "
      + "and make your change again.");
  };

  // Stored and logged, but not deployed yet: the API's message says when it goes out.
  const onStored = (err) => onWritten(err.message);

  if (current === null || current === undefined) {
    return html`<section aria-labelledby="experiments-title"><h2 id="experiments-title">Experiments</h2>
      <p role="status">Loading the experiments…</p></section>`;
  }
  const items = current.items || [];
  const managed = current.version !== undefined && current.version !== null;
  return html`
    <section aria-labelledby="experiments-title" class="experiments">
      <h2 id="experiments-title">Experiments</h2>
      <p role="status" class="notice">${status}</p>
      ${managed ? html`
        <div class="actions"><button type="button" aria-expanded=${creating} onClick=${() => setCreating(!creating)}>New experiment</button></div>
        ${creating && html`<${NewExperimentForm} api=${api} version=${current.version} existingIds=${items.map((e) => e.id)}
          offerGuardrails=${guardrailsSupported(items)} onCancel=${() => setCreating(false)} onConflict=${onConflict}
          onStored=${(err) => { setCreating(false); onStored(err); }}
          onCreated=${(written) => { setCreating(false); onWritten("Created " + written.experiment.id + "."); }} />`}`
        : html`<p class="meta">This stage's experiments are a file: they change with a deploy.</p>`}
      ${items.length === 0 ? html`<p class="meta">No experiments.</p>`
        : items.map((e) => html`<${ExperimentCard} key=${e.id} api=${api} experiment=${e} version=${managed ? current.version : undefined}
          onWritten=${onWritten} onConflict=${onConflict} onStored=${onStored} onStatus=${setStatus} onError=${onError} />`)}
    </section>`;
}
