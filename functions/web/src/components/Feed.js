import { html } from "htm/preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { Post } from "./Post.js";

/**
 * The home feed, a page at a time. New posts told of by the socket do not move the list under the reader:
 * a button says how many there are and shows them when asked.
 */
export function Feed({ api, me, version, newPosts = 0, onShowNew = () => {}, onError }) {
  const [items, setItems] = useState(null);
  const [cursor, setCursor] = useState(null);
  const [order, setOrder] = useState("newest");

  const load = useCallback(async (after) => {
    try {
      const page = await api.feed(after);
      setItems((old) => (after && old ? old.concat(page.items) : page.items));
      setCursor(page.next || null);
      if (!after) setOrder(page.order || "newest");
    } catch (err) {
      onError(err);
    }
  }, [api, onError]);

  useEffect(() => {
    load(null);
  }, [load, version]);

  return html`
    <section class="card" aria-labelledby="feed-title">
      <h2 id="feed-title">Your feed</h2>
      <div role="status">${newPosts > 0 && html`<button type="button" onClick=${() => { onShowNew(); load(null); }}>
        Show ${newPosts === 1 ? "1 new post" : newPosts + " new posts"}</button>`}</div>
      <button type="button" onClick=${() => load(null)}>Refresh feed</button>
      ${order === "interactions" && html`<p class="hint">People you like and comment on most come first; the rest follow, newest first.</p>`}
      ${items && items.length === 0 && html`<p class="meta">Nothing yet: follow someone or share a photo.</p>`}
      ${items && items.map((post) => html`<${Post} key=${post.id} api=${api} post=${post} me=${me} onError=${onError} />`)}
      ${cursor && html`<button type="button" onClick=${() => load(cursor)}>More posts</button>`}
    </section>`;
}
