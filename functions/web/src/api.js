// A small client of the Glint HTTP API: every call is a documented route (see /openapi.yaml).

/** An error a person can read: the server's own message, or a plain sentence for what has none. */
export class ApiError extends Error {
  /** details: the API's error object as sent (some name what the error is about, e.g. exportId). */
  constructor(status, code, message, details = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

const PLAIN = {
  401: "Your sign-in is missing or has expired. Sign out and sign in again.",
  403: "You are not allowed to do that.",
  404: "That was not found.",
  413: "That is too large to send.",
  429: "Too many requests at once. Wait a moment and try again.",
};

/** The sentence to show for a failed response: the API's error.message, else a plain one for its status. */
export function plainMessage(status, json) {
  const message = json && json.error && json.error.message;
  if (message) return message;
  if (PLAIN[status]) return PLAIN[status];
  return status >= 500
    ? "Glint had a problem answering. Try again in a moment."
    : "The request was refused (" + status + ").";
}

async function readJson(response) {
  const text = await response.text();
  if (!text) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/**
 * The API as the app uses it. auth gives the bearer token: the page's sign-in (auth.js: fresh() renews a
 * token about to expire, refresh() renews it after a 401, once), or a function that returns a token as it is.
 * fetchImpl is the browser's fetch (a test passes its own).
 */
export function createApi(auth, fetchImpl = (...args) => fetch(...args)) {
  const session = typeof auth === "function" ? { fresh: async () => auth(), refresh: async () => false } : auth;
  async function send(url, init) {
    try {
      return await fetchImpl(url, init);
    } catch {
      throw new ApiError(0, "network", "Glint could not be reached. Check your connection and try again.");
    }
  }

  async function call(method, path, body, extraHeaders = {}) {
    const request = async () => {
      const headers = { ...extraHeaders, authorization: "Bearer " + await session.fresh() };
      if (body !== undefined) headers["content-type"] = "application/json";
      return send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    };
    let response = await request();
    // A token refused before its time (revoked, or the clock was off): renew it once and try again.
    if (response.status === 401 && await session.refresh()) response = await request();
    const json = await readJson(response);
    if (!response.ok) {
      throw new ApiError(response.status, (json.error && json.error.code) || "http_" + response.status, plainMessage(response.status, json),
        json.error || {});
    }
    return json;
  }

  const user = (handle) => "/v1/users/" + encodeURIComponent(handle);
  const post = (id) => "/v1/posts/" + encodeURIComponent(id);
  const experiment = (id) => "/v1/experiments/" + encodeURIComponent(id);
  // The experiments' version as GET /v1/experiments gave it, quoted as an entity tag.
  const ifMatch = (version) => (version === undefined || version === null ? {} : { "if-match": "\"" + version + "\"" });

  return {
    /** The local stack's sign-in: {token, sub, expiresIn} for this username from its dev issuer. */
    async devToken(username, groups = []) {
      const response = await send("/v1/dev/token", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(groups.length ? { username, groups } : { username }),
      });
      if (!response.ok) {
        const json = await readJson(response);
        // The local stack explains what it refused (a username with a space...); elsewhere there is no such route.
        if (json.error && json.error.message && response.status === 400) {
          throw new ApiError(400, json.error.code || "invalid_username", json.error.message);
        }
        throw new ApiError(response.status, "dev_sign_in_unavailable",
          "Signing in by name works on the local stack only, and this one did not answer it (" + response.status + ").");
      }
      return response.json();
    },
    me: () => call("GET", "/v1/me"),
    experiments: () => call("GET", "/v1/experiments"),
    results: (id) => call("GET", experiment(id) + "/results"),
    experimentChanges: (id) => call("GET", experiment(id) + "/changes"),
    /** Creates an experiment; with the version the list gave, refused (412) if someone changed them since. */
    createExperiment: (body, version) => call("POST", "/v1/experiments", body, ifMatch(version)),
    /** Changes an experiment's variants, allocation or status, made on the definitions at this version. */
    changeExperiment: (id, body, version) => call("PATCH", experiment(id), body, ifMatch(version)),
    dailyReport: (from, to) => call("GET", "/v1/reports/daily?from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to)),
    /** The stage's health and the version of the api function that answered (its x-glint-version header). */
    async health() {
      const response = await send("/health", { method: "GET" });
      const json = await readJson(response);
      return { status: response.status, json, version: response.headers && response.headers.get
        ? response.headers.get("x-glint-version") : null };
    },
    /** isPrivate (optional): make the account private (true) or public (false); absent keeps it. */
    saveProfile: (handle, displayName, isPrivate) => call("PUT", "/v1/me",
      isPrivate === undefined ? { handle, displayName } : { handle, displayName, private: isPrivate }),
    followRequests: () => call("GET", "/v1/me/follow-requests?limit=50"),
    approveRequest: (handle) => call("POST", "/v1/me/follow-requests/" + encodeURIComponent(handle) + "/approve"),
    denyRequest: (handle) => call("POST", "/v1/me/follow-requests/" + encodeURIComponent(handle) + "/deny"),
    follow: (handle) => call("POST", user(handle) + "/follow"),
    unfollow: (handle) => call("DELETE", user(handle) + "/follow"),
    user: (handle) => call("GET", user(handle)),
    userPosts: (handle, cursor) => call("GET", user(handle) + "/posts" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "")),
    followers: (handle) => call("GET", user(handle) + "/followers"),
    following: (handle) => call("GET", user(handle) + "/following"),
    tagPosts: (tag, cursor) => call("GET", "/v1/tags/" + encodeURIComponent(tag) + "/posts" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "")),
    searchUsers: (q) => call("GET", "/v1/search/users?q=" + encodeURIComponent(q)),
    feed: (cursor) => call("GET", "/v1/feed" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "")),
    notifications: () => call("GET", "/v1/notifications"),
    like: (id) => call("PUT", post(id) + "/like"),
    unlike: (id) => call("DELETE", post(id) + "/like"),
    comment: (id, text) => call("POST", post(id) + "/comments", { text }),
    comments: (id) => call("GET", post(id) + "/comments?limit=50"),
    deleteComment: (id, commentId) => call("DELETE", post(id) + "/comments/" + encodeURIComponent(commentId)),
    markRead: (upTo) => call("POST", "/v1/notifications/read", { upTo }),
    /** Starts an export of my data: {id, status: "running"}; 409 export_running (details.exportId) while one runs. */
    startExport: () => call("POST", "/v1/me/export"),
    /** One of my exports; when ready, with a download url minted for this read (valid 15 minutes). */
    dataExport: (id) => call("GET", "/v1/me/exports/" + encodeURIComponent(id)),
    dataExports: () => call("GET", "/v1/me/exports"),
    post: (id) => call("GET", post(id)),
    /** Reports a post ({postId}), a comment ({postId, commentId}) or an account ({handle}). */
    report: (body) => call("POST", "/v1/reports", body),
    moderationQueue: (cursor) => call("GET", "/v1/moderation/reports" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : "")),
    takedown: (id, reason) => call("POST", "/v1/moderation/reports/" + encodeURIComponent(id) + "/takedown", { reason }),
    dismiss: (id, reason) => call("POST", "/v1/moderation/reports/" + encodeURIComponent(id) + "/dismiss", reason ? { reason } : {}),
    moderationActions: () => call("GET", "/v1/moderation/actions"),

    /**
     * Shares an album of 1 to 10 photos, in order, each with its alt text: asks for a presigned
     * upload per photo, PUTs each file straight to the bucket, creates the post and waits for the
     * media worker to process every photo. onStatus hears each step in words.
     */
    async share(photos, caption, onStatus, { attempts = 60, pause = 1000 } = {}) {
      const uploads = [];
      for (let i = 0; i < photos.length; i++) {
        const { file, altText } = photos[i];
        onStatus(photos.length === 1 ? "Uploading…" : "Uploading photo " + (i + 1) + " of " + photos.length + "…");
        const upload = await call("POST", "/v1/uploads", { contentType: file.type, contentLength: file.size });
        // The browser sets the length and host itself.
        const headers = Object.fromEntries(Object.entries(upload.headers || {})
          .filter(([name]) => !["content-length", "host"].includes(name.toLowerCase())));
        const put = await send(upload.url, { method: upload.method, headers, body: file });
        if (!put.ok) {
          throw new ApiError(put.status, "upload_failed", "The photo could not be uploaded (the storage answered " + put.status + "). Try again.");
        }
        uploads.push({ uploadId: upload.uploadId, altText: altText || "" });
      }
      const created = await call("POST", "/v1/posts", { caption, photos: uploads });
      onStatus(photos.length === 1 ? "Processing your photo…" : "Processing your " + photos.length + " photos…");
      for (let i = 0; i < attempts; i++) {
        const current = await call("GET", post(created.id));
        if (current.status === "ready") return current;
        if (current.status !== "processing") {
          throw new ApiError(422, "media_refused", "The post was refused: " + (current.failureReason || current.status));
        }
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
      throw new ApiError(0, "still_processing", "Your photos are still being processed; refresh the feed in a little while.");
    },
  };
}
