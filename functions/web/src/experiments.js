// What the console needs to manage experiments without a round trip for each mistake: the API's own
// rules for a definition (ExperimentConfig and ExperimentRoutes, mirrored here so a form names the field
// to fix before sending), the server's refusals mapped back to the field they name, the shares that
// weights give, and the results' figures in words.

/** An experiment id or a variant name, as the API accepts them. */
export const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const METRICS = ["likes", "comments", "posts"];
export const GUARDRAILS = ["error_rate", "p95_latency", "unlike_rate", "unfollow_rate"];
export const GUARDRAIL_NAMES = {
  error_rate: "Error rate",
  p95_latency: "95th percentile latency",
  unlike_rate: "Unlike rate",
  unfollow_rate: "Unfollow rate",
};
/** A weight is a whole number of the 10,000 assignment buckets' shares. */
export const MAX_WEIGHT = 10_000;
export const MAX_REASON = 500;
/** Who signs the automatic stop in the change log. */
export const GUARDRAILS_ACTOR = "system:guardrails";

const isWhole = (text) => /^\s*\d+\s*$/.test(String(text));

/** A weight typed in a form: the whole number, or null when it is not one from 1 to 10,000. */
export function parseWeight(text) {
  if (!isWhole(text)) return null;
  const n = Number(text);
  return n >= 1 && n <= MAX_WEIGHT ? n : null;
}

/** Each variant's share of the users in the experiment, in percent (weights are relative, not percentages). */
export function shares(variants) {
  const total = variants.reduce((sum, v) => sum + (Number(v.weight) || 0), 0);
  return variants.map((v) => (total > 0 ? ((Number(v.weight) || 0) * 100) / total : 0));
}

/** "chronological 1 (50 %), affinity 1 (50 %)": each weight and the share it gives. */
export function describeWeights(variants) {
  const s = shares(variants);
  return variants.map((v, i) => v.name + " " + v.weight + " (" + roundShare(s[i]) + " %)").join(", ");
}

const roundShare = (x) => (Math.round(x * 10) / 10).toString();

/** The validation problems of a variants list (names and weights as typed), keyed "variants". */
function variantProblems(variants) {
  if (variants.length < 2) return "List at least two variants.";
  const seen = new Set();
  for (const [i, v] of variants.entries()) {
    const name = (v.name || "").trim();
    if (!ID.test(name)) return "Variant " + (i + 1) + " needs a name of lower-case letters, digits and '-' (at most 63).";
    if (seen.has(name)) return "Variant '" + name + "' is listed twice.";
    seen.add(name);
    if (parseWeight(v.weight) === null) return "Variant '" + name + "' needs a whole weight from 1 to 10,000.";
  }
  return null;
}

/** An allocation as typed: the problem, or null. */
function allocationProblem(text) {
  return isWhole(text) && Number(text) >= 1 && Number(text) <= 100 ? null : "The allocation is a whole percentage from 1 to 100.";
}

function reasonProblem(reason) {
  return (reason || "").trim().length > MAX_REASON ? "A reason is at most " + MAX_REASON + " characters." : null;
}

/** A date typed as YYYY-MM-DD, as the instant of its start in UTC; null when it is not a date. */
export function dayToInstant(day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day || "")) return null;
  const date = new Date(day + "T00:00:00Z");
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? null : date.toISOString().replace(".000Z", "Z");
}

/**
 * A new experiment's form checked with the API's rules: {field: problem}, empty when it may be sent.
 * form: {id, description, variants: [{name, weight}], control, metrics: [], start, end (YYYY-MM-DD),
 * allocation, lift (percent, optional), guardrails: []}; existingIds the ids in use.
 */
export function validateNewExperiment(form, existingIds = []) {
  const problems = {};
  const id = (form.id || "").trim();
  if (!ID.test(id)) problems.id = "The id is lower-case letters, digits and '-', starting with a letter or digit (at most 63).";
  else if (existingIds.includes(id)) problems.id = "An experiment '" + id + "' exists; choose another id.";
  const variants = variantProblems(form.variants || []);
  if (variants) problems.variants = variants;
  const names = (form.variants || []).map((v) => (v.name || "").trim());
  if (!names.includes(form.control)) problems.control = "The control must be one of the variants.";
  if (!(form.metrics || []).length) problems.metrics = "Choose at least one metric.";
  const start = dayToInstant(form.start);
  const end = dayToInstant(form.end);
  if (!start) problems.start = "Give the start as a date.";
  if (!end) problems.end = "Give the end as a date.";
  else if (start && end <= start) problems.end = "The end must be after the start.";
  const allocation = allocationProblem(form.allocation);
  if (allocation) problems.allocation = allocation;
  const lift = (form.lift ?? "").toString().trim();
  if (lift !== "" && !(Number(lift) > 0 && Number(lift) <= 100)) {
    problems.minimumDetectableLift = "The minimum detectable lift is a percentage above 0 and at most 100.";
  }
  if ((form.guardrails || []).some((g) => !GUARDRAILS.includes(g))) problems.guardrails = "Unknown guardrail.";
  return problems;
}

/** The body of POST /v1/experiments for a valid form; guardrails only when some are chosen. */
export function newExperimentBody(form) {
  const body = {
    id: form.id.trim(),
    surface: "feed",
    variants: form.variants.map((v) => ({ name: v.name.trim(), weight: parseWeight(v.weight) })),
    control: form.control,
    metrics: METRICS.filter((m) => form.metrics.includes(m)),
    start: dayToInstant(form.start),
    end: dayToInstant(form.end),
    allocation: Number(form.allocation),
  };
  if ((form.description || "").trim()) body.description = form.description.trim();
  const lift = (form.lift ?? "").toString().trim();
  if (lift !== "") body.minimumDetectableLift = Number(lift) / 100;
  if ((form.guardrails || []).length) body.guardrails = GUARDRAILS.filter((g) => form.guardrails.includes(g));
  return body;
}

/** A change of weights and allocation checked with the API's rules: {field: problem}. */
export function validateChange(form) {
  const problems = {};
  const variants = variantProblems(form.variants);
  if (variants) problems.variants = variants;
  const allocation = allocationProblem(form.allocation);
  if (allocation) problems.allocation = allocation;
  const reason = reasonProblem(form.reason);
  if (reason) problems.reason = reason;
  return problems;
}

/**
 * The body of PATCH /v1/experiments/{id}: only what differs from the experiment (every variant when one
 * weight does, as the API wants them), and the reason when one is given; null when nothing would change.
 */
export function changeBody(experiment, form) {
  const body = {};
  const variants = form.variants.map((v) => ({ name: v.name, weight: parseWeight(v.weight) }));
  if (variants.some((v, i) => v.weight !== experiment.variants[i].weight)) body.variants = variants;
  if (Number(form.allocation) !== experiment.allocation) body.allocation = Number(form.allocation);
  if (Array.isArray(form.guardrails)) {
    const chosen = GUARDRAILS.filter((g) => form.guardrails.includes(g));
    if (!sameGuardrails(chosen, experiment.guardrails)) body.guardrails = chosen;
  }
  if (Object.keys(body).length === 0) return null;
  const reason = (form.reason || "").trim();
  if (reason) body.reason = reason;
  return body;
}

/** Whether two lists name the same guardrails, in any order. */
function sameGuardrails(a, b) {
  const x = GUARDRAILS.filter((g) => (a || []).includes(g));
  const y = GUARDRAILS.filter((g) => (b || []).includes(g));
  return x.length === y.length && x.every((g, i) => g === y[i]);
}

const FORM_FIELDS = ["id", "description", "variants", "control", "metrics", "start", "end", "allocation",
  "minimumDetectableLift", "guardrails", "reason"];

/**
 * A change form brought up to date after the experiment changed under it (someone else's write, read again
 * after a 412): what the person edited stays, what they left as it was takes the new value, so sending it again
 * changes only what they meant to. The weights go together: if any was edited, all are kept as typed.
 */
export function rebaseChange(form, base, current) {
  const formOf = (experiment) => experiment.variants.map((v) => ({ name: v.name, weight: String(v.weight) }));
  const sameVariants = form.variants.length === current.variants.length
    && current.variants.every((v, i) => v.name === form.variants[i].name);
  const weightsEdited = form.variants.length !== base.variants.length
    || form.variants.some((v, i) => parseWeight(v.weight) !== base.variants[i].weight);
  return {
    ...form,
    variants: sameVariants && weightsEdited ? form.variants : formOf(current),
    allocation: Number(form.allocation) === base.allocation ? String(current.allocation) : form.allocation,
    ...(Array.isArray(form.guardrails) ? { guardrails: sameGuardrails(form.guardrails, base.guardrails)
      ? GUARDRAILS.filter((g) => (current.guardrails || []).includes(g)) : form.guardrails } : {}),
  };
}

/**
 * What a refused write means for the page: "conflict" when someone else wrote first (412, or 409
 * experiments_changed when the writes raced), "stored" when it was stored and logged but waits for a
 * deployment still rolling out (409 deployment_in_progress), "fields" when the definition is refused
 * (400, or an id in use), else "other".
 */
export function writeOutcome(error) {
  if (error.status === 412 || error.code === "experiments_changed") return "conflict";
  if (error.code === "deployment_in_progress") return "stored";
  if (error.status === 400 || error.code === "experiment_exists") return "fields";
  return "other";
}

/** The form fields the API's problems can name, in the words ExperimentConfig uses. */
const FIELD_PATTERNS = [
  [/\.id must|is declared twice/, "id"],
  [/variant|\.variants/, "variants"],
  [/\.control /, "control"],
  [/metric/, "metrics"],
  [/\.start /, "start"],
  [/\.end /, "end"],
  [/\.allocation /, "allocation"],
  [/\.minimumDetectableLift /, "minimumDetectableLift"],
  [/guardrail/, "guardrails"],
  [/\.description /, "description"],
  [/\.status /, "status"],
];

/**
 * A refusal of the API (an ApiError) as {field: message}: each problem next to the field it names, the
 * rest under "form". An invalid experiment's message lists its problems after "fix: ", joined by "; ".
 */
export function fieldErrors(error) {
  const out = {};
  const add = (field, message) => { out[field] = out[field] ? out[field] + " " + message : message; };
  const message = error.message || "";
  if (error.code === "experiment_exists") return { id: message };
  if (error.code === "invalid_reason") return { reason: message };
  if (error.code === "unknown_field") {
    // "Unknown field(s) [guardrails]; this route accepts [...]": the first named field, when the form has it.
    const named = (message.match(/^Unknown field\(s\) \[([^\],]*)/) || [])[1];
    return { [FORM_FIELDS.includes(named) ? named : "form"]: message };
  }
  if (error.code === "invalid_experiment" && message.includes("fix: ")) {
    const problems = message.slice(message.indexOf("fix: ") + 5).split("; ");
    for (const problem of problems) {
      const field = FIELD_PATTERNS.find(([pattern]) => pattern.test(problem));
      // "experiment 'x'.end must be after its start" reads "End must be after its start."
      const words = problem.replace(/^(?:experiment '[^']*'|experiments\[\d+\])[.\s]?/, "");
      add(field ? field[1] : "form", capitalise(words) + ".");
    }
    return out;
  }
  return { form: message };
}

const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** A rate as a percentage with two decimals: "12.34 %". */
export const percent = (x) => (x * 100).toFixed(2) + " %";

/** A p-value in four decimals, or "< 0.0001" for the tiny ones the tests give with enough data. */
export function formatP(p) {
  if (typeof p !== "number" || Number.isNaN(p)) return "n/a";
  return p < 0.0001 ? "< 0.0001" : p.toFixed(4);
}

/** A difference of rates in percentage points, signed: "+1.20 pp". */
export function points(x) {
  const value = (x * 100).toFixed(2);
  return (x > 0 ? "+" : x < 0 ? "−" : "") + value.replace("-", "") + " pp";
}

/** An interval of a difference in percentage points: "−0.50 pp to +2.90 pp". */
export const pointsInterval = (low, high) => points(low) + " to " + points(high);

/** A guardrail's measured value: milliseconds for the latency, a percentage for the rates. */
export function guardrailValue(metric, value) {
  if (typeof value !== "number") return "n/a";
  return metric === "p95_latency" ? Math.round(value).toLocaleString("en") + " ms" : percent(value);
}

/** A guardrail metric's name for people ("Error rate"); an unknown one as the API names it. */
export const guardrailName = (metric) => GUARDRAIL_NAMES[metric] || metric;

/** Whether the stage's API knows guardrails: its listed experiments carry the field. */
export const guardrailsSupported = (items) => (items || []).some((e) => Object.prototype.hasOwnProperty.call(e, "guardrails"));

/** Who made a change or a stop, in words: the automatic stop, a handle, or the token subject. */
export function actorName(by) {
  if (!by) return "someone";
  if (by.id === GUARDRAILS_ACTOR) return "the automatic guardrails";
  return by.handle ? "@" + by.handle : by.id;
}

/** A value of a change-log entry in words: weights as "a 50, b 50", lists joined, nothing as "—". */
export function changeValue(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) {
    return value.map((v) => (v && typeof v === "object" && "name" in v ? v.name + " " + v.weight : String(v))).join(", ");
  }
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/**
 * The sample-size line of a metric: how many users each variant needs for the fixed-horizon test, and
 * whether every variant has them.
 */
export function sampleSizeText(sampleSize, variants) {
  if (!sampleSize) return "";
  const lift = Math.round(sampleSize.minimumDetectableLift * 1000) / 10 + " %";
  if (sampleSize.perVariant === null || sampleSize.perVariant === undefined) {
    return "Sample size: not known until someone in the control converts (it depends on the control's rate).";
  }
  const smallest = Math.min(...variants.map((v) => v.exposures));
  return "Sample size: " + sampleSize.perVariant.toLocaleString("en") + " users per variant to detect a " + lift
    + " lift over the control's " + percent(sampleSize.controlRate) + " at 5 % with 80 % power; "
    + (sampleSize.reached ? "reached." : "not reached yet (the smallest variant has " + smallest.toLocaleString("en") + ").");
}
