import { html } from "htm/preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { link } from "../router.js";

/**
 * The follow requests waiting on my private account, newest first, each with buttons to approve or deny
 * it (named with the handle, so each has its own accessible name). An answered request leaves the list.
 */
export function FollowRequests({ api, version, onAnswered, onError }) {
  const [items, setItems] = useState(null);
  const [status, setStatus] = useState("");

  const load = useCallback(async () => {
    try {
      setItems((await api.followRequests()).items);
    } catch (err) {
      onError(err);
    }
  }, [api, onError]);

  useEffect(() => {
    load();
  }, [load, version]);

  const answer = async (handle, approve) => {
    try {
      await (approve ? api.approveRequest(handle) : api.denyRequest(handle));
      setStatus(approve ? "@" + handle + " follows you now." : "You denied @" + handle + "'s request.");
      onError(null);
      await load();
      if (onAnswered) onAnswered();
    } catch (err) {
      onError(err);
    }
  };

  return html`
    <section class="card" aria-labelledby="requests-title">
      <h2 id="requests-title">Follow requests</h2>
      ${items && items.length === 0 && html`<p class="meta">Nobody is waiting for your approval.</p>`}
      ${items && items.length > 0 && html`
        <ul aria-label="Follow requests">
          ${items.map((person) => html`<li key=${person.id}>
            <a href=${link.user(person.handle)}>@${person.handle}</a>${person.displayName && " (" + person.displayName + ")"}
            <button type="button" aria-label=${"Approve @" + person.handle} onClick=${() => answer(person.handle, true)}>Approve</button>
            <button type="button" aria-label=${"Deny @" + person.handle} onClick=${() => answer(person.handle, false)}>Deny</button>
          </li>`)}
        </ul>`}
      <p class="meta" role="status">${status}</p>
    </section>`;
}
