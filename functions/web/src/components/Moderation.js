import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { Handle } from "./RichText.js";
import { link } from "../router.js";
import { decisionProblem, describeReasons, describeTarget, MAX_DECISION_REASON } from "../moderation.js";

/** One open report: what it is about, who reported it and why, and the two decisions. */
function ReportCard({ api, report, onDecided }) {
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState(null);
  const [busy, setBusy] = useState(false);
  const titleId = "report-" + report.id.replace(/[^A-Za-z0-9_-]/g, "_");
  const what = describeTarget(report);

  const decide = async (action) => {
    const wrong = decisionProblem(action, reason);
    setProblem(wrong);
    if (wrong) return;
    setBusy(true);
    try {
      const decided = action === "takedown" ? await api.takedown(report.id, reason.trim()) : await api.dismiss(report.id, reason.trim());
      onDecided(decided, action);
    } catch (err) {
      // 409: someone decided it meanwhile; the queue is read again either way.
      setProblem(err.message);
      if (err.status === 409) onDecided(null, action);
    } finally {
      setBusy(false);
    }
  };

  const target = report.target || {};
  return html`
    <li class="card" aria-labelledby=${titleId}>
      <h3 id=${titleId}>${what}</h3>
      <p class="meta">${(report.reporters === 1 ? "1 person" : report.reporters + " people") + " reported it ("
        + describeReasons(report.reasons) + ") · first " + new Date(report.firstReportedAt).toLocaleString()}</p>
      ${report.preview && html`<blockquote>${report.preview}</blockquote>`}
      ${report.details && html`<p>Reporter's words: ${report.details}</p>`}
      <p>${target.postId && html`<a href=${link.post(target.postId)}>Open the post</a>`}
        ${target.kind === "account" && target.account && html`<${Handle} handle=${target.account.handle} />`}</p>
      <label for=${titleId + "-reason"}>Reason (its owner reads it)</label>
      <input id=${titleId + "-reason"} type="text" maxlength=${MAX_DECISION_REASON} value=${reason}
        onInput=${(e) => setReason(e.currentTarget.value)} />
      ${problem && html`<p class="error" role="alert">${problem}</p>`}
      <button type="button" disabled=${busy} aria-label=${"Take down: " + what} onClick=${() => decide("takedown")}>Take down</button>
      <button type="button" disabled=${busy} aria-label=${"Dismiss the report: " + what} onClick=${() => decide("dismiss")}>Dismiss</button>
    </li>`;
}

/** A decision of the log in words: when, who, what about which thing, and why. */
function decisionLine(a) {
  const what = describeTarget({ owner: a.owner, target: a.target }).replace(/^A /, "a ").replace(/^The /, "the ");
  return new Date(a.at).toLocaleString() + ": @" + ((a.moderator && a.moderator.handle) || a.moderator.id)
    + (a.action === "takedown" ? " took down " : " dismissed the report of ") + what + (a.reason ? " (" + a.reason + ")" : "");
}

/**
 * The moderator group's queue: open reports, oldest first, each taken down or dismissed; and the log
 * of decisions. Shown only when the API lets the caller read the queue (the moderator group); to
 * anyone else it renders nothing.
 */
export function Moderation({ api, onAllowed = () => {} }) {
  const [queue, setQueue] = useState(null);
  const [next, setNext] = useState(null);
  const [actions, setActions] = useState([]);
  const [allowed, setAllowed] = useState(null);
  const [status, setStatus] = useState("");
  const [error, setError] = useState(null);

  const load = async () => {
    try {
      const page = await api.moderationQueue();
      setQueue(page.items || []);
      setNext(page.next || null);
      setAllowed(true);
      onAllowed(true);
      setActions((await api.moderationActions()).items || []);
    } catch (err) {
      // Not a moderator (403), signed out (401), or a stage without the routes (404): nothing to show.
      if ([401, 403, 404].includes(err.status)) setAllowed(false);
      else setError(err.message);
    }
  };
  useEffect(() => {
    load();
  }, [api]);

  const more = async () => {
    try {
      const page = await api.moderationQueue(next);
      setQueue((old) => old.concat(page.items || []));
      setNext(page.next || null);
    } catch (err) {
      setError(err.message);
    }
  };

  const decided = (report, action) => {
    if (report) setStatus((action === "takedown" ? "Taken down: " : "Dismissed: ") + describeTarget(report) + ".");
    load();
  };

  if (!allowed) return error ? html`<div class="error" role="alert"><p>${error}</p></div>` : null;
  return html`
    <section aria-labelledby="moderation-title">
      <h2 id="moderation-title">Reports to moderate</h2>
      <p class="meta" role="status">${status}</p>
      ${error && html`<div class="error" role="alert"><p>${error}</p></div>`}
      ${queue.length === 0 ? html`<p class="meta">No open reports.</p>` : html`
        <ol class="queue" aria-label="Open reports, oldest first">
          ${queue.map((r) => html`<${ReportCard} key=${r.id} api=${api} report=${r} onDecided=${decided} />`)}
        </ol>`}
      ${next && html`<button type="button" onClick=${more}>More reports</button>`}
      <h3 id="actions-title">Decisions</h3>
      ${actions.length === 0 ? html`<p class="meta">None yet.</p>` : html`
        <ul aria-labelledby="actions-title">
          ${actions.map((a) => html`<li key=${a.id}>${decisionLine(a)}</li>`)}
        </ul>`}
    </section>`;
}
