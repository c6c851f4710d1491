/**
 * A fake of the Glint API for component tests, behind the fetch the app calls: just enough state
 * to sign in, onboard, share, follow, like, comment and read notifications. Every request is kept.
 */
export function fakeServer() {
  const state = { me: null, posts: [], notifications: [], requests: [], fail: null };
  const reply = (status, body) => ({
    ok: status >= 200 && status < 300,
    status,
    text: async () => (body === undefined ? "" : JSON.stringify(body)),
    json: async () => body,
  });
  const fetch = async (url, init = {}) => {
    const method = init.method || "GET";
    const body = init.body && typeof init.body === "string" ? JSON.parse(init.body) : init.body;
    state.requests.push({ method, url, body, headers: init.headers || {} });
    const key = method + " " + url.replace(/\?.*/, "");
    if (state.fail && state.fail.key === key) return reply(state.fail.status, state.fail.body);
    if (key === "POST /v1/dev/token") return reply(200, { token: "token-of-" + body.username });
    if (key === "GET /v1/me") {
      return state.me ? reply(200, state.me)
        : reply(404, { error: { code: "profile_not_found", message: "You have no profile yet: PUT /v1/me with a handle." } });
    }
    if (key === "PUT /v1/me") {
      state.me = { handle: body.handle, displayName: body.displayName, followers: 0, following: 0, posts: 0,
        private: body.private === undefined ? Boolean(state.me && state.me.private) : body.private };
      return reply(200, state.me);
    }
    if (key === "POST /v1/uploads") {
      state.uploads = (state.uploads || 0) + 1;
      const id = "u" + state.uploads;
      return reply(201, { uploadId: id, url: "http://bucket.test/uploads/" + id, method: "PUT", headers: { "content-type": body.contentType, host: "x" } });
    }
    if (/^PUT http:\/\/bucket\.test\/uploads\/u\d+$/.test(key)) return reply(200);
    if (key === "POST /v1/posts") {
      const id = "p" + (state.posts.length + 1);
      const photos = (body.photos || [{ uploadId: body.uploadId, altText: body.altText || "" }]).map((photo, i) => ({
        media: { w640: "http://media.test/" + id + "/" + i + ".jpg" }, altText: photo.altText || "",
        blurhash: "LEHV6nWB2yk8pyo0adR*.7kCMdnj", width: 640, height: 480, focalPoint: { x: 0, y: 0 } }));
      const post = { id, caption: body.caption, status: "ready", author: { handle: state.me.handle },
        createdAt: "2026-11-30T08:00:00Z", likes: 0, comments: 0, likedByMe: false, photos, media: photos[0].media };
      state.posts.unshift(post);
      return reply(201, { ...post, status: "processing" });
    }
    let m = key.match(/^GET \/v1\/posts\/([^/]+)$/);
    if (m) return reply(200, state.posts.find((p) => p.id === m[1]));
    if (key === "GET /v1/feed") return reply(200, { items: state.posts, order: state.order || "newest" });
    if (key === "GET /v1/notifications") return reply(200, { items: state.notifications });
    m = key.match(/^GET \/v1\/users\/([^/]+)$/);
    if (m) {
      const handle = decodeURIComponent(m[1]);
      state.following = state.following || new Set();
      return reply(200, { id: "id-" + handle, handle, displayName: handle.toUpperCase(), bio: "", followers: state.following.has(handle) ? 1 : 0,
        following: 0, posts: 0, createdAt: "2026-11-30T08:00:00Z", followedByMe: state.following.has(handle) });
    }
    m = key.match(/^GET \/v1\/users\/([^/]+)\/posts$/);
    if (m) return reply(200, { items: state.posts.filter((p) => p.author.handle === decodeURIComponent(m[1])) });
    m = key.match(/^DELETE \/v1\/users\/([^/]+)\/follow$/);
    if (m) {
      (state.following || new Set()).delete(decodeURIComponent(m[1]));
      return reply(200, { following: false, changed: true });
    }
    if (key === "GET /v1/search/users") {
      const q = decodeURIComponent(url.split("q=")[1] || "");
      return reply(200, { items: (state.people || []).filter((p) => p.handle.startsWith(q.toLowerCase())) });
    }
    m = key.match(/^GET \/v1\/tags\/([^/]+)\/posts$/);
    if (m) return reply(200, { items: state.posts.filter((p) => (p.caption || "").includes("#" + decodeURIComponent(m[1]))) });
    m = key.match(/^POST \/v1\/users\/([^/]+)\/follow$/);
    if (m) {
      state.following = state.following || new Set();
      const handle = decodeURIComponent(m[1]);
      if ((state.privateHandles || []).includes(handle)) {
        return reply(202, { status: "requested", following: false, changed: true });
      }
      state.following.add(handle);
      return reply(200, { following: true, changed: true });
    }
    m = key.match(/^(PUT|DELETE) \/v1\/posts\/([^/]+)\/like$/);
    if (m) return reply(200, { postId: m[2], liked: m[1] === "PUT", likes: m[1] === "PUT" ? 3 : 2 });
    m = key.match(/^POST \/v1\/posts\/([^/]+)\/comments$/);
    if (m) {
      state.comments = state.comments || {};
      const list = (state.comments[m[1]] = state.comments[m[1]] || []);
      const comment = { id: "c" + (list.length + 1), postId: m[1], author: { handle: state.me.handle }, text: body.text,
        createdAt: "2026-11-30T08:02:00Z" };
      list.push(comment);
      return reply(201, comment);
    }
    m = key.match(/^GET \/v1\/posts\/([^/]+)\/comments$/);
    if (m) return reply(200, { items: (state.comments && state.comments[m[1]]) || [] });
    m = key.match(/^DELETE \/v1\/posts\/([^/]+)\/comments\/([^/]+)$/);
    if (m) {
      state.comments[m[1]] = state.comments[m[1]].filter((c) => c.id !== m[2]);
      return reply(204);
    }
    if (key === "GET /v1/me/follow-requests") return reply(200, { items: state.followRequests || [] });
    m = key.match(/^POST \/v1\/me\/follow-requests\/([^/]+)\/(approve|deny)$/);
    if (m) {
      const handle = decodeURIComponent(m[1]);
      const before = (state.followRequests || []).length;
      state.followRequests = (state.followRequests || []).filter((p) => p.handle !== handle);
      const changed = state.followRequests.length < before;
      return reply(200, m[2] === "approve" ? { approved: true, changed } : { denied: true, changed });
    }
    if (key === "POST /v1/me/export") {
      state.exports = state.exports || [];
      const running = state.exports.find((e) => e.status === "running");
      if (running) {
        return reply(409, { error: { code: "export_running", message: "An export of your data is already running.", exportId: running.id } });
      }
      const item = { id: "e" + (state.exports.length + 1), status: "running", createdAt: "2026-11-30T08:00:00Z",
        expiresAt: "2026-12-07T08:00:00Z" };
      state.exports.unshift(item);
      return reply(202, { id: item.id, status: "running" });
    }
    if (key === "GET /v1/me/exports") return reply(200, { items: state.exports || [] });
    m = key.match(/^GET \/v1\/me\/exports\/([^/]+)$/);
    if (m) {
      const item = (state.exports || []).find((e) => e.id === m[1]);
      if (!item) return reply(404, { error: { code: "export_not_found", message: "No such export of yours." } });
      return reply(200, item.status === "ready" ? { ...item, url: "http://bucket.test/exports/" + item.id + ".zip?sig=" + state.requests.length } : item);
    }
    if (key === "POST /v1/notifications/read") {
      state.notifications = state.notifications.map((n) => ({ ...n, read: true }));
      return reply(204);
    }
    return reply(404, { error: { code: "route_not_found", message: "There is no route " + key } });
  };
  return { state, fetch };
}

/** A Storage (localStorage, sessionStorage) in memory. */
export function memoryStorage(initial = {}) {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key) => (values.has(key) ? values.get(key) : null),
    setItem: (key, value) => values.set(key, String(value)),
    removeItem: (key) => values.delete(key),
  };
}

/** Where the page is, for the sign-in's redirect URI. */
export const PAGE_LOCATION = { origin: "http://glint.test", pathname: "/", search: "", hash: "" };
