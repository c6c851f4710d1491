import { html } from "htm/preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { link } from "../router.js";
import { openExport } from "./DataExport.js";

const VERBS = { like: "liked your post", comment: "commented on your post", follow: "followed you",
  follow_request: "asked to follow you", follow_approved: "approved your follow request" };
/** What moderators did: said as such, not as a person's act. */
const MODERATION = {
  post_removed: "Moderators took down your post",
  comment_removed: "Moderators took down your comment on a post",
  account_suspended: "Moderators suspended your account",
};
/** What Glint itself tells: no person did it. */
const GLINT = { export_ready: "Your data export is ready" };

/** One notification in words: who did what, and when. */
export function describe(notification) {
  if (MODERATION[notification.kind]) return MODERATION[notification.kind];
  if (GLINT[notification.kind]) return GLINT[notification.kind];
  const who = notification.actor && notification.actor.handle ? "@" + notification.actor.handle : "Someone";
  return who + " " + (VERBS[notification.kind] || notification.kind);
}

/**
 * The newest notifications with an unread count in the heading (its accessible name carries it),
 * and a button that marks them all read. Read again whenever the app's version moves: its clock ticks, or
 * the socket tells of a new notification (the event names the actor by id only; the list names them).
 */
export function Notifications({ api, version, live = false, onError }) {
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

  const unread = items ? items.filter((n) => !n.read).length : 0;
  const markRead = async () => {
    try {
      await api.markRead(items[0].id);
      await load();
    } catch (err) {
      onError(err);
    }
  };

  return html`
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications${unread > 0 && html` <span class="badge" aria-label=${unread + " unread"}>${unread}</span>`}</h2>
      <p class="meta">${live ? "Live: new notifications appear as they happen." : "Read again every 30 seconds."}</p>
      <button type="button" onClick=${load}>Refresh notifications</button>
      ${unread > 0 && html`<button type="button" onClick=${markRead}>Mark all as read</button>`}
      ${items && items.length === 0 && html`<p class="meta">No notifications yet.</p>`}
      ${items && items.length > 0 && html`
        <ul aria-label="Notifications">
          ${items.map((n) => html`<li key=${n.id} class=${n.read ? "read" : "unread"}>${n.kind === "export_ready" && n.exportId
            ? html`${describe(n)} <button type="button" onClick=${() => openExport(api, n.exportId).catch(onError)}>Download my data export</button>`
            : n.postId
            ? html`<a href=${link.post(n.postId)}>${describe(n)}</a>` : n.actor && n.actor.handle
              ? html`<a href=${link.user(n.actor.handle)}>${describe(n)}</a>` : describe(n)}${!n.read && html` <span class="meta">(new)</span>`}
            <span class="meta">· ${new Date(n.createdAt).toLocaleString()}</span></li>`)}
        </ul>`}
    </section>`;
}
