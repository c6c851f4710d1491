import { html } from "htm/preact";
import { useContext, useEffect, useState } from "preact/hooks";
import { LiveContext } from "../live.js";
import { Album } from "./Album.js";
import { plural } from "../plural.js";
import { Comments } from "./Comments.js";
import { Handle, RichText } from "./RichText.js";
import { link } from "../router.js";
import { ReportButton } from "./ReportButton.js";

/** A post of the feed: its photos, caption, counts, a like button that remembers, and a comment form. */
export function Post({ api, post, me, onError }) {
  const [liked, setLiked] = useState(Boolean(post.likedByMe));
  const [likes, setLikes] = useState(post.likes);
  const [comments, setComments] = useState(post.comments);
  const live = useContext(LiveContext);
  // The post's new counts, when its page watches it over the socket.
  useEffect(() => live.on("post:" + post.id, (counts) => {
    if (typeof counts.likes === "number") setLikes(counts.likes);
    if (typeof counts.comments === "number") setComments(counts.comments);
  }), [live, post.id]);
  const [busy, setBusy] = useState(false);
  const [text, setText] = useState("");
  const [sent, setSent] = useState("");
  const [commented, setCommented] = useState(0);
  const author = "@" + ((post.author && post.author.handle) || "someone");
  const titleId = "post-" + post.id;
  const photos = post.photos || (post.media ? [{ media: post.media, altText: "" }] : []);
  const own = Boolean(me && post.author && me.handle === post.author.handle);

  const toggleLike = async () => {
    setBusy(true);
    try {
      const answer = liked ? await api.unlike(post.id) : await api.like(post.id);
      setLiked(!liked);
      if (answer && typeof answer.likes === "number") setLikes(answer.likes);
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };
  const comment = async (e) => {
    e.preventDefault();
    try {
      await api.comment(post.id, text);
      setText("");
      setSent("Comment sent.");
      setCommented((n) => n + 1);
    } catch (err) {
      onError(err);
    }
  };

  return html`
    <article class="post" aria-labelledby=${titleId}>
      <h3 id=${titleId}>Post by ${author}</h3>
      <p class="meta"><${Handle} handle=${post.author && post.author.handle} /> · <a href=${link.post(post.id)}>${new Date(post.createdAt).toLocaleString()}</a>
        ${!own && html` · <${ReportButton} api=${api} target=${{ postId: post.id }} what=${"the post by " + author} idPrefix=${titleId} />`}</p>
      ${post.removed && html`<p class="error" role="note">Moderators took this post down (${post.removed.reason}); only you can see it.</p>`}
      <${Album} photos=${photos} author=${author} label=${"Photos by " + author} />
      ${post.caption && html`<p><${RichText} text=${post.caption} /></p>`}
      <p class="meta">${plural(likes, "like")} · ${plural(comments, "comment")}</p>
      <button type="button" aria-pressed=${liked} disabled=${busy} onClick=${toggleLike}>${liked ? "Liked" : "Like"}</button>
      <${Comments} api=${api} post=${post} me=${me} version=${commented} onError=${onError} />
      <form onSubmit=${comment}>
        <label for=${titleId + "-comment"}>Comment</label>
        <input id=${titleId + "-comment"} type="text" required maxlength="2200"
          value=${text} onInput=${(e) => setText(e.currentTarget.value)} />
        <button>Send comment</button>
        <p class="meta" role="status">${sent}</p>
      </form>
    </article>`;
}
