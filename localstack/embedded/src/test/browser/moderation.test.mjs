// Reports and moderation in a real browser: a reader reports a post with a reason, a moderator takes it
// down from the console's queue, and the post is gone for the reader. Every view is checked with
// axe-core (support.mjs); WebClientBrowserIT runs this file beside the others.
import { test } from "node:test";
import assert from "node:assert/strict";
import { URL_, person, view, eventually, signUp, png, useBrowser } from "./support.mjs";

useBrowser();
test("a reader reports a post, a moderator takes it down, and it is gone for the reader", { timeout: 150_000 }, async () => {
  const suffix = Date.now().toString(36).slice(-6);
  const ava = "ava_" + suffix;
  const rex = "rex_" + suffix;
  const caption = "Cheap followers here " + suffix;

  const author = await person();
  await signUp(author, ava, "Ava Example", false);
  await author.getByLabel("Photos", { exact: true }).setInputFiles([{ name: "ad.png", mimeType: "image/png", buffer: png(320, 240) }]);
  await author.getByLabel("Caption", { exact: true }).fill(caption);
  await author.getByRole("button", { name: "Post" }).click();
  await author.getByText("Posted.").waitFor({ timeout: 60_000 });

  const reader = await person();
  await signUp(reader, rex, "Rex Example", false);
  await reader.getByLabel("Handle to follow").fill(ava);
  await reader.getByRole("button", { name: "Follow", exact: true }).click();
  await reader.getByText("You follow @" + ava + " now.").waitFor();
  const post = reader.getByRole("article", { name: "Post by @" + ava });
  await eventually("the post in the reader's feed", () => reader.getByRole("button", { name: "Refresh feed" }).click(),
    async () => (await post.count()) > 0);
  const postLink = await post.locator('a[href^="#/p/"]').first().getAttribute("href");

  // The report: a reason picked from the list, a few words, sent once confirmed.
  await post.getByRole("button", { name: "Report the post by @" + ava }).click();
  const form = reader.getByRole("form", { name: "Report the post by @" + ava + ": why?" });
  await form.getByRole("button", { name: "Send report" }).click();
  assert.equal(await form.getByRole("alert").textContent(), "Pick a reason.");
  await form.getByLabel("Spam").check();
  await form.getByLabel("Details for the moderators (optional)").fill("Selling followers.");
  await view(reader, "m1-report-form");
  await form.getByRole("button", { name: "Send report" }).click();
  await post.getByText("Thank you: moderators will look at the post by @" + ava + ".").waitFor();
  await view(reader, "m2-reported");

  // The author sees no report button on their own post, and no moderation queue in the console.
  const own = author.getByRole("article", { name: "Post by @" + ava });
  await eventually("the post in the author's feed", () => author.getByRole("button", { name: "Refresh feed" }).click(),
    async () => (await own.count()) > 0);
  assert.equal(await own.getByRole("button", { name: /^Report/ }).count(), 0, "nobody reports their own post");
  await author.goto(new URL("/console", URL_).href);
  await author.getByRole("heading", { name: "This console is for the product group" }).waitFor();
  assert.equal(await author.getByRole("heading", { name: "Reports to moderate" }).count(), 0, "the queue is for moderators");

  // A moderator signs in with the moderator group and takes the post down from the queue.
  const moderator = await person();
  await moderator.goto(URL_);
  await moderator.getByLabel("Username").fill("mo_" + suffix);
  await moderator.getByLabel("Moderator").check();
  await moderator.getByRole("button", { name: "Sign in (local stack)" }).click();
  await moderator.getByLabel("Handle", { exact: true }).waitFor();
  await moderator.goto(new URL("/console", URL_).href);
  await moderator.getByRole("heading", { name: "Reports to moderate" }).waitFor();
  const card = moderator.getByRole("listitem").filter({ hasText: caption });
  await card.waitFor();
  assert.match(await card.textContent(), /1 person reported it \(spam 1\)/);
  await view(moderator, "m3-queue");
  await card.getByRole("button", { name: "Take down: A post by @" + ava }).click();
  assert.match(await card.getByRole("alert").textContent(), /reason/);
  await card.getByLabel("Reason (its owner reads it)").fill("Spam: selling followers.");
  await card.getByRole("button", { name: "Take down: A post by @" + ava }).click();
  await moderator.getByText("Taken down: A post by @" + ava + ".").waitFor();
  assert.match(await moderator.getByRole("list", { name: "Decisions" }).textContent(), /took down a post by @ava_/);
  await view(moderator, "m4-taken-down");

  // Gone for the reader: not in the feed, and its page answers as a missing post does.
  await eventually("the post gone from the reader's feed", () => reader.getByRole("button", { name: "Refresh feed" }).click(),
    async () => (await post.count()) === 0);
  await reader.goto(new URL(postLink, URL_).href);
  await reader.getByRole("alert").filter({ hasText: "No post" }).waitFor();
  await view(reader, "m5-gone-for-the-reader");

  // Its author still sees it, with why, and is told.
  await author.goto(new URL(postLink, URL_).href);
  await author.getByRole("note").filter({ hasText: "Moderators took this post down (Spam: selling followers.)" }).waitFor();
  await author.goto(URL_);
  const notifications = author.getByRole("list", { name: "Notifications" });
  await eventually("the author told", () => author.getByRole("button", { name: "Refresh notifications" }).click(),
    async () => (await notifications.count()) > 0 && (await notifications.textContent()).includes("Moderators took down your post"));
  await view(author, "m6-author-told");
});
