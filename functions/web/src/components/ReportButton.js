import { html } from "htm/preact";
import { useState } from "preact/hooks";
import { MAX_DETAILS, REASONS, reportBody, reportProblem } from "../moderation.js";

/**
 * "Report" for a post, a comment or a profile: opens a small form with a reason picker and optional
 * details, sends it once confirmed, and says so. {@code what} names the thing ("the post by @alice").
 */
export function ReportButton({ api, target, what, idPrefix }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [details, setDetails] = useState("");
  const [problem, setProblem] = useState(null);
  const [done, setDone] = useState("");
  const [busy, setBusy] = useState(false);

  const send = async (e) => {
    e.preventDefault();
    const wrong = reportProblem(reason, details);
    setProblem(wrong);
    if (wrong) return;
    setBusy(true);
    try {
      await api.report(reportBody(target, reason, details));
      setOpen(false);
      setDone("Thank you: moderators will look at " + what + ".");
    } catch (err) {
      setProblem(err.message);
    } finally {
      setBusy(false);
    }
  };

  if (!open) {
    return html`<span class="report">
      <button type="button" class="link" aria-label=${"Report " + what} onClick=${() => { setOpen(true); setDone(""); }}>Report</button>
      <span class="meta" role="status">${done}</span></span>`;
  }
  const legendId = idPrefix + "-report-legend";
  return html`
    <form class="report card" aria-labelledby=${legendId} onSubmit=${send}>
      <fieldset>
        <legend id=${legendId}>Report ${what}: why?</legend>
        ${REASONS.map(([name, label]) => html`
          <label key=${name}><input type="radio" name=${idPrefix + "-reason"} value=${name} checked=${reason === name}
            onChange=${() => setReason(name)} /> ${label}</label>`)}
      </fieldset>
      <label for=${idPrefix + "-details"}>Details for the moderators${reason === "other" ? "" : " (optional)"}</label>
      <textarea id=${idPrefix + "-details"} maxlength=${MAX_DETAILS} value=${details}
        onInput=${(e) => setDetails(e.currentTarget.value)}></textarea>
      ${problem && html`<p class="error" role="alert">${problem}</p>`}
      <button disabled=${busy}>Send report</button>
      <button type="button" onClick=${() => { setOpen(false); setProblem(null); }}>Cancel</button>
    </form>`;
}
