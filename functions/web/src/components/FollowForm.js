import { html } from "htm/preact";
import { useState } from "preact/hooks";

/** What following someone did, in words: a private account's owner has a request to answer. */
export function followStatus(handle, answer) {
  return answer && answer.status === "requested"
    ? "@" + handle + "'s account is private: your follow request waits for their approval."
    : "You follow @" + handle + " now.";
}

/** Follows someone by handle. */
export function FollowForm({ api, onFollowed, onError }) {
  const [handle, setHandle] = useState("");
  const [status, setStatus] = useState("");

  const follow = async (e) => {
    e.preventDefault();
    const who = handle.trim().replace(/^@/, "");
    try {
      const answer = await api.follow(who);
      setHandle("");
      setStatus(followStatus(who, answer));
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
