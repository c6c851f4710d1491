// Reports and moderation as the web client sees them: the reasons a person picks from and what a
// report or a decision must hold before it is sent (the API says the same with a 400 otherwise).

/** The reasons, in the order offered, as the API names them (POST /v1/reports) and as a person reads them. */
export const REASONS = [
  ["spam", "Spam"],
  ["harassment", "Harassment or bullying"],
  ["hate", "Hate"],
  ["violence", "Violence or threats"],
  ["nudity", "Nudity or sexual content"],
  ["self_harm", "Self-harm"],
  ["misinformation", "False information"],
  ["other", "Something else"],
];

export const MAX_DETAILS = 1000;
export const MAX_DECISION_REASON = 500;

const count = (text) => [...text].length;

/** What is wrong with a report before it is sent, in words, or null when it can be sent. */
export function reportProblem(reason, details) {
  if (!REASONS.some(([name]) => name === reason)) return "Pick a reason.";
  const text = (details || "").trim();
  if (reason === "other" && !text) return "Say what is wrong when you pick \u201cSomething else\u201d.";
  if (count(text) > MAX_DETAILS) return "Keep the details to " + MAX_DETAILS + " characters (" + count(text) + " now).";
  return null;
}

/** The body of POST /v1/reports for a target ({postId} | {postId, commentId} | {handle}). */
export function reportBody(target, reason, details) {
  const body = { ...target, reason };
  const text = (details || "").trim();
  if (text) body.details = text;
  return body;
}

/** What is wrong with a decision before it is sent, or null: a takedown needs a reason its owner will read. */
export function decisionProblem(action, reason) {
  const text = (reason || "").trim();
  if (action === "takedown" && !text) return "Give the reason for the takedown: its owner reads it.";
  if (count(text) > MAX_DECISION_REASON) return "Keep the reason to " + MAX_DECISION_REASON + " characters.";
  return null;
}

/** A report's target in words, for the queue. */
export function describeTarget(report) {
  const owner = "@" + ((report.owner && report.owner.handle) || "someone");
  const target = report.target || {};
  if (target.kind === "comment") return "A comment by " + owner;
  if (target.kind === "account") return "The account " + owner;
  return "A post by " + owner;
}

/** The reasons reporters gave, most given first: "spam 2, hate 1". */
export function describeReasons(reasons) {
  return Object.entries(reasons || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, n]) => name + " " + n).join(", ");
}
