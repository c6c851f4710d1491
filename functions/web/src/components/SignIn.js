import { html } from "htm/preact";
import { useState } from "preact/hooks";

/** Sign in by name on the local stack (its dev issuer), or anywhere with a pasted bearer token. */
export function SignIn({ api, onToken, onError }) {
  const [username, setUsername] = useState("");
  const [pasted, setPasted] = useState("");
  const [groups, setGroups] = useState([]);
  const toggle = (group) => setGroups((old) => (old.includes(group) ? old.filter((g) => g !== group) : old.concat(group)));

  const local = async (e) => {
    e.preventDefault();
    try {
      onToken(await api.devToken(username.trim(), groups));
    } catch (err) {
      onError(err);
    }
  };
  const paste = (e) => {
    e.preventDefault();
    if (pasted.trim()) onToken(pasted.trim());
  };

  return html`
    <section class="card" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Glint</h2>
      <p>Share photos with the people who follow you: albums of up to ten, each photo described for those who
        cannot see it. Follow friends, like and comment, and hear when they do.</p>
    </section>
    <section class="card" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      <form onSubmit=${local}>
        <label for="signin-username">Username</label>
        <input id="signin-username" type="text" autocomplete="username" required
          value=${username} onInput=${(e) => setUsername(e.currentTarget.value)} />
        <fieldset>
          <legend>Groups (the local stack's test users)</legend>
          <label class="inline"><input type="checkbox" checked=${groups.includes("product")}
            onChange=${() => toggle("product")} /> Product team (the console)</label>
          <label class="inline"><input type="checkbox" checked=${groups.includes("moderator")}
            onChange=${() => toggle("moderator")} /> Moderator</label>
        </fieldset>
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
