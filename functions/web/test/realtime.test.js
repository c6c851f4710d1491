import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { html } from "htm/preact";
import { screen, within, waitFor } from "@testing-library/dom";
import userEvent from "@testing-library/user-event";
import { backoff, createRealtime, MAX_TOPICS } from "../src/realtime.js";
import { createApi } from "../src/api.js";
import { createAuth } from "../src/auth.js";
import { App } from "../src/components/App.js";
import { fakeServer, memoryStorage, PAGE_LOCATION } from "./fakeServer.js";

/** A WebSocket the test drives: it opens, answers and closes when told. */
class FakeSocket {
  static all = [];

  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    FakeSocket.all.push(this);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close() {
    this.readyState = 3;
  }

  // What the server does:
  open() {
    this.readyState = 1;
    this.onopen();
  }

  answer(data) {
    this.onmessage({ data: JSON.stringify(data) });
  }

  drop() {
    this.readyState = 3;
    this.onclose({ code: 1006 });
  }
}

/** Timers the test runs by hand. */
function timers() {
  const pending = new Map();
  let next = 1;
  return {
    pending,
    schedule: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    cancel: (id) => pending.delete(id),
    /** Runs every due timer; returns their delays. */
    async fire() {
      const due = [...pending.entries()];
      pending.clear();
      for (const [, timer] of due) timer.fn();
      await Promise.resolve();
      await Promise.resolve();
      return due.map(([, timer]) => timer.ms);
    },
  };
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function connection(options = {}) {
  FakeSocket.all = [];
  const clock = timers();
  const events = [];
  const lives = [];
  const realtime = createRealtime({ url: "wss://live.test/live", token: async () => "tok en", WebSocketImpl: FakeSocket,
    schedule: clock.schedule, cancel: clock.cancel, random: () => 0.5, onEvent: (topic, event) => events.push([topic, event]),
    onLive: (live) => lives.push(live), ...options });
  return { realtime, clock, events, lives };
}

afterEach(() => document.body.replaceChildren());

describe("the realtime socket", () => {
  it("connects with the token, subscribes to notifications and feed, and passes events on", async () => {
    const { realtime, events, lives } = connection();
    realtime.start();
    await flush();

    const socket = FakeSocket.all[0];
    expect(socket.url).toBe("wss://live.test/live?token=tok%20en");
    socket.open();
    expect(socket.sent).toEqual([{ action: "subscribe", topics: ["notifications", "feed"] }]);
    socket.answer({ subscribed: ["notifications", "feed"] });
    socket.answer({ topic: "notifications", event: { id: "n1", kind: "like" } });

    expect(lives).toEqual([true]);
    expect(events).toEqual([["notifications", { id: "n1", kind: "like" }]]);
  });

  it("subscribes to a post while its page is open", async () => {
    const { realtime } = connection();
    realtime.watch("post:p1");
    realtime.start();
    await flush();
    FakeSocket.all[0].open();
    realtime.watch("post:p2");

    expect(FakeSocket.all[0].sent).toEqual([{ action: "subscribe", topics: ["notifications", "feed", "post:p1"] },
      { action: "subscribe", topics: ["post:p2"] }]);
  });

  it("starts a fresh connection when the topics would pass the connection's limit", async () => {
    const { realtime } = connection();
    realtime.start();
    await flush();
    FakeSocket.all[0].open();
    for (let i = 0; i < MAX_TOPICS - 2; i++) {
      realtime.watch("post:old" + i);
      realtime.unwatch("post:old" + i);
    }
    realtime.watch("post:now");
    await flush();

    expect(FakeSocket.all.length).toBe(2);
    FakeSocket.all[1].open();
    expect(FakeSocket.all[1].sent).toEqual([{ action: "subscribe", topics: ["notifications", "feed", "post:now"] }]);
  });

  it("falls back when the socket closes and tries again with waits that grow, jittered and capped", async () => {
    const { realtime, clock, lives } = connection({ base: 1000, cap: 8000 });
    realtime.start();
    await flush();
    FakeSocket.all[0].open();
    FakeSocket.all[0].answer({ subscribed: ["notifications", "feed"] });

    FakeSocket.all[0].drop();
    expect(lives).toEqual([true, false]);
    const waits = [];
    for (let i = 0; i < 6; i++) {
      expect(clock.pending.size).toBe(1);
      waits.push(...await clock.fire());
      await flush();
      FakeSocket.all.at(-1).drop();
    }

    // random() is 0.5: three quarters of each ceiling (1, 2, 4, 8 s, then the 8 s cap).
    expect(waits).toEqual([750, 1500, 3000, 6000, 6000, 6000]);
    expect(FakeSocket.all.length).toBe(7);
    expect(lives).toEqual([true, false]);
  });

  it("waits from the start again once a connection has worked", async () => {
    const { realtime, clock } = connection({ base: 1000, cap: 8000 });
    realtime.start();
    await flush();
    FakeSocket.all[0].drop();
    await clock.fire();
    await flush();
    FakeSocket.all[1].drop();
    expect([...clock.pending.values()][0].ms).toBe(1500);
    await clock.fire();
    await flush();
    FakeSocket.all[2].open();
    FakeSocket.all[2].answer({ subscribed: ["notifications", "feed"] });
    FakeSocket.all[2].drop();

    expect([...clock.pending.values()][0].ms).toBe(750);
  });

  it("stops for good: no socket and no timer left", async () => {
    const { realtime, clock } = connection();
    realtime.start();
    await flush();
    FakeSocket.all[0].drop();
    realtime.stop();

    expect(clock.pending.size).toBe(0);
    expect(FakeSocket.all.length).toBe(1);
  });

  it("jitters within half to all of the capped ceiling", () => {
    expect(backoff(0, { random: () => 0 })).toBe(500);
    expect(backoff(0, { random: () => 1 })).toBe(1000);
    expect(backoff(30, { random: () => 1 })).toBe(60_000);
    expect(backoff(30, { random: () => 0 })).toBe(30_000);
  });
});

describe("the app with the socket", () => {
  const ALICE = { handle: "alice", displayName: "Alice", followers: 0, following: 0, posts: 0 };

  function start() {
    FakeSocket.all = [];
    const server = fakeServer();
    server.state.me = ALICE;
    const storage = memoryStorage({ "glint.session": JSON.stringify({ kind: "dev", idToken: "t", refreshToken: null,
      expiresAt: Date.now() + 3_600_000 }) });
    const auth = createAuth({ config: { signIn: { devIssuer: true, managed: null }, realtimeUrl: "ws://live.test/ws" }, storage,
      pending: memoryStorage(), fetchImpl: server.fetch, location: PAGE_LOCATION, history: { replaceState() {} }, navigate: () => {} });
    const clock = timers();
    const connect = (options) => createRealtime({ ...options, WebSocketImpl: FakeSocket, schedule: clock.schedule,
      cancel: clock.cancel, random: () => 0.5 });
    const root = document.createElement("div");
    document.body.append(root);
    render(html`<${App} api=${createApi(auth, server.fetch)} auth=${auth} connect=${connect} />`, root);
    return { server, clock, user: userEvent.setup() };
  }

  async function live() {
    await waitFor(() => expect(FakeSocket.all.length).toBe(1));
    const socket = FakeSocket.all[0];
    socket.open();
    socket.answer({ subscribed: ["notifications", "feed"] });
    return socket;
  }

  it("shows a new notification as it happens, and says the socket is live, then falls back to polling when it closes", async () => {
    const { server, clock } = start();
    const socket = await live();
    expect(await screen.findByText("Live: new notifications appear as they happen.")).toBeTruthy();

    server.state.notifications = [{ id: "n1", kind: "like", actor: { handle: "bob" }, postId: "p1", createdAt: "2026-11-30T08:00:00Z", read: false }];
    socket.answer({ topic: "notifications", event: { id: "n1", kind: "like", actor: { id: "b" }, postId: "p1", read: false } });

    expect(await screen.findByRole("heading", { name: "Notifications 1 unread" })).toBeTruthy();
    socket.drop();
    expect(await screen.findByText("Read again every 30 seconds.")).toBeTruthy();
    expect(clock.pending.size).toBe(1);
  });

  it("offers new posts of the feed with a button instead of moving the list", async () => {
    const { server, user } = start();
    const socket = await live();
    const feed = await screen.findByRole("region", { name: "Your feed" });
    server.state.posts = [{ id: "p2", caption: "new", author: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z", likes: 0, comments: 0 }];

    socket.answer({ topic: "feed", event: { postId: "p2", author: { id: "b", handle: "bob" } } });
    socket.answer({ topic: "feed", event: { postId: "p3", author: { id: "b", handle: "bob" } } });

    const button = await within(feed).findByRole("button", { name: "Show 2 new posts" });
    expect(within(feed).queryByRole("article")).toBeNull();
    await user.click(button);
    expect(await within(feed).findByRole("article", { name: "Post by @bob" })).toBeTruthy();
    expect(within(feed).queryByRole("button", { name: /new post/ })).toBeNull();
  });

  it("watches an open post's counts and updates them", async () => {
    const { server } = start();
    server.state.posts = [{ id: "p9", caption: "", author: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z", likes: 1, comments: 0 }];
    const socket = await live();
    location.hash = "#/p/p9";

    const page = await screen.findByRole("region", { name: "Post" });
    const post = await within(page).findByRole("article", { name: "Post by @bob" });
    await waitFor(() => expect(socket.sent).toContainEqual({ action: "subscribe", topics: ["post:p9"] }));
    // The post's counts listen once it has rendered and its effects have run: tell it until it shows them.
    await waitFor(() => {
      socket.answer({ topic: "post:p9", event: { likes: 4, comments: 2 } });
      expect(within(post).getByText(/4 likes · 2 comments/)).toBeTruthy();
    });
    location.hash = "";
  });
});
