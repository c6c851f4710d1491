// Sign-in: the stage's configuration (/config.json), Cognito's managed login with the authorization code
// flow and PKCE (RFC 7636, S256), the local stack's dev issuer, and the session the page keeps.

/** A sign-in problem a person can read. */
export class AuthError extends Error {}

const SESSION = "glint.session";
const PENDING = "glint.signIn";
/** Refresh this long before the ID token expires, so no request goes out with a token about to lapse. */
const EARLY_MS = 60_000;

const NO_CONFIG = { signIn: { devIssuer: false, managed: null }, realtimeUrl: null };

/** The stage's configuration; when it cannot be read, nothing is offered and the page says why. */
export async function loadConfig(fetchImpl = (...args) => fetch(...args)) {
  try {
    const response = await fetchImpl("/config.json", { headers: { accept: "application/json" } });
    if (!response.ok) return { ...NO_CONFIG, problem: "Glint's configuration could not be read (" + response.status + "). Reload the page." };
    return await response.json();
  } catch {
    return { ...NO_CONFIG, problem: "Glint could not be reached. Check your connection and reload the page." };
  }
}

const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A PKCE code verifier: 32 random bytes, base64url (43 characters, RFC 7636 4.1). */
export function newVerifier(cryptoImpl = globalThis.crypto) {
  return base64url(cryptoImpl.getRandomValues(new Uint8Array(32)));
}

/** The S256 code challenge of a verifier: BASE64URL(SHA-256(ASCII(verifier))) (RFC 7636 4.2). */
export async function challengeOf(verifier, cryptoImpl = globalThis.crypto) {
  return base64url(await cryptoImpl.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
}

/** The claims of a JWT, unverified: the page only reads the expiry of its own token. */
function claimsOf(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(part + "=".repeat((4 - (part.length % 4)) % 4)));
  } catch {
    return {};
  }
}

/**
 * The page's sign-in and its session.
 *
 * The bearer is the ID token, not the access token: the api reads who the caller is from the token's claims
 * (cognito:groups for the console, email and email_verified for digests), and only Cognito's ID token carries
 * email; the HTTP API's JWT authorizer takes either (it checks the app client in aud, or in client_id), and so
 * does the realtime authorizer.
 *
 * The session is kept in localStorage: a reload and the console page (same origin) find it, which
 * sessionStorage would not give a new tab, and a static page has no server to hold an HttpOnly cookie for it.
 * What guards it is the page's policy: scripts from this origin only, nothing inline, text never parsed as
 * markup, so no other script runs where the token is. The PKCE verifier and state live in sessionStorage:
 * they are needed only by this tab, for the one round trip to the sign-in page.
 */
export function createAuth({
  config,
  storage = globalThis.localStorage,
  pending = globalThis.sessionStorage,
  fetchImpl = (...args) => fetch(...args),
  cryptoImpl = globalThis.crypto,
  location = globalThis.location,
  history = globalThis.history,
  navigate = (url) => globalThis.location.assign(url),
  now = () => Date.now(),
}) {
  const managed = config.signIn && config.signIn.managed;
  const redirectUri = location.origin + "/";
  let session = read();
  let refreshing = null;
  const listeners = new Set();

  function read() {
    try {
      const value = JSON.parse(storage.getItem(SESSION) || "null");
      return value && value.idToken ? value : null;
    } catch {
      return null;
    }
  }
  function write(next) {
    session = next;
    if (next) storage.setItem(SESSION, JSON.stringify(next));
    else storage.removeItem(SESSION);
    listeners.forEach((listener) => listener(next));
  }
  function fromTokens(tokens, kind, refreshToken) {
    const exp = claimsOf(tokens.id_token).exp;
    return { kind, idToken: tokens.id_token, refreshToken: refreshToken || null,
      expiresAt: exp ? exp * 1000 : now() + (tokens.expires_in || 3600) * 1000 };
  }

  async function tokenRequest(fields) {
    let response;
    try {
      response = await fetchImpl(managed.url + "/oauth2/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ client_id: managed.clientId, ...fields }).toString(),
      });
    } catch {
      throw new AuthError("The sign-in service could not be reached. Check your connection and try again.");
    }
    let json = {};
    try {
      json = await response.json();
    } catch {
      // Cognito answers JSON; anything else is treated as a refusal below.
    }
    if (!response.ok || !json.id_token) {
      const error = new AuthError(json.error === "invalid_grant"
        ? "The sign-in has expired or was already used. Sign in again."
        : "The sign-in service refused the sign-in (" + (json.error || response.status) + "). Sign in again.");
      error.code = json.error || "http_" + response.status;
      throw error;
    }
    return json;
  }

  const auth = {
    config,
    /** The ID token of the moment, or null. */
    token: () => (session ? session.idToken : null),
    signedIn: () => Boolean(session),
    kind: () => (session ? session.kind : null),
    /** Hears every change of session (sign-in, refresh, sign-out). */
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** Sends the browser to the managed login, having kept a new verifier and state for the way back. */
    async beginManagedLogin() {
      const verifier = newVerifier(cryptoImpl);
      const state = newVerifier(cryptoImpl);
      pending.setItem(PENDING, JSON.stringify({ verifier, state }));
      const query = new URLSearchParams({
        response_type: "code",
        client_id: managed.clientId,
        redirect_uri: redirectUri,
        state,
        scope: managed.scopes.join(" "),
        code_challenge: await challengeOf(verifier, cryptoImpl),
        code_challenge_method: "S256",
      });
      navigate(managed.url + "/oauth2/authorize?" + query.toString());
    },

    /**
     * On the way back from the managed login (?code&state, or ?error&state): takes the parameters out of the
     * address bar first (a code in the history or a bookmark is of no use to anyone, and a reload must not
     * replay it), checks the state is the one this tab sent, and exchanges the code with its verifier.
     * Resolves true when it signed in, false when there was nothing to complete; throws an AuthError to show.
     */
    async completeManagedLogin() {
      const params = new URLSearchParams(location.search);
      if (!params.has("code") && !params.has("error")) return false;
      history.replaceState(history.state, "", location.pathname + location.hash);
      let expected = null;
      try {
        expected = JSON.parse(pending.getItem(PENDING) || "null");
      } catch {
        expected = null;
      }
      pending.removeItem(PENDING);
      if (!managed || !expected || params.get("state") !== expected.state) {
        throw new AuthError("That sign-in was not started from this page, so it was not used. Sign in again.");
      }
      if (params.has("error")) {
        throw new AuthError("The sign-in did not complete (" + params.get("error") + "). Sign in again.");
      }
      const tokens = await tokenRequest({ grant_type: "authorization_code", code: params.get("code"),
        redirect_uri: redirectUri, code_verifier: expected.verifier });
      write(fromTokens(tokens, "managed", tokens.refresh_token));
      return true;
    },

    /** The dev issuer's token (the local stack's sign-in by name). */
    signInDev(token, expiresIn) {
      const exp = claimsOf(token).exp;
      write({ kind: "dev", idToken: token, refreshToken: null,
        expiresAt: exp ? exp * 1000 : now() + (expiresIn || 3600) * 1000 });
    },

    /**
     * New tokens from the refresh token; one refresh at a time, however many callers ask. Resolves true when
     * the session was renewed; false when it cannot be (no refresh token, or refused: then it is signed out).
     */
    refresh() {
      if (!session || !session.refreshToken || !managed) return Promise.resolve(false);
      if (!refreshing) {
        const refreshToken = session.refreshToken;
        refreshing = tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken })
          .then((tokens) => {
            write(fromTokens(tokens, "managed", tokens.refresh_token || refreshToken));
            return true;
          }, (error) => {
            if (error.code) write(null); // refused (not unreachable): the session is over
            return false;
          })
          .finally(() => {
            refreshing = null;
          });
      }
      return refreshing;
    },

    /** The ID token, renewed first when it is about to expire. */
    async fresh() {
      if (session && session.refreshToken && session.expiresAt - now() < EARLY_MS) await auth.refresh();
      return auth.token();
    },

    /** Forgets the session; after a managed login, also ends it at the sign-in service (its logout endpoint). */
    signOut() {
      const wasManaged = session && session.kind === "managed";
      write(null);
      if (wasManaged && managed) {
        navigate(managed.url + "/logout?" + new URLSearchParams({ client_id: managed.clientId, logout_uri: redirectUri }).toString());
      }
    },
  };
  return auth;
}
