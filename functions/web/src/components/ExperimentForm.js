import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { GUARDRAILS, METRICS, changeBody, fieldErrors, guardrailName, rebaseChange, shares, validateChange,
  validateNewExperiment, newExperimentBody, writeOutcome } from "../experiments.js";

/** A field's problem, under it and tied to it (aria-describedby), so a screen reader reads it with the field. */
const Problem = ({ id, text }) => text ? html`<p id=${id} class="field-error">${text}</p>` : null;
const invalid = (errors, field, id) => (errors[field]
  ? { "aria-invalid": "true", "aria-describedby": id + "-error" } : {});

/** Moves the focus to the first field with a problem, as a person fixing the form would go there next. */
function focusFirst(prefix, errors, order) {
  const field = order.find((f) => errors[f]);
  const element = field && document.getElementById(prefix + field);
  if (element) element.focus();
}

/**
 * Sends a create or a change and says how it went: a 412 or a lost race to onConflict, a write stored but not
 * yet deployed to onStored, field problems beside their fields (focus on the first), anything else on the form.
 */
async function send(write, { prefix, order, setBusy, setErrors, onConflict, onStored }) {
  setBusy(true);
  try {
    await write();
  } catch (err) {
    const outcome = writeOutcome(err);
    if (outcome === "conflict") {
      onConflict(err);
    } else if (outcome === "stored") {
      onStored(err);
    } else if (outcome === "fields") {
      const byField = fieldErrors(err);
      setErrors(byField);
      focusFirst(prefix, byField, order);
    } else {
      setErrors({ form: err.message });
    }
  } finally {
    setBusy(false);
  }
}

/**
 * Variants with their weights, each row a name and a whole weight, with the share it gives; names are
 * editable only for a new experiment (a change keeps the variants, as the control and counts refer to them).
 */
function VariantRows({ prefix, variants, onChange, editableNames, errors }) {
  const s = shares(variants);
  const set = (i, key, value) => onChange(variants.map((v, j) => (j === i ? { ...v, [key]: value } : v)));
  return html`
    <fieldset id=${prefix + "variants"} tabindex="-1" ...${invalid(errors, "variants", prefix + "variants")}>
      <legend>Variants and weights</legend>
      <p class="hint">Weights are relative whole numbers (1 to 10,000): 1 and 1 split users in half, like 50 and 50.</p>
      ${variants.map((v, i) => html`
        <div class="variant-row" key=${i}>
          ${editableNames ? html`
            <span><label for=${prefix + "name-" + i}>Variant ${i + 1} name</label>
              <input id=${prefix + "name-" + i} type="text" value=${v.name} autocomplete="off"
                onInput=${(e) => set(i, "name", e.currentTarget.value)} /></span>` : ""}
          <span><label for=${prefix + "weight-" + i}>Weight of ${editableNames ? "variant " + (i + 1) : v.name}</label>
            <input id=${prefix + "weight-" + i} type="number" min="1" max="10000" step="1" inputmode="numeric" value=${v.weight}
              aria-describedby=${prefix + "share-" + i} onInput=${(e) => set(i, "weight", e.currentTarget.value)} /></span>
          <span id=${prefix + "share-" + i} class="meta">${Number.isFinite(s[i]) ? Math.round(s[i] * 10) / 10 : 0} % of users</span>
          ${editableNames && variants.length > 2 ? html`<button type="button"
            onClick=${() => onChange(variants.filter((_, j) => j !== i))}>Remove variant ${i + 1}</button>` : ""}
        </div>`)}
      ${editableNames ? html`<button type="button" onClick=${() => onChange([...variants, { name: "", weight: "1" }])}>Add a variant</button>` : ""}
      <${Problem} id=${prefix + "variants-error"} text=${errors.variants} />
    </fieldset>`;
}

const NEW_ORDER = ["id", "description", "variants", "control", "metrics", "start", "end", "allocation", "minimumDetectableLift", "guardrails", "form"];
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A new experiment, checked here with the API's rules before it is sent; what the API still refuses is
 * shown next to the field it names. Guardrails are offered only where the API takes them.
 */
export function NewExperimentForm({ api, version, existingIds, offerGuardrails, onCreated, onCancel, onConflict, onStored }) {
  const [form, setForm] = useState({ id: "", description: "", variants: [{ name: "control", weight: "1" }, { name: "treatment", weight: "1" }],
    control: "control", metrics: ["likes"], start: today(), end: inDays(30), allocation: "100", lift: "", guardrails: [] });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const p = "new-experiment-";
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const toggle = (key, value) => (e) => setForm({ ...form,
    [key]: e.currentTarget.checked ? [...form[key], value] : form[key].filter((x) => x !== value) });
  const names = form.variants.map((v) => v.name.trim()).filter(Boolean);

  const submit = async (e) => {
    e.preventDefault();
    const problems = validateNewExperiment(form, existingIds);
    setErrors(problems);
    if (Object.keys(problems).length) {
      focusFirst(p, problems, NEW_ORDER);
      return;
    }
    await send(async () => onCreated(await api.createExperiment(newExperimentBody(form), version)),
      { prefix: p, order: NEW_ORDER, setBusy, setErrors, onConflict, onStored });
  };

  return html`
    <form class="card experiment-form" onSubmit=${submit} noValidate aria-labelledby="new-experiment-title">
      <h3 id="new-experiment-title">New experiment</h3>
      <label for=${p + "id"}>Id</label>
      <input id=${p + "id"} type="text" value=${form.id} autocomplete="off" onInput=${set("id")}
        ...${invalid(errors, "id", p + "id")} aria-describedby=${errors.id ? p + "id-error" : p + "id-hint"} />
      <p id=${p + "id-hint"} class="hint">Lower-case letters, digits and '-', such as feed-ranking-2.</p>
      <${Problem} id=${p + "id-error"} text=${errors.id} />
      <label for=${p + "description"}>Description (optional)</label>
      <input id=${p + "description"} type="text" value=${form.description} onInput=${set("description")} ...${invalid(errors, "description", p + "description")} />
      <${Problem} id=${p + "description-error"} text=${errors.description} />
      <${VariantRows} prefix=${p} variants=${form.variants} editableNames=${true} errors=${errors}
        onChange=${(variants) => setForm({ ...form, variants })} />
      <label for=${p + "control"}>Control</label>
      <select id=${p + "control"} value=${form.control} onChange=${set("control")} ...${invalid(errors, "control", p + "control")}>
        ${!names.includes(form.control) && html`<option value=${form.control}>(choose a variant)</option>`}
        ${names.map((n) => html`<option key=${n} value=${n}>${n}</option>`)}
      </select>
      <${Problem} id=${p + "control-error"} text=${errors.control} />
      <fieldset id=${p + "metrics"} tabindex="-1" ...${invalid(errors, "metrics", p + "metrics")}>
        <legend>Success metrics</legend>
        ${METRICS.map((m) => html`<label class="inline" key=${m}><input type="checkbox" checked=${form.metrics.includes(m)}
          onChange=${toggle("metrics", m)} /> ${m}</label>`)}
        <${Problem} id=${p + "metrics-error"} text=${errors.metrics} />
      </fieldset>
      <div class="dates">
        <span><label for=${p + "start"}>Start (UTC)</label>
          <input id=${p + "start"} type="date" value=${form.start} onInput=${set("start")} ...${invalid(errors, "start", p + "start")} />
          <${Problem} id=${p + "start-error"} text=${errors.start} /></span>
        <span><label for=${p + "end"}>End (UTC)</label>
          <input id=${p + "end"} type="date" value=${form.end} onInput=${set("end")} ...${invalid(errors, "end", p + "end")} />
          <${Problem} id=${p + "end-error"} text=${errors.end} /></span>
      </div>
      <label for=${p + "allocation"}>Allocation (% of users in the experiment)</label>
      <input id=${p + "allocation"} type="number" min="1" max="100" step="1" inputmode="numeric" value=${form.allocation}
        onInput=${set("allocation")} ...${invalid(errors, "allocation", p + "allocation")} />
      <${Problem} id=${p + "allocation-error"} text=${errors.allocation} />
      <label for=${p + "minimumDetectableLift"}>Minimum detectable lift (%, optional)</label>
      <input id=${p + "minimumDetectableLift"} type="number" min="0" max="100" step="any" value=${form.lift} onInput=${set("lift")}
        ...${invalid(errors, "minimumDetectableLift", p + "minimumDetectableLift")}
        aria-describedby=${errors.minimumDetectableLift ? p + "minimumDetectableLift-error" : p + "lift-hint"} />
      <p id=${p + "lift-hint"} class="hint">The smallest relative lift worth detecting; 10 % when left empty. It sets the sample size.</p>
      <${Problem} id=${p + "minimumDetectableLift-error"} text=${errors.minimumDetectableLift} />
      ${offerGuardrails && html`
        <fieldset id=${p + "guardrails"} tabindex="-1" ...${invalid(errors, "guardrails", p + "guardrails")}>
          <legend>Guardrails (optional)</legend>
          <p class="hint">Measured per variant; a degraded one stops the experiment.</p>
          ${GUARDRAILS.map((g) => html`<label class="inline" key=${g}><input type="checkbox" checked=${form.guardrails.includes(g)}
            onChange=${toggle("guardrails", g)} /> ${guardrailName(g)}</label>`)}
          <${Problem} id=${p + "guardrails-error"} text=${errors.guardrails} />
        </fieldset>`}
      <p id=${p + "form"} tabindex="-1" class=${errors.form ? "field-error" : ""}>${errors.form || ""}</p>
      <div class="actions">
        <button disabled=${busy}>Create the experiment</button>
        <button type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>`;
}

const CHANGE_ORDER = ["variants", "allocation", "guardrails", "reason", "form"];

/**
 * New weights, allocation or guardrails (where the API lists them) for an experiment, sent with the version
 * they were read at.
 */
export function ChangeForm({ api, experiment, version, onChanged, onCancel, onConflict, onStored, onNothing }) {
  const [form, setForm] = useState({ variants: experiment.variants.map((v) => ({ name: v.name, weight: String(v.weight) })),
    allocation: String(experiment.allocation), reason: "",
    ...(Array.isArray(experiment.guardrails) ? { guardrails: [...experiment.guardrails] } : {}) });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  // The experiment as the form was filled from; when the list is read again, the form follows what changed.
  const [base, setBase] = useState(experiment);
  useEffect(() => {
    if (experiment === base) return;
    setForm((current) => rebaseChange(current, base, experiment));
    setBase(experiment);
  }, [experiment]);
  const p = "change-" + experiment.id + "-";
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const toggle = (value) => (e) => setForm({ ...form,
    guardrails: e.currentTarget.checked ? [...form.guardrails, value] : form.guardrails.filter((x) => x !== value) });

  const submit = async (e) => {
    e.preventDefault();
    const problems = validateChange(form);
    setErrors(problems);
    if (Object.keys(problems).length) {
      focusFirst(p, problems, CHANGE_ORDER);
      return;
    }
    const body = changeBody(experiment, form);
    if (!body) {
      onNothing();
      return;
    }
    await send(async () => onChanged(await api.changeExperiment(experiment.id, body, version)),
      { prefix: p, order: CHANGE_ORDER, setBusy, setErrors, onConflict, onStored });
  };

  return html`
    <form class="experiment-form" onSubmit=${submit} noValidate aria-label=${"Change " + experiment.id}>
      <${VariantRows} prefix=${p} variants=${form.variants} editableNames=${false} errors=${errors}
        onChange=${(variants) => setForm({ ...form, variants })} />
      <label for=${p + "allocation"}>Allocation of ${experiment.id} (% of users)</label>
      <input id=${p + "allocation"} type="number" min="1" max="100" step="1" inputmode="numeric" value=${form.allocation}
        onInput=${set("allocation")} ...${invalid(errors, "allocation", p + "allocation")} />
      <${Problem} id=${p + "allocation-error"} text=${errors.allocation} />
      ${Array.isArray(form.guardrails) && html`
        <fieldset id=${p + "guardrails"} tabindex="-1" ...${invalid(errors, "guardrails", p + "guardrails")}>
          <legend>Guardrails of ${experiment.id}</legend>
          <p class="hint">Measured per variant; a degraded one stops the experiment.</p>
          ${GUARDRAILS.map((g) => html`<label class="inline" key=${g}><input type="checkbox" checked=${form.guardrails.includes(g)}
            onChange=${toggle(g)} /> ${guardrailName(g)}</label>`)}
          <${Problem} id=${p + "guardrails-error"} text=${errors.guardrails} />
        </fieldset>`}
      <label for=${p + "reason"}>Reason (optional, kept in the change log)</label>
      <input id=${p + "reason"} type="text" maxlength="500" value=${form.reason} onInput=${set("reason")}
        ...${invalid(errors, "reason", p + "reason")} />
      <${Problem} id=${p + "reason-error"} text=${errors.reason} />
      <p class="hint">New weights or allocation start a new revision: users are counted afresh from now.</p>
      <p id=${p + "form"} tabindex="-1" class=${errors.form ? "field-error" : ""}>${errors.form || ""}</p>
      <div class="actions">
        <button disabled=${busy}>Save the change</button>
        <button type="button" onClick=${onCancel}>Cancel</button>
      </div>
    </form>`;
}
