import { html } from "htm/preact";
import { useState } from "preact/hooks";

/**
 * The ways in this stage offers (/config.json): Cognito's managed login (the authorization code flow with
 * PKCE: the page never sees a password), and on the local stack its dev issuer by name, with a choice of
 * the dev issuer's groups.
 */
export function SignIn({ api, auth, onError }) {
  const { signIn, problem } = auth.config;
  const [username, setUsername] = useState("");
  const [groups, setGroups] = useState([]);
  const [busy, setBusy] = useState(false);
  const toggle = (group) => setGroups((old) => (old.includes(group) ? old.filter((g) => g !== group) : old.concat(group)));

  const managed = async () => {
    setBusy(true);
    try {
      await auth.beginManagedLogin();
    } catch (err) {
      setBusy(false);
      onError(err);
    }
  };
  const local = async (e) => {
    e.preventDefault();
    try {
      const answer = await api.devToken(username.trim(), groups);
      auth.signInDev(answer.token, answer.expiresIn);
    } catch (err) {
      onError(err);
    }
  };

  return html`
    <section class="card" aria-labelledby="welcome-title">
      <h2 id="welcome-title">Welcome to Glint</h2>
      <p>Share photos with the people who follow you: albums of up to ten, each photo described for those who
        cannot see it. Follow friends, like and comment, and hear when they do.</p>
    </section>
    <section class="card" aria-labelledby="signin-title">
      <h2 id="signin-title">Sign in</h2>
      ${problem && html`<p class="hint">${problem}</p>`}
      ${signIn.managed && html`
        <p>Sign in or create an account on Glint's sign-in page; it brings you back here.</p>
        <button type="button" disabled=${busy} onClick=${managed}>Sign in or create an account</button>`}
      ${signIn.devIssuer && html`
        <form onSubmit=${local} aria-labelledby="signin-local-title">
          <h3 id="signin-local-title">On the local stack, by name</h3>
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
        </form>`}
      ${!signIn.managed && !signIn.devIssuer && !problem && html`
        <p>Sign-in is not set up for this stage yet: its managed login is not configured.</p>`}
    </section>`;
}
