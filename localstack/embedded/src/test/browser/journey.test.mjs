// The web client in a real browser, as a person uses it: controls found by role and label, every view
// checked with axe-core and photographed (support.mjs). WebClientBrowserIT starts the stack and runs
// every *.test.mjs file here.
import { test } from "node:test";
import assert from "node:assert/strict";
import { URL_, person, view, eventually, signUp, png, started, useBrowser } from "./support.mjs";

useBrowser();
test("a new user shares a photo; a second follows, likes and comments; the first hears of it", { timeout: 150_000 }, async () => {
  const suffix = Date.now().toString(36).slice(-6);
  const ann = "ann_" + suffix;
  const ben = "ben_" + suffix;
  const caption = "Sunset at the pier #glint";

  const first = await person();
  await signUp(first, ann, "Ann Example", true);
  await view(first, "03-signed-in");

  // An album of two: the first photo described, the second not.
  const described = "An orange sunset over the pier";
  await first.getByLabel("Photos", { exact: true }).setInputFiles([
    { name: "sunset.png", mimeType: "image/png", buffer: png(320, 240) },
    { name: "pier.png", mimeType: "image/png", buffer: png(240, 320) }]);
  await first.getByLabel("Describe photo 1 (sunset.png) for people who cannot see it").fill(described);
  await first.getByLabel("Caption", { exact: true }).fill(caption);
  await first.getByRole("button", { name: "Post" }).click();
  await first.getByText("Posted.").waitFor({ timeout: 60_000 });
  assert.equal(await first.getByLabel("Caption", { exact: true }).inputValue(), "", "the share form is cleared after posting");
  assert.equal(await first.getByLabel("Photos", { exact: true }).inputValue(), "", "the photos are cleared after posting");
  await view(first, "04-shared");

  const ownPost = first.getByRole("article", { name: "Post by @" + ann });
  const photo = ownPost.getByRole("img", { name: described });
  await eventually("the post in the author's feed", () => first.getByRole("button", { name: "Refresh feed" }).click(),
    async () => (await photo.count()) > 0 && photo.evaluate((img) => img.complete && img.naturalWidth > 0));
  assert.ok(await ownPost.getByText("Photo 1 of 2").isVisible(), "the album says where the reader is");
  await ownPost.getByRole("button", { name: "Next photo" }).click();
  const next = ownPost.getByRole("img", { name: "Photo 2 of 2 by @" + ann + " (no description)" });
  await eventually("the album's second photo", async () => {}, async () => (await next.count()) > 0
    && next.evaluate((img) => img.complete && img.naturalWidth > 0));
  await view(first, "05-feed");

  const second = await person();
  await signUp(second, ben, "Ben Example", false);
  await second.getByLabel("Handle to follow").fill(ann);
  await second.getByRole("button", { name: "Follow", exact: true }).click();
  await second.getByText("You follow @" + ann + " now.").waitFor();
  await view(second, "06-followed");

  const post = second.getByRole("article", { name: "Post by @" + ann });
  await eventually("the followed author's post in the follower's feed",
    () => second.getByRole("button", { name: "Refresh feed" }).click(), async () => (await post.count()) > 0);
  await post.getByRole("button", { name: "Like", exact: true }).click();
  await post.getByRole("button", { name: "Liked", exact: true }).waitFor();
  // The server remembers the like: after a reload the button still says so.
  await second.reload();
  await eventually("the like remembered after a reload", () => second.getByRole("button", { name: "Refresh feed" }).click(),
    async () => (await post.getByRole("button", { name: "Liked", exact: true }).count()) > 0);
  await post.getByLabel("Comment", { exact: true }).fill("Lovely light!");
  await post.getByRole("button", { name: "Send comment" }).click();
  await post.getByText("Comment sent.").waitFor();
  await post.getByRole("list", { name: "Comments on the post by @" + ann }).getByText("Lovely light!").waitFor();
  await view(second, "07-liked-and-commented");

  // Ben finds Ann by name, opens her page from the result: he follows her, and her album is in her grid.
  await second.getByRole("link", { name: "Find people" }).click();
  await second.getByLabel("Name or handle").fill("ann exa");
  await second.getByRole("button", { name: "Search" }).click();
  await second.getByRole("list", { name: "People found" }).getByRole("link", { name: "@" + ann }).click();
  const annPage = second.getByRole("region", { name: "Ann Example @" + ann });
  await annPage.getByRole("button", { name: "Following", exact: true }).waitFor();
  await annPage.getByRole("img", { name: described + " (one of 2 photos)" }).waitFor();
  await view(second, "07b-profile-page");
  await second.getByRole("link", { name: "Home" }).click();

  const notifications = first.getByRole("list", { name: "Notifications" });
  const expected = ["@" + ben + " followed you", "@" + ben + " liked your post", "@" + ben + " commented on your post"];
  await eventually("the author's notifications", () => first.getByRole("button", { name: "Refresh notifications" }).click(),
    async () => {
      if ((await notifications.count()) === 0) return false;
      const text = await notifications.textContent();
      return expected.every((line) => text.includes(line));
    });
  await first.getByRole("heading", { name: "Notifications 3 unread" }).waitFor();
  await view(first, "08-notifications");
  await first.getByRole("button", { name: "Mark all as read" }).click();
  await first.getByRole("heading", { name: "Notifications", exact: true }).waitFor();

  // On a phone's viewport the same views work and pass the same checks.
  const phone = await person({ width: 390, height: 844 });
  await signUp(phone, "cy_" + suffix, "Cy Example", false);
  await phone.getByLabel("Handle to follow").fill(ann);
  await phone.getByRole("button", { name: "Follow", exact: true }).click();
  await eventually("the album on a phone", () => phone.getByRole("button", { name: "Refresh feed" }).click(),
    async () => (await phone.getByRole("img", { name: described }).count()) > 0);
  await view(phone, "08b-phone-feed");

  // The console answers Ann, outside the product group, with a page that says so, never raw JSON.
  await first.goto(new URL("/console", URL_).href);
  await first.getByRole("heading", { name: "This console is for the product group" }).waitFor();
  await view(first, "09-console-refused");

  // A product team member signs in with the product group and reads the feed-ranking experiment and the daily report.
  const analyst = await person();
  await analyst.goto(URL_);
  await analyst.getByLabel("Username").fill("pm_" + suffix);
  await analyst.getByLabel("Product team (the console)").check();
  await analyst.getByRole("button", { name: "Sign in (local stack)" }).click();
  await analyst.getByLabel("Handle", { exact: true }).waitFor();
  await analyst.goto(new URL("/console", URL_).href);
  await analyst.getByRole("heading", { name: "Experiments" }).waitFor();
  await analyst.getByRole("button", { name: "Show results of feed-ranking" }).click();
  await analyst.getByRole("img", { name: /^Chart of feed-ranking, / }).first().waitFor();
  await analyst.getByRole("img", { name: /^Chart of the daily report/ }).waitFor();
  assert.match(await analyst.getByRole("heading", { name: "Serving" }).locator("xpath=..").textContent(), /Healthy · version /);
  await view(analyst, "10-console");
  console.log(`  journey done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** The API as a script calls it, with a token of the local dev issuer for this username. */
async function apiAs(username) {
  const answer = await fetch(new URL("/v1/dev/token", URL_), { method: "POST", body: JSON.stringify({ username }) });
  assert.equal(answer.status, 200, "a dev token for " + username);
  const { token } = await answer.json();
  return async (method, path, body) => {
    const response = await fetch(new URL(path, URL_), { method, headers: { authorization: "Bearer " + token,
      ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    assert.ok(response.ok, method + " " + path + ": " + response.status + " " + text);
    return text ? JSON.parse(text) : {};
  };
}

/** Shares one photo through the API (presigned upload, post, wait until processed); returns the post's id. */
async function sharedPhoto(call, caption) {
  const bytes = png(160, 120);
  const upload = await call("POST", "/v1/uploads", { contentType: "image/png", contentLength: bytes.length });
  const headers = Object.fromEntries(Object.entries(upload.headers || {}).filter(([name]) => !["content-length", "host"].includes(name.toLowerCase())));
  const put = await fetch(upload.url, { method: upload.method, headers, body: bytes });
  assert.ok(put.ok, "the presigned upload: " + put.status);
  const post = await call("POST", "/v1/posts", { caption, photos: [{ uploadId: upload.uploadId, altText: "A test card" }] });
  for (let i = 0; i < 120; i++) {
    const current = await call("GET", "/v1/posts/" + encodeURIComponent(post.id));
    if (current.status === "ready") return post.id;
    assert.equal(current.status, "processing", "the post was refused: " + JSON.stringify(current));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  assert.fail("the photo was still processing after a minute");
}

test("signing in through the managed login: the PKCE round trip, a reload that stays signed in, and sign-out", { timeout: 90_000 }, async () => {
  const dee = "dee_" + Date.now().toString(36).slice(-6);
  const page = await person();
  await page.goto(URL_);
  await page.getByRole("button", { name: "Sign in or create an account" }).click();

  // The local stand-in for Cognito's managed login, on its own origin.
  await page.getByRole("heading", { name: "Sign in to Glint" }).waitFor();
  const authorize = new URL(page.url());
  assert.equal(authorize.pathname, "/oauth2/authorize");
  assert.notEqual(authorize.origin, new URL(URL_).origin, "the sign-in page is another origin, as a user pool domain is");
  assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
  assert.equal(authorize.searchParams.get("response_type"), "code");
  await view(page, "11-managed-login");
  await page.getByLabel("Username").fill(dee);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();

  // Back on the page: the code was exchanged and taken out of the address bar.
  await page.getByLabel("Handle", { exact: true }).waitFor();
  const back = new URL(page.url());
  assert.equal(back.origin, new URL(URL_).origin);
  assert.equal(back.search, "", "no ?code or ?state left in the address bar");
  await page.getByLabel("Handle", { exact: true }).fill(dee);
  await page.getByLabel("Display name").fill("Dee Example");
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByText("Signed in as @" + dee).waitFor();
  await view(page, "12-managed-signed-in");

  await page.reload();
  await page.getByText("Signed in as @" + dee).waitFor();

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in or create an account" }).waitFor();
  assert.equal(new URL(page.url()).origin, new URL(URL_).origin, "the logout endpoint sent the browser back to the page");
  await page.reload();
  await page.getByRole("button", { name: "Sign in or create an account" }).waitFor();
  assert.equal(await page.getByText("Signed in as @" + dee).count(), 0, "signed out for good");
  await view(page, "13-signed-out");
});

test("a like reaches the author's open page over the realtime socket, with no reload", { timeout: 120_000 }, async () => {
  const suffix = Date.now().toString(36).slice(-6);
  const eve = "eve_" + suffix;
  const fay = "fay_" + suffix;
  const author = await person();
  await signUp(author, eve, "Eve Example", false);
  const id = await sharedPhoto(await apiAs(eve), "Live from the pier");
  // Live, the page reads nothing on a timer: whatever arrives now came over the socket.
  await author.getByText("Live: new notifications appear as they happen.").waitFor();
  assert.equal(await author.getByRole("heading", { name: /unread/ }).count(), 0, "no notification before the like");

  const liker = await person();
  await signUp(liker, fay, "Fay Example", false);
  await liker.goto(new URL("/#/p/" + encodeURIComponent(id), URL_).href);
  const post = liker.getByRole("article", { name: "Post by @" + eve });
  await post.getByRole("button", { name: "Like", exact: true }).click();
  await post.getByRole("button", { name: "Liked", exact: true }).waitFor();

  try {
    await author.getByRole("heading", { name: "Notifications 1 unread" }).waitFor({ timeout: 10_000 });
  } catch {
    assert.fail("the like did not reach the author's open page within 10 s: the realtime socket delivered no notification "
      + "(the page was live, so no polling would have found it either)");
  }
  await author.getByRole("list", { name: "Notifications" }).getByText("@" + fay + " liked your post").waitFor();
  await view(author, "14-live-notification");
});
