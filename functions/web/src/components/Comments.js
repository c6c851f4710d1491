import { html } from "htm/preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { Handle, RichText } from "./RichText.js";
import { ReportButton } from "./ReportButton.js";

/**
 * A post's comments, oldest first, each deletable by its author or the post's author; a comment
 * just sent appears at once (the list is read again after it).
 */
export function Comments({ api, post, me, version, onError }) {
  const [items, setItems] = useState(null);
  const load = useCallback(async () => {
    try {
      setItems((await api.comments(post.id)).items);
    } catch (err) {
      onError(err);
    }
  }, [api, post.id, onError]);

  useEffect(() => {
    if (post.comments > 0 || version > 0) load();
    else setItems([]);
  }, [load, version, post.comments]);

  const remove = async (comment) => {
    try {
      await api.deleteComment(post.id, comment.id);
      setItems((old) => old.filter((c) => c.id !== comment.id));
    } catch (err) {
      onError(err);
    }
  };

  if (!items || items.length === 0) return null;
  const mine = (handle) => me && handle === me.handle;
  const ownPost = post.author && mine(post.author.handle);
  return html`
    <ul class="comments" aria-label=${"Comments on the post by @" + ((post.author && post.author.handle) || "someone")}>
      ${items.map((c) => html`
        <li key=${c.id}>
          <strong><${Handle} handle=${c.author && c.author.handle} /></strong> <${RichText} text=${c.text} />
          ${(ownPost || mine(c.author && c.author.handle)) && html`
            <button type="button" class="link" aria-label=${"Delete the comment " + c.text.slice(0, 40)}
              onClick=${() => remove(c)}>Delete</button>`}
          ${!mine(c.author && c.author.handle) && html`<${ReportButton} api=${api} target=${{ postId: post.id, commentId: c.id }}
            what=${"the comment by @" + ((c.author && c.author.handle) || "someone")} idPrefix=${"comment-" + c.id} />`}
          ${c.removed && html` <span class="meta">(taken down by moderators: ${c.removed.reason}; only you see it)</span>`}
        </li>`)}
    </ul>`;
}
