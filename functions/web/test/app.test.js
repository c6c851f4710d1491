import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { html } from "htm/preact";
import { screen, within, waitFor } from "@testing-library/dom";
import userEvent from "@testing-library/user-event";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "../src/components/App.js";
import { createApi } from "../src/api.js";
import { parseRoute } from "../src/router.js";
import { describe as describeNotification } from "../src/components/Notifications.js";
import { createAuth } from "../src/auth.js";
import { fakeServer, memoryStorage, PAGE_LOCATION } from "./fakeServer.js";

const DEV = { signIn: { devIssuer: true, managed: null }, realtimeUrl: null };

function start({ token = null, me = null, config = DEV, connect } = {}) {
  const server = fakeServer();
  server.state.me = me;
  const storage = memoryStorage(token ? { "glint.session": JSON.stringify({ kind: "dev", idToken: token, refreshToken: null,
    expiresAt: Date.now() + 3_600_000 }) } : {});
  const navigations = [];
  const auth = createAuth({ config, storage, pending: memoryStorage(), fetchImpl: server.fetch, location: PAGE_LOCATION,
    history: { replaceState() {} }, navigate: (url) => navigations.push(url) });
  const session = { get token() { return auth.token(); } };
  const api = createApi(auth, server.fetch);
  const root = document.createElement("div");
  document.body.append(root);
  render(html`<${App} api=${api} auth=${auth} connect=${connect} />`, root);
  return { server, session, user: userEvent.setup(), api, auth, navigations };
}

const ALICE = { handle: "alice", displayName: "Alice", followers: 0, following: 0, posts: 0 };

afterEach(() => {
  document.body.replaceChildren();
});

describe("signing in", () => {
  it("signs in by name on the local stack and keeps the token", async () => {
    const { server, session, user } = start();

    await user.type(screen.getByLabelText("Username"), "alice");
    await user.click(screen.getByRole("button", { name: "Sign in (local stack)" }));

    await waitFor(() => expect(session.token).toBe("token-of-alice"));
    expect(server.state.requests[0]).toMatchObject({ method: "POST", url: "/v1/dev/token", body: { username: "alice" } });
  });

  it("asks the local stack for the groups chosen", async () => {
    const { server, user } = start();
    expect(screen.getByRole("heading", { name: "Welcome to Glint" })).toBeTruthy();

    await user.type(screen.getByLabelText("Username"), "pat");
    await user.click(screen.getByLabelText("Product team (the console)"));
    await user.click(screen.getByRole("button", { name: "Sign in (local stack)" }));

    await waitFor(() => expect(server.state.requests[0]).toMatchObject({ url: "/v1/dev/token", body: { username: "pat", groups: ["product"] } }));
  });

  it("explains in words when local sign-in is not offered", async () => {
    const { server, user } = start();
    server.state.fail = { key: "POST /v1/dev/token", status: 404, body: { error: { code: "route_not_found", message: "no" } } };

    await user.type(screen.getByLabelText("Username"), "alice");
    await user.click(screen.getByRole("button", { name: "Sign in (local stack)" }));

    expect(await screen.findByText(/works on the local stack only/)).toBeTruthy();
  });

  it("shows the local stack's own reason when it refuses a username", async () => {
    const { server, user } = start();
    server.state.fail = { key: "POST /v1/dev/token", status: 400,
      body: { error: { code: "invalid_username", message: "username must be 1-64 letters, digits, '_', '.' or '-'." } } };

    await user.type(screen.getByLabelText("Username"), "ann smith");
    await user.click(screen.getByRole("button", { name: "Sign in (local stack)" }));

    expect(await screen.findByText(/username must be 1-64 letters/)).toBeTruthy();
    expect(screen.queryByText(/works on the local stack only/)).toBeNull();
  });
});

describe("onboarding", () => {
  it("asks for a handle and a display name before the rest of the app shows", async () => {
    const { server, user } = start({ token: "t" });

    expect(await screen.findByRole("heading", { name: "Welcome to Glint" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Share photos" })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Your feed" })).toBeNull();

    await user.type(screen.getByLabelText("Handle"), "alice");
    await user.type(screen.getByLabelText("Display name"), "Alice Liddell");
    await user.click(screen.getByRole("button", { name: "Continue" }));

    expect(await screen.findByRole("heading", { name: "Share photos" })).toBeTruthy();
    expect(screen.getByText("Signed in as @alice")).toBeTruthy();
    expect(server.state.requests.find((r) => r.method === "PUT")).toMatchObject({
      url: "/v1/me", body: { handle: "alice", displayName: "Alice Liddell" } });
  });

  it("shows the server's message when the handle is refused", async () => {
    const { server, user } = start({ token: "t" });
    server.state.fail = { key: "PUT /v1/me", status: 409,
      body: { error: { code: "handle_taken", message: "The handle alice is taken; choose another." } } };

    await user.type(await screen.findByLabelText("Handle"), "alice");
    await user.type(screen.getByLabelText("Display name"), "Alice");
    await user.click(screen.getByRole("button", { name: "Continue" }));

    expect((await screen.findByRole("alert")).textContent).toContain("The handle alice is taken; choose another.");
    expect(screen.getByRole("alert").textContent).not.toContain("handle_taken");
  });
});

describe("sharing", () => {
  it("uploads each photo with its presigned URL, posts the album with its alt texts, and clears the form once ready", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    const sunset = new File([new Uint8Array([0xff, 0xd8, 0xff, 0xd9])], "sunset.jpg", { type: "image/jpeg" });
    const pier = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d])], "pier.png", { type: "image/png" });

    await user.upload(await screen.findByLabelText("Photos"), [sunset, pier]);
    await user.type(screen.getByLabelText("Describe photo 1 (sunset.jpg) for people who cannot see it"), "An orange sky over the sea");
    await user.type(screen.getByLabelText("Caption"), "sunset #sea");
    await user.click(screen.getByRole("button", { name: "Post" }));

    await screen.findByText("Posted.");
    expect(screen.getByLabelText("Caption").value).toBe("");
    expect(screen.getByLabelText("Photos").files.length).toBe(0);
    expect(screen.queryByLabelText(/Describe photo 1/)).toBeNull();
    const put = server.state.requests.find((r) => r.url === "http://bucket.test/uploads/u1");
    expect(put.method).toBe("PUT");
    expect(put.headers).toEqual({ "content-type": "image/jpeg" });
    expect(server.state.requests.filter((r) => r.url === "/v1/uploads").map((r) => r.body))
      .toEqual([{ contentType: "image/jpeg", contentLength: 4 }, { contentType: "image/png", contentLength: 5 }]);
    expect(server.state.requests.find((r) => r.url === "/v1/posts").body).toEqual({ caption: "sunset #sea",
      photos: [{ uploadId: "u1", altText: "An orange sky over the sea" }, { uploadId: "u2", altText: "" }] });

    const feed = screen.getByRole("region", { name: "Your feed" });
    expect(await within(feed).findByRole("img", { name: "An orange sky over the sea" })).toBeTruthy();
    expect(within(feed).getByText("Photo 1 of 2")).toBeTruthy();
    await user.click(within(feed).getByRole("button", { name: "Next photo" }));
    expect(await within(feed).findByRole("img", { name: "Photo 2 of 2 by @alice (no description)" })).toBeTruthy();
    expect(within(feed).getByRole("button", { name: "Next photo" }).disabled).toBe(true);
  });

  it("refuses more than ten photos before uploading any", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    const many = Array.from({ length: 11 }, (_, i) => new File([new Uint8Array([1])], "p" + i + ".jpg", { type: "image/jpeg" }));

    await user.upload(await screen.findByLabelText("Photos"), many);

    expect((await screen.findByRole("alert")).textContent).toContain("at most 10 photos");
    expect(server.state.requests.filter((r) => r.url === "/v1/uploads")).toEqual([]);
  });
});

describe("the feed and notifications", () => {
  it("likes and comments on a post of the feed", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    server.state.posts = [{ id: "p9", caption: "hello", author: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z",
      likes: 2, comments: 1, likedByMe: false, photos: [{ media: { w640: "http://media.test/p9.jpg" }, altText: "A bridge at dusk",
        blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj", width: 640, height: 480 }] }];

    const post = await screen.findByRole("article", { name: "Post by @bob" });
    expect(within(post).getByRole("img", { name: "A bridge at dusk" })).toBeTruthy();
    expect(within(post).getByText(/2 likes · 1 comment$/)).toBeTruthy();
    await user.click(within(post).getByRole("button", { name: "Like" }));
    await within(post).findByRole("button", { name: "Liked" });
    expect(within(post).getByText(/3 likes/)).toBeTruthy();
    await user.type(within(post).getByLabelText("Comment"), "lovely");
    await user.click(within(post).getByRole("button", { name: "Send comment" }));

    await within(post).findByText("Comment sent.");
    expect(within(post).getByLabelText("Comment").value).toBe("");
    expect(server.state.requests.filter((r) => r.url.startsWith("/v1/posts/p9") && r.method !== "GET")
      .map((r) => r.method + " " + r.url + " " + JSON.stringify(r.body)))
      .toEqual(["PUT /v1/posts/p9/like undefined", 'POST /v1/posts/p9/comments {"text":"lovely"}']);
  });

  it("remembers a like made before and takes it back", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    server.state.posts = [{ id: "p7", caption: "", author: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z",
      likes: 3, comments: 0, likedByMe: true, photos: [{ media: { w640: "http://media.test/p7.jpg" }, altText: "" }] }];

    const post = await screen.findByRole("article", { name: "Post by @bob" });
    const liked = within(post).getByRole("button", { name: "Liked" });
    expect(liked.getAttribute("aria-pressed")).toBe("true");
    await user.click(liked);

    await within(post).findByRole("button", { name: "Like" });
    expect(within(post).getByText(/2 likes/)).toBeTruthy();
    expect(server.state.requests.filter((r) => r.url.startsWith("/v1/posts/p7")).map((r) => r.method)).toEqual(["DELETE"]);
  });

  it("says why the feed's order is not newest first when the experiment lifts posts", async () => {
    const { server } = start({ token: "t", me: { ...ALICE } });
    server.state.order = "interactions";

    const feed = await screen.findByRole("region", { name: "Your feed" });

    expect(await within(feed).findByText(/People you like and comment on most come first/)).toBeTruthy();
  });

  it("follows by handle and says so", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });

    await user.type(await screen.findByLabelText("Handle to follow"), "@bob");
    await user.click(screen.getByRole("button", { name: "Follow" }));

    expect(await screen.findByText("You follow @bob now.")).toBeTruthy();
    expect(screen.getByLabelText("Handle to follow").value).toBe("");
    expect(server.state.requests.some((r) => r.method === "POST" && r.url === "/v1/users/bob/follow")).toBe(true);
  });

  it("lists notifications in words", async () => {
    const { server } = start({ token: "t", me: { ...ALICE } });
    server.state.notifications = [
      { id: "n1", kind: "follow", actor: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z" },
      { id: "n2", kind: "like", actor: { handle: "bob" }, postId: "p1", createdAt: "2026-11-30T08:01:00Z" },
    ];

    const list = await screen.findByRole("list", { name: "Notifications" });

    expect(within(list).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      expect.stringContaining("@bob followed you"), expect.stringContaining("@bob liked your post")]);
    expect(describeNotification({ kind: "comment", actor: {} })).toBe("Someone commented on your post");
  });

  it("counts the unread in the heading's name and marks them all read", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    server.state.notifications = [
      { id: "n3", kind: "like", actor: { handle: "bob" }, postId: "p1", createdAt: "2026-11-30T08:02:00Z", read: false },
      { id: "n2", kind: "follow", actor: { handle: "bob" }, createdAt: "2026-11-30T08:01:00Z", read: false },
      { id: "n1", kind: "follow", actor: { handle: "cy" }, createdAt: "2026-11-30T08:00:00Z", read: true },
    ];

    expect(await screen.findByRole("heading", { name: "Notifications 2 unread" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Mark all as read" }));

    expect(await screen.findByRole("heading", { name: "Notifications" })).toBeTruthy();
    expect(server.state.requests.find((r) => r.url === "/v1/notifications/read").body).toEqual({ upTo: "n3" });
    expect(screen.queryByRole("button", { name: "Mark all as read" })).toBeNull();
  });

  it("lists a post's comments, shows a new one at once and lets its author delete it", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    server.state.posts = [{ id: "p5", caption: "", author: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z",
      likes: 0, comments: 1, photos: [{ media: { w640: "http://media.test/p5.jpg" }, altText: "" }] }];
    server.state.comments = { p5: [{ id: "c0", postId: "p5", author: { handle: "bob" }, text: "first!", createdAt: "2026-11-30T08:01:00Z" }] };

    const post = await screen.findByRole("article", { name: "Post by @bob" });
    const comments = await within(post).findByRole("list", { name: "Comments on the post by @bob" });
    expect(within(comments).getByText("first!")).toBeTruthy();
    expect(within(comments).queryByRole("button", { name: /Delete/ })).toBeNull();
    await user.type(within(post).getByLabelText("Comment"), "mine");
    await user.click(within(post).getByRole("button", { name: "Send comment" }));
    expect(await within(post).findByText("mine")).toBeTruthy();
    await user.click(within(post).getByRole("button", { name: "Delete the comment mine" }));

    await waitFor(() => expect(within(post).queryByText("mine")).toBeNull());
    expect(server.state.requests.some((r) => r.method === "DELETE" && r.url === "/v1/posts/p5/comments/c2")).toBe(true);
  });
});

describe("private accounts", () => {
  it("makes the account private from the profile form", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });

    const box = await screen.findByRole("checkbox", { name: "Private account" });
    expect(box.checked).toBe(false);
    await user.click(box);
    await user.click(screen.getByRole("button", { name: "Save profile" }));

    await waitFor(() => expect(server.state.me.private).toBe(true));
    const put = server.state.requests.filter((r) => r.method === "PUT" && r.url === "/v1/me").at(-1);
    expect(put.body).toEqual({ handle: "alice", displayName: "Alice", private: true });
    expect((await screen.findByRole("checkbox", { name: "Private account" })).checked).toBe(true);
  });

  it("lists the requests waiting on a private account and approves or denies each", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE, private: true } });
    server.state.followRequests = [
      { id: "id-bob", handle: "bob", displayName: "Bob", since: "2026-11-30T08:00:00Z" },
      { id: "id-cat", handle: "cat", displayName: "Cat", since: "2026-11-30T07:00:00Z" },
    ];

    const list = await screen.findByRole("list", { name: "Follow requests" });
    expect(within(list).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      expect.stringContaining("@bob"), expect.stringContaining("@cat")]);
    await user.click(screen.getByRole("button", { name: "Approve @bob" }));
    expect(await screen.findByText("@bob follows you now.")).toBeTruthy();
    await user.click(await screen.findByRole("button", { name: "Deny @cat" }));
    expect(await screen.findByText("Nobody is waiting for your approval.")).toBeTruthy();
    const answers = server.state.requests.filter((r) => r.method === "POST" && r.url.startsWith("/v1/me/follow-requests/"));
    expect(answers.map((r) => r.url)).toEqual(["/v1/me/follow-requests/bob/approve", "/v1/me/follow-requests/cat/deny"]);
  });

  it("shows no requests on a public account", async () => {
    start({ token: "t", me: { ...ALICE } });

    await screen.findByRole("region", { name: "Your profile" });
    expect(screen.queryByRole("region", { name: "Follow requests" })).toBeNull();
  });

  it("says a follow of a private account waits for its owner", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    server.state.privateHandles = ["dana"];

    await user.type(await screen.findByLabelText("Handle to follow"), "dana");
    await user.click(screen.getByRole("button", { name: "Follow" }));

    expect(await screen.findByText("@dana's account is private: your follow request waits for their approval.")).toBeTruthy();
    expect(describeNotification({ kind: "follow_request", actor: { handle: "bob" } })).toBe("@bob asked to follow you");
    expect(describeNotification({ kind: "follow_approved", actor: { handle: "dana" } })).toBe("@dana approved your follow request");
  });
});

describe("pages", () => {
  afterEach(() => {
    location.hash = "";
  });

  it("names each page by the address", () => {
    expect(parseRoute("#/u/bob")).toEqual({ page: "user", handle: "bob" });
    expect(parseRoute("#/t/sea")).toEqual({ page: "tag", tag: "sea" });
    expect(parseRoute("#/p/01ABC")).toEqual({ page: "post", id: "01ABC" });
    expect(parseRoute("#/search")).toEqual({ page: "search" });
    expect(parseRoute("#/nowhere")).toEqual({ page: "home" });
  });

  it("links handles and hashtags, and follows and unfollows from a person's page", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    server.state.posts = [{ id: "p3", caption: "low tide #sea", author: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z",
      likes: 0, comments: 0, photos: [{ media: { w640: "http://media.test/p3.jpg", thumb: "http://media.test/t3.jpg" }, altText: "A beach" }] }];

    const post = await screen.findByRole("article", { name: "Post by @bob" });
    expect(within(post).getByRole("link", { name: "#sea" }).getAttribute("href")).toBe("#/t/sea");
    await user.click(within(post).getByRole("link", { name: "@bob" }));

    const page = await screen.findByRole("region", { name: "BOB @bob" });
    expect(await within(page).findByRole("img", { name: "A beach" })).toBeTruthy();
    await user.click(within(page).getByRole("button", { name: "Follow" }));
    expect(await within(page).findByRole("button", { name: "Following" })).toBeTruthy();
    expect(within(page).getByText(/1 follower\b/)).toBeTruthy();
    await user.click(within(page).getByRole("button", { name: "Following" }));
    expect(await within(page).findByRole("button", { name: "Follow" })).toBeTruthy();
  });

  it("finds people by name or handle", async () => {
    const { server, user } = start({ token: "t", me: { ...ALICE } });
    server.state.people = [{ id: "b", handle: "bob", displayName: "Bob Builder" }];
    await screen.findByRole("navigation", { name: "Pages" });
    await user.click(screen.getByRole("link", { name: "Find people" }));

    await user.type(await screen.findByLabelText("Name or handle"), "bo");
    await user.click(screen.getByRole("button", { name: "Search" }));

    const found = await screen.findByRole("list", { name: "People found" });
    expect(within(found).getByRole("link", { name: "@bob" }).getAttribute("href")).toBe("#/u/bob");
  });
});

describe("accessibility and safety", () => {
  it("gives every control an accessible name", async () => {
    const { server } = start({ token: "t", me: { ...ALICE } });
    server.state.posts = [{ id: "p1", caption: "x", author: { handle: "bob" }, createdAt: "2026-11-30T08:00:00Z", likes: 0, comments: 0 }];
    await screen.findByRole("article", { name: "Post by @bob" });

    const controls = [...document.querySelectorAll("input, button, select, textarea")];
    expect(controls.length).toBeGreaterThan(10);
    for (const control of controls) {
      const name = control.tagName === "BUTTON" ? control.textContent.trim()
        : [...control.labels].map((l) => l.textContent.trim()).join(" ") || control.getAttribute("aria-label");
      expect(name, control.outerHTML).toBeTruthy();
    }
  });

  it("writes text, never markup, so no content can inject script", () => {
    const files = (dir) => readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
    for (const file of files("src").filter((f) => f.endsWith(".js"))) {
      expect(readFileSync(file, "utf8"), file).not.toMatch(/innerHTML|dangerouslySetInnerHTML|insertAdjacentHTML|document\.write/);
    }
  });
});
