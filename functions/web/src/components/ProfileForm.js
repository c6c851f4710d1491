import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";
import { plural } from "../plural.js";

/**
 * The profile: on first sign-in (onboarding) it asks for a handle and a display name before the app
 * shows; afterwards it edits them and shows the counts.
 */
export function ProfileForm({ api, me, onboarding = false, onSaved, onError }) {
  const [handle, setHandle] = useState(me ? me.handle : "");
  const [displayName, setDisplayName] = useState(me ? me.displayName || "" : "");
  const [locked, setLocked] = useState(Boolean(me && me.private));
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (me) {
      setHandle(me.handle);
      setDisplayName(me.displayName || "");
      setLocked(Boolean(me.private));
    }
  }, [me]);

  const save = async (e) => {
    e.preventDefault();
    setBusy(true);
    try {
      await api.saveProfile(handle.trim(), displayName.trim(), onboarding ? undefined : locked);
      onError(null);
      await onSaved();
    } catch (err) {
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  const prefix = onboarding ? "onboard" : "profile";
  return html`
    <section class="card" aria-labelledby="${prefix}-title">
      <h2 id="${prefix}-title">${onboarding ? "Welcome to Glint" : "Your profile"}</h2>
      ${onboarding && html`<p>Choose how people will find you and see your name before you start.</p>`}
      <form onSubmit=${save}>
        <label for="${prefix}-handle">Handle</label>
        <input id="${prefix}-handle" type="text" required pattern="[a-z0-9_]{3,30}" autocomplete="off"
          aria-describedby="${prefix}-handle-hint"
          value=${handle} onInput=${(e) => setHandle(e.currentTarget.value)} />
        <p id="${prefix}-handle-hint" class="hint">3 to 30 characters: lower-case letters, digits and _</p>
        <label for="${prefix}-name">Display name</label>
        <input id="${prefix}-name" type="text" required=${onboarding} maxlength="100" autocomplete="name"
          value=${displayName} onInput=${(e) => setDisplayName(e.currentTarget.value)} />
        ${!onboarding && html`
          <label class="check"><input id="${prefix}-private" type="checkbox" aria-describedby="${prefix}-private-hint"
            checked=${locked} onChange=${(e) => setLocked(e.currentTarget.checked)} /> Private account</label>
          <p id="${prefix}-private-hint" class="hint">Only people you approve see your posts and whom you follow.
            Making it public again approves everyone waiting.</p>`}
        <button disabled=${busy}>${onboarding ? "Continue" : "Save profile"}</button>
      </form>
      ${me && html`<p class="meta">${plural(me.followers, "follower")} · ${me.following} following · ${plural(me.posts, "post")}</p>`}
    </section>`;
}
