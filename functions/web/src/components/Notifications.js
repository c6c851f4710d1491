import { html } from "htm/preact";
import { useCallback, useEffect, useState } from "preact/hooks";

const VERBS = { like: "liked your post", comment: "commented on your post", follow: "followed you" };

/** One notification in words: who did what, and when. */
export function describe(notification) {
  const who = notification.actor && notification.actor.handle ? "@" + notification.actor.handle : "Someone";
  return who + " " + (VERBS[notification.kind] || notification.kind);
}

export function Notifications({ api, version, onError }) {
  const [items, setItems] = useState(null);

  const load = useCallback(async () => {
    try {
      setItems((await api.notifications()).items);
    } catch (err) {
      onError(err);
    }
  }, [api, onError]);

  useEffect(() => {
    load();
  }, [load, version]);

  return html`
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      <button type="button" onClick=${load}>Refresh notifications</button>
      ${items && items.length === 0 && html`<p class="meta">No notifications yet.</p>`}
      ${items && items.length > 0 && html`
        <ul aria-labelledby="notifications-title">
          ${items.map((n) => html`<li key=${n.id}>${describe(n)} <span class="meta">· ${new Date(n.createdAt).toLocaleString()}</span></li>`)}
        </ul>`}
    </section>`;
}
