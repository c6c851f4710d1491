// The realtime socket (README, Realtime): one connection per page, subscribed to the user's
// notifications and feed, and to post:<id> while a post's page is open. When it closes or cannot open,
// the page falls back to its polite polling and the socket is tried again later, each wait longer
// (jittered, capped), so a stage without a working socket costs one attempt a minute at most.

/** A connection holds at most 50 topics; the protocol has no unsubscribe, so a fresh connection sheds old ones. */
export const MAX_TOPICS = 50;
const ALWAYS = ["notifications", "feed"];

/**
 * The wait before reconnection attempt n (0-based): exponential from base, capped, with "equal jitter"
 * (half fixed, half random), so many pages that lost the socket at once do not come back at once.
 */
export function backoff(attempt, { base = 1000, cap = 60_000, random = Math.random } = {}) {
  const ceiling = Math.min(cap, base * 2 ** Math.min(attempt, 20));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * A realtime connection.
 *
 * @param url       the WebSocket API's URL (from /config.json)
 * @param token     resolves to the ID token to connect with (renewed when about to expire)
 * @param onEvent   hears each event: (topic, event)
 * @param onLive    hears whether the socket is live (subscribed): true means the page may stop polling
 * @param WebSocketImpl, schedule, cancel, random: the browser's, or a test's fakes
 */
export function createRealtime({ url, token, onEvent, onLive, WebSocketImpl = globalThis.WebSocket,
  schedule = (fn, ms) => setTimeout(fn, ms), cancel = (id) => clearTimeout(id), random = Math.random,
  base = 1000, cap = 60_000 }) {
  let socket = null;
  let live = false;
  let attempt = 0;
  let timer = null;
  let stopped = true;
  const wanted = new Set(ALWAYS);
  let subscribed = new Set();

  function setLive(value) {
    if (live !== value) {
      live = value;
      onLive(value);
    }
  }

  function subscribe(topics) {
    if (socket && socket.readyState === 1 && topics.length > 0) {
      socket.send(JSON.stringify({ action: "subscribe", topics }));
      topics.forEach((t) => subscribed.add(t));
    }
  }

  function retry() {
    if (stopped || timer !== null) return;
    const wait = backoff(attempt++, { base, cap, random });
    timer = schedule(() => {
      timer = null;
      connect();
    }, wait);
  }

  async function connect() {
    if (stopped) return;
    let bearer;
    try {
      bearer = await token();
    } catch {
      bearer = null;
    }
    if (stopped) return;
    if (!bearer) {
      retry();
      return;
    }
    let ws;
    try {
      ws = new WebSocketImpl(url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(bearer));
    } catch {
      retry();
      return;
    }
    socket = ws;
    subscribed = new Set();
    ws.onopen = () => subscribe([...wanted]);
    ws.onmessage = (message) => {
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      if (Array.isArray(data.subscribed)) {
        // The server's answer to a subscription: the connection works end to end.
        attempt = 0;
        setLive(true);
      } else if (data.topic && data.event) {
        onEvent(data.topic, data.event);
      }
      // An error answer (a post:<id> refused) changes nothing: the other topics still hold.
    };
    // A failed connection fires error then close; close alone is enough to fall back and try again.
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      setLive(false);
      retry();
    };
  }

  function drop() {
    if (socket) {
      const old = socket;
      socket = null;
      old.onclose = null;
      old.close();
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      connect();
    },
    stop() {
      stopped = true;
      if (timer !== null) cancel(timer);
      timer = null;
      drop();
      setLive(false);
    },
    /** Listens to a post's counts while its page is open. */
    watch(topic) {
      wanted.add(topic);
      if (subscribed.has(topic)) return;
      if (subscribed.size >= MAX_TOPICS && socket) {
        // No room left on this connection: start a fresh one with the topics wanted now.
        for (const t of [...wanted]) if (!ALWAYS.includes(t) && t !== topic) wanted.delete(t);
        drop();
        setLive(false);
        connect();
        return;
      }
      subscribe([topic]);
    },
    /** The post's page closed: its events are no longer wanted (the connection keeps the topic until it is replaced). */
    unwatch(topic) {
      if (!ALWAYS.includes(topic)) wanted.delete(topic);
    },
    wanted: () => [...wanted],
    live: () => live,
  };
}
