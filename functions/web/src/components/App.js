import { html } from "htm/preact";
import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ErrorBanner } from "./ErrorBanner.js";
import { SignIn } from "./SignIn.js";
import { ProfileForm } from "./ProfileForm.js";
import { ShareForm } from "./ShareForm.js";
import { FollowForm } from "./FollowForm.js";
import { FollowRequests } from "./FollowRequests.js";
import { Notifications } from "./Notifications.js";
import { DataExport } from "./DataExport.js";
import { Feed } from "./Feed.js";
import { PostPage, SearchPage, TagPage, UserPage } from "./Pages.js";
import { useRoute } from "../router.js";
import { createRealtime } from "../realtime.js";
import { createHub, LiveContext } from "../live.js";

/** How often the page reads its lists again while no socket tells it of changes. */
export const POLL_MS = 30_000;

/**
 * The whole client: signed out, it offers sign-in; signed in without a profile, it asks for a
 * handle and a display name before anything else; with a profile, the app itself. With a realtime
 * socket configured, news arrive over it; without one, or while it is down, the page polls.
 */
export function App({ api, auth, initialError = null, connect = createRealtime }) {
  const [token, setToken] = useState(auth.token());
  // undefined while loading, null when the user has no profile yet
  const [me, setMe] = useState(undefined);
  const [error, setError] = useState(initialError);
  const [version, setVersion] = useState(0);
  const [live, setLive] = useState(false);
  const [notified, setNotified] = useState(0);
  const [newPosts, setNewPosts] = useState(0);
  const hub = useMemo(() => createHub(), []);
  const route = useRoute();
  const show = useCallback((e) => setError(e ? e.message || String(e) : null), []);
  const refresh = () => setVersion((v) => v + 1);

  // A sign-in, a refresh or a sign-out (in this tab) changes the token the app works with.
  const tokenNow = useRef(token);
  useEffect(() => auth.listen((session) => {
    const next = session ? session.idToken : null;
    if (Boolean(next) !== Boolean(tokenNow.current)) setMe(undefined);
    tokenNow.current = next;
    setToken(next);
  }), [auth]);

  const loadMe = useCallback(async () => {
    try {
      setMe(await api.me());
    } catch (e) {
      if (e.code === "profile_not_found") setMe(null);
      else show(e);
    }
  }, [api, show]);

  const signedIn = Boolean(token);
  useEffect(() => {
    if (signedIn) loadMe();
  }, [signedIn, loadMe]);

  // Live updates: the socket, when the stage has one, while the user is in the app.
  const ready = signedIn && Boolean(me);
  const realtimeUrl = auth.config.realtimeUrl;
  const wasLive = useRef(false);
  useEffect(() => {
    if (!ready || !realtimeUrl) return undefined;
    const realtime = connect({
      url: realtimeUrl,
      token: () => auth.fresh(),
      onLive: setLive,
      onEvent: (topic, event) => hub.emit(topic, event),
    });
    hub.attach(realtime);
    realtime.start();
    return () => {
      hub.attach(null);
      realtime.stop();
    };
  }, [ready, realtimeUrl, auth, hub, connect]);
  useEffect(() => hub.on("notifications", () => setNotified((n) => n + 1)), [hub]);
  useEffect(() => hub.on("feed", () => setNewPosts((n) => n + 1)), [hub]);

  // Polite updates without a reload while no socket is live: every 30 s while the page is in view, the
  // notifications and the profile's counts are read again (the feed keeps its place until asked). When the
  // socket comes back after a drop, the lists are read once, for what it missed.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (live && wasLive.current === "dropped") setTick((t) => t + 1);
    if (live) wasLive.current = true;
    else if (wasLive.current) wasLive.current = "dropped";
  }, [live]);
  useEffect(() => {
    if (!ready || live) return undefined;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") {
        setTick((t) => t + 1);
        loadMe();
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [ready, live, loadMe]);

  const signOut = () => {
    setError(null);
    auth.signOut();
  };

  let who = "Signed out";
  if (token) who = me ? "Signed in as @" + me.handle : me === null ? "Choose a handle to start" : "Signing in…";

  let body;
  if (!token) {
    body = html`<${SignIn} api=${api} auth=${auth} onError=${show} />`;
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
      ${me.private && html`<${FollowRequests} api=${api} version=${version + tick + notified} onAnswered=${loadMe} onError=${show} />`}
      <${ShareForm} api=${api} onShared=${() => { refresh(); loadMe(); }} onError=${show} />
      <${FollowForm} api=${api} onFollowed=${() => { refresh(); loadMe(); }} onError=${show} />
      <${Notifications} api=${api} version=${version + tick + notified} live=${live} onError=${show} />
      <${DataExport} api=${api} onError=${show} />
      <${Feed} api=${api} me=${me} version=${version} newPosts=${newPosts} onShowNew=${() => setNewPosts(0)} onError=${show} />`;
  }

  return html`
    <${LiveContext.Provider} value=${hub}>
      <header class="bar">
        <h1>Glint</h1>
        <p class="meta">${who}</p>
        ${token && me && html`<nav aria-label="Pages"><a href="#/">Home</a> · <a href=${"#/u/" + encodeURIComponent(me.handle)}>My page</a> · <a href="#/search">Find people</a></nav>`}
        ${token && html`<button type="button" onClick=${signOut}>Sign out</button>`}
      </header>
      <main>
        <${ErrorBanner} message=${error} onDismiss=${() => setError(null)} />
        ${body}
      </main>
    <//>`;
}
