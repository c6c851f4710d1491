import { html } from "htm/preact";
import { useState } from "preact/hooks";

/** A post of the feed: its photo, caption, counts, a like button and a comment form. */
export function Post({ api, post, onError }) {
  const [liked, setLiked] = useState(false);
  const [text, setText] = useState("");
  const [sent, setSent] = useState("");
  const author = "@" + ((post.author && post.author.handle) || "someone");
  const src = post.media && (post.media.w640 || post.media.w1080);
  const titleId = "post-" + post.id;

  const like = async () => {
    try {
      await api.like(post.id);
      setLiked(true);
    } catch (err) {
      onError(err);
    }
  };
  const comment = async (e) => {
    e.preventDefault();
    try {
      await api.comment(post.id, text);
      setText("");
      setSent("Comment sent.");
    } catch (err) {
      onError(err);
    }
  };

  return html`
    <article class="post" aria-labelledby=${titleId}>
      <h3 id=${titleId}>Post by ${author}</h3>
      ${src && html`<img src=${src} alt=${post.caption ? "Photo: " + post.caption : "Photo by " + author} />`}
      ${post.caption && html`<p>${post.caption}</p>`}
      <p class="meta">${new Date(post.createdAt).toLocaleString()} · ${post.likes} likes · ${post.comments} comments</p>
      <button type="button" aria-pressed=${liked} disabled=${liked} onClick=${like}>${liked ? "Liked" : "Like"}</button>
      <form onSubmit=${comment}>
        <label for=${titleId + "-comment"}>Comment</label>
        <input id=${titleId + "-comment"} type="text" required maxlength="2200"
          value=${text} onInput=${(e) => setText(e.currentTarget.value)} />
        <button>Send comment</button>
        <p class="meta" role="status">${sent}</p>
      </form>
    </article>`;
}
