import { html } from "htm/preact";

/** The last error, in words; the region is always there so that screen readers announce a new one. */
export function ErrorBanner({ message, onDismiss }) {
  return html`
    <div class="error" role="alert">
      ${message && html`<p>${message}</p><button type="button" onClick=${onDismiss}>Dismiss</button>`}
    </div>`;
}
