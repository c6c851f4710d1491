import { afterEach, describe, expect, it } from "vitest";
import { webcrypto } from "node:crypto";
import { render } from "preact";
import { html } from "htm/preact";
import { screen, waitFor } from "@testing-library/dom";
import userEvent from "@testing-library/user-event";
import { AuthError, challengeOf, createAuth, loadConfig, newVerifier } from "../src/auth.js";
import { createApi } from "../src/api.js";
import { App } from "../src/components/App.js";
import { fakeServer, memoryStorage } from "./fakeServer.js";

const MANAGED = { url: "https://login.test", clientId: "web-client", scopes: ["openid", "email", "profile"] };
const CONFIG = { signIn: { devIssuer: false, managed: MANAGED }, realtimeUrl: null };

/** A JWT-shaped token (unsigned: the page only reads its expiry). */
function jwt(claims) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return part({ alg: "RS256" }) + "." + part(claims) + ".sig";
}

/** The managed login's token endpoint, as the page calls it; every request is kept. */
function tokenEndpoint(answers) {
  const requests = [];
  const fetch = async (url, init = {}) => {
    const form = Object.fromEntries(new URLSearchParams(init.body || ""));
    requests.push({ url, method: init.method, headers: init.headers, form });
    const [status, body] = answers.shift() || [404, {}];
    return { ok: status === 200, status, json: async () => body };
  };
  return { requests, fetch };
}

function page(search = "") {
  const replaced = [];
  const location = { origin: "http://glint.test", pathname: "/", search, hash: "#/p/42" };
  const history = { state: null, replaceState: (state, title, url) => replaced.push(url) };
  return { location, history, replaced };
}

function auth({ search = "", answers = [], storage = memoryStorage(), pending = memoryStorage(), now = () => 1_000_000 } = {}) {
  const where = page(search);
  const endpoint = tokenEndpoint(answers);
  const navigations = [];
  const a = createAuth({ config: CONFIG, storage, pending, fetchImpl: endpoint.fetch, cryptoImpl: webcrypto,
    location: where.location, history: where.history, navigate: (url) => navigations.push(url), now });
  return { auth: a, navigations, storage, pending, requests: endpoint.requests, replaced: where.replaced };
}

afterEach(() => document.body.replaceChildren());

describe("PKCE", () => {
  it("derives the S256 challenge of RFC 7636's appendix B", async () => {
    expect(await challengeOf("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", webcrypto))
      .toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });

  it("makes a new 43-character verifier each time", () => {
    const one = newVerifier(webcrypto);
    expect(one).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newVerifier(webcrypto)).not.toBe(one);
  });
});

describe("managed login", () => {
  it("sends the browser to the authorize endpoint with a challenge of the verifier it keeps, and a state", async () => {
    const { auth: a, navigations, pending } = auth();

    await a.beginManagedLogin();

    const url = new URL(navigations[0]);
    expect(url.origin + url.pathname).toBe("https://login.test/oauth2/authorize");
    const kept = JSON.parse(pending.getItem("glint.signIn"));
    expect(Object.fromEntries(url.searchParams)).toEqual({ response_type: "code", client_id: "web-client",
      redirect_uri: "http://glint.test/", state: kept.state, scope: "openid email profile",
      code_challenge: await challengeOf(kept.verifier, webcrypto), code_challenge_method: "S256" });
  });

  it("exchanges the code with its verifier, takes ?code&state out of the address bar and keeps the session", async () => {
    const pending = memoryStorage({ "glint.signIn": JSON.stringify({ verifier: "v".repeat(43), state: "s1" }) });
    const idToken = jwt({ exp: 5000 });
    const { auth: a, requests, replaced, storage } = auth({ search: "?code=c1&state=s1", pending,
      answers: [[200, { id_token: idToken, access_token: "a", refresh_token: "r1", expires_in: 3600, token_type: "Bearer" }]] });

    expect(await a.completeManagedLogin()).toBe(true);

    expect(replaced).toEqual(["/#/p/42"]);
    expect(requests).toEqual([{ url: "https://login.test/oauth2/token", method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      form: { client_id: "web-client", grant_type: "authorization_code", code: "c1", redirect_uri: "http://glint.test/",
        code_verifier: "v".repeat(43) } }]);
    expect(a.token()).toBe(idToken);
    expect(JSON.parse(storage.getItem("glint.session"))).toEqual({ kind: "managed", idToken, refreshToken: "r1", expiresAt: 5_000_000 });
    expect(pending.getItem("glint.signIn")).toBeNull();
  });

  it("refuses an answer whose state is not the one it sent, in words, without calling the token endpoint", async () => {
    const pending = memoryStorage({ "glint.signIn": JSON.stringify({ verifier: "v".repeat(43), state: "mine" }) });
    const { auth: a, requests, replaced } = auth({ search: "?code=c1&state=theirs", pending });

    await expect(a.completeManagedLogin()).rejects.toThrow(new AuthError(
      "That sign-in was not started from this page, so it was not used. Sign in again."));
    expect(requests).toEqual([]);
    expect(replaced).toEqual(["/#/p/42"]);
    expect(a.signedIn()).toBe(false);
  });

  it("says plainly when the code was refused", async () => {
    const pending = memoryStorage({ "glint.signIn": JSON.stringify({ verifier: "v".repeat(43), state: "s1" }) });
    const { auth: a } = auth({ search: "?code=c1&state=s1", pending, answers: [[400, { error: "invalid_grant" }]] });

    await expect(a.completeManagedLogin()).rejects.toThrow("The sign-in has expired or was already used. Sign in again.");
    expect(a.signedIn()).toBe(false);
  });

  it("has nothing to complete on an ordinary load", async () => {
    const { auth: a, replaced } = auth();
    expect(await a.completeManagedLogin()).toBe(false);
    expect(replaced).toEqual([]);
  });

  it("renews the ID token with the refresh token shortly before it expires, keeping the refresh token", async () => {
    let clock = 1_000_000;
    const storage = memoryStorage({ "glint.session": JSON.stringify({ kind: "managed", idToken: "old", refreshToken: "r1",
      expiresAt: 1_000_000 + 30_000 }) });
    const fresh = jwt({ exp: 4600 });
    const { auth: a, requests } = auth({ storage, now: () => clock, answers: [[200, { id_token: fresh, access_token: "a", expires_in: 3600 }]] });

    expect(await a.fresh()).toBe(fresh);
    expect(requests.map((r) => r.form)).toEqual([{ client_id: "web-client", grant_type: "refresh_token", refresh_token: "r1" }]);
    expect(JSON.parse(storage.getItem("glint.session")).refreshToken).toBe("r1");
    clock += 60_000;
    expect(await a.fresh()).toBe(fresh);
    expect(requests.length).toBe(1);
  });

  it("renews once on a 401 and sends the request again with the new token", async () => {
    const storage = memoryStorage({ "glint.session": JSON.stringify({ kind: "managed", idToken: "revoked", refreshToken: "r1",
      expiresAt: 9_000_000_000_000 }) });
    const login = tokenEndpoint([[200, { id_token: "renewed", access_token: "a", expires_in: 3600 }]]);
    const seen = [];
    const fetch = async (url, init) => {
      if (url.startsWith("https://login.test")) return login.fetch(url, init);
      seen.push(init.headers.authorization);
      const ok = init.headers.authorization === "Bearer renewed";
      return { ok, status: ok ? 200 : 401, text: async () => (ok ? '{"handle":"alice"}' : "") };
    };
    const a = createAuth({ config: CONFIG, storage, pending: memoryStorage(), fetchImpl: fetch, location: page().location,
      history: page().history, navigate: () => {} });

    expect(await createApi(a, fetch).me()).toEqual({ handle: "alice" });
    expect(seen).toEqual(["Bearer revoked", "Bearer renewed"]);
  });

  it("signs out when the refresh token is refused, and a 401 is then shown in words", async () => {
    const storage = memoryStorage({ "glint.session": JSON.stringify({ kind: "managed", idToken: "t", refreshToken: "r1",
      expiresAt: 9_000_000_000_000 }) });
    const login = tokenEndpoint([[400, { error: "invalid_grant" }]]);
    const fetch = async (url, init) => (url.startsWith("https://login.test") ? login.fetch(url, init)
      : { ok: false, status: 401, text: async () => "" });
    const a = createAuth({ config: CONFIG, storage, pending: memoryStorage(), fetchImpl: fetch, location: page().location,
      history: page().history, navigate: () => {} });

    await expect(createApi(a, fetch).me()).rejects.toThrow("Your sign-in is missing or has expired.");
    expect(a.signedIn()).toBe(false);
    expect(storage.getItem("glint.session")).toBeNull();
  });

  it("signs out through the managed login's logout endpoint, back to the page", () => {
    const storage = memoryStorage({ "glint.session": JSON.stringify({ kind: "managed", idToken: "t", refreshToken: "r1", expiresAt: 0 }) });
    const { auth: a, navigations } = auth({ storage });

    a.signOut();

    expect(storage.getItem("glint.session")).toBeNull();
    expect(navigations).toEqual(["https://login.test/logout?client_id=web-client&logout_uri=http%3A%2F%2Fglint.test%2F"]);
  });

  it("reads the stage's configuration, and says so when it cannot", async () => {
    const ok = await loadConfig(async () => ({ ok: true, status: 200, json: async () => CONFIG }));
    expect(ok).toEqual(CONFIG);
    const down = await loadConfig(async () => {
      throw new TypeError("offline");
    });
    expect(down.signIn).toEqual({ devIssuer: false, managed: null });
    expect(down.problem).toMatch(/could not be reached/);
  });
});

describe("the sign-in page", () => {
  function show(config) {
    const server = fakeServer();
    const navigations = [];
    const a = createAuth({ config, storage: memoryStorage(), pending: memoryStorage(), fetchImpl: server.fetch, cryptoImpl: webcrypto,
      location: page().location, history: page().history, navigate: (url) => navigations.push(url) });
    const root = document.createElement("div");
    document.body.append(root);
    render(html`<${App} api=${createApi(a, server.fetch)} auth=${a} />`, root);
    return { navigations, user: userEvent.setup() };
  }

  it("offers the managed login, and no name form and no token pasting, when the stage has no dev issuer", async () => {
    const { navigations, user } = show(CONFIG);

    expect(screen.queryByLabelText("Username")).toBeNull();
    expect(screen.queryByLabelText(/token/i)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Sign in or create an account" }));

    await waitFor(() => expect(navigations[0]).toMatch(/^https:\/\/login\.test\/oauth2\/authorize\?/));
  });

  it("offers the name form only where the dev issuer is on", () => {
    show({ signIn: { devIssuer: true, managed: null }, realtimeUrl: null });

    expect(screen.getByLabelText("Username")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Sign in or create an account" })).toBeNull();
  });

  it("says when the stage offers no sign-in at all", () => {
    show({ signIn: { devIssuer: false, managed: null }, realtimeUrl: null });

    expect(screen.getByText(/Sign-in is not set up for this stage/)).toBeTruthy();
  });
});
