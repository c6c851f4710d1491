import { html } from "htm/preact";
import { useState } from "preact/hooks";

/** Sign in by name on the local stack (its dev issuer), or anywhere with a pasted bearer token. */
export function SignIn({ api, onToken, onError }) {
  const [username, setUsername] = useState("");
  const [pasted, setPasted] = useState("");

  const local = async (e) => {
    e.preventDefault();
    try {
      onToken(await api.devToken(username.trim()));
    } catch (err) {
      onError(err);
    }
  };
  const paste = (e) => {
    e.preventDefault();
    if (pasted.trim()) onToken(pasted.trim());
  };

  return html`
    <section class="card" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <form onSubmit=${local}>
        <label for="signin-username">Username</label>
        <input id="signin-username" type="text" autocomplete="username" required
          value=${username} onInput=${(e) => setUsername(e.currentTarget.value)} />
        <button>Sign in (local stack)</button>
      </form>
      <form onSubmit=${paste}>
        <label for="signin-token">Bearer token</label>
        <input id="signin-token" type="text" autocomplete="off" required
          value=${pasted} onInput=${(e) => setPasted(e.currentTarget.value)} />
        <button>Use token</button>
      </form>
    </section>`;
}
