import { html } from "htm/preact";
import { useState } from "preact/hooks";

/** Follows someone by handle. */
export function FollowForm({ api, onFollowed, onError }) {
  const [handle, setHandle] = useState("");
  const [status, setStatus] = useState("");

  const follow = async (e) => {
    e.preventDefault();
    const who = handle.trim().replace(/^@/, "");
    try {
      await api.follow(who);
      setHandle("");
      setStatus("You follow @" + who + " now.");
      onError(null);
      onFollowed();
    } catch (err) {
      setStatus("");
      onError(err);
    }
  };

  return html`
    <section class="card" aria-labelledby="follow-title">
      <h2 id="follow-title">Follow someone</h2>
      <form onSubmit=${follow}>
        <label for="follow-handle">Handle to follow</label>
        <input id="follow-handle" type="text" required autocomplete="off"
          value=${handle} onInput=${(e) => setHandle(e.currentTarget.value)} />
        <button>Follow</button>
        <p class="meta" role="status">${status}</p>
      </form>
    </section>`;
}
