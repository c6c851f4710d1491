import { html } from "htm/preact";
import { useCallback, useEffect, useState } from "preact/hooks";
import { ErrorBanner } from "./ErrorBanner.js";
import { SignIn } from "./SignIn.js";
import { ProfileForm } from "./ProfileForm.js";
import { ShareForm } from "./ShareForm.js";
import { FollowForm } from "./FollowForm.js";
import { Notifications } from "./Notifications.js";
import { Feed } from "./Feed.js";
import { PostPage, SearchPage, TagPage, UserPage } from "./Pages.js";
import { useRoute } from "../router.js";

/**
 * The whole client: signed out, it offers sign-in; signed in without a profile, it asks for a
 * handle and a display name before anything else; with a profile, the app itself.
 */
export function App({ api, initialToken, onToken }) {
  const [token, setToken] = useState(initialToken);
  // undefined while loading, null when the user has no profile yet
  const [me, setMe] = useState(undefined);
  const [error, setError] = useState(null);
  const [version, setVersion] = useState(0);
  const route = useRoute();
  const show = useCallback((e) => setError(e ? e.message || String(e) : null), []);
  const refresh = () => setVersion((v) => v + 1);

  const loadMe = useCallback(async () => {
    try {
      setMe(await api.me());
    } catch (e) {
      if (e.code === "profile_not_found") setMe(null);
      else show(e);
    }
  }, [api, show]);

  useEffect(() => {
    if (token) loadMe();
  }, [token, loadMe]);

  // Polite updates without a reload: every 30 s while the page is in view, the notifications and the
  // profile's counts are read again (the feed keeps its place until asked).
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!token || !me) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") {
        setTick((t) => t + 1);
        loadMe();
      }
    }, 30_000);
    return () => clearInterval(timer);
  }, [token, me, loadMe]);

  const signIn = (next) => {
    onToken(next);
    setError(null);
    setMe(undefined);
    setToken(next);
  };
  const signOut = () => {
    onToken(null);
    setError(null);
    setMe(undefined);
    setToken(null);
  };

  let who = "Signed out";
  if (token) who = me ? "Signed in as @" + me.handle : me === null ? "Choose a handle to start" : "Signing in…";

  let body;
  if (!token) {
    body = html`<${SignIn} api=${api} onToken=${signIn} onError=${show} />`;
  } else if (me === undefined) {
    body = html`<p role="status">Loading your profile…</p>`;
  } else if (me === null) {
    body = html`<${ProfileForm} api=${api} onboarding=${true} onSaved=${loadMe} onError=${show} />`;
  } else if (route.page === "user") {
    body = html`<${UserPage} api=${api} handle=${route.handle} me=${me} onError=${show} />`;
  } else if (route.page === "tag") {
    body = html`<${TagPage} api=${api} tag=${route.tag} me=${me} onError=${show} />`;
  } else if (route.page === "post") {
    body = html`<${PostPage} api=${api} id=${route.id} me=${me} onError=${show} />`;
  } else if (route.page === "search") {
    body = html`<${SearchPage} api=${api} onError=${show} />`;
  } else {
    body = html`
      <${ProfileForm} api=${api} me=${me} onSaved=${loadMe} onError=${show} />
      <${ShareForm} api=${api} onShared=${() => { refresh(); loadMe(); }} onError=${show} />
      <${FollowForm} api=${api} onFollowed=${() => { refresh(); loadMe(); }} onError=${show} />
      <${Notifications} api=${api} version=${version + tick} onError=${show} />
      <${Feed} api=${api} me=${me} version=${version} onError=${show} />`;
  }

  return html`
    <header class="bar">
      <h1>Glint</h1>
      <p class="meta">${who}</p>
      ${token && me && html`<nav aria-label="Pages"><a href="#/">Home</a> · <a href=${"#/u/" + encodeURIComponent(me.handle)}>My page</a> · <a href="#/search">Find people</a></nav>`}
      ${token && html`<button type="button" onClick=${signOut}>Sign out</button>`}
    </header>
    <main>
      <${ErrorBanner} message=${error} onDismiss=${() => setError(null)} />
      ${body}
    </main>`;
}
