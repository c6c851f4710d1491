// The console's experiments in a real browser against the embedded stack (its API, its local AppConfig and
// its change log): a product manager creates an experiment, changes its weights while someone else changes
// it too, reads its change log, stops it and reads its results, at desktop and phone width.
import { test } from "node:test";
import assert from "node:assert/strict";
import { URL_, person, view, useBrowser } from "./support.mjs";

useBrowser();
test("a product manager creates an experiment, changes its weights, reads its change log and stops it", { timeout: 120_000 }, async () => {
  const suffix = Date.now().toString(36).slice(-6);
  const handle = "pm_" + suffix;
  const id = "larger-photos-" + suffix;

  // Signed in by name with the product group, onboarded so that the change log can name the handle.
  const pm = await person();
  await pm.goto(URL_);
  await pm.getByLabel("Username").fill(handle);
  await pm.getByLabel("Product team (the console)").check();
  await pm.getByRole("button", { name: "Sign in (local stack)" }).click();
  await pm.getByLabel("Handle", { exact: true }).fill(handle);
  await pm.getByLabel("Display name").fill("Pat Manager");
  await pm.getByRole("button", { name: "Continue" }).click();
  await pm.getByRole("heading", { name: "Share photos" }).waitFor();

  await pm.goto(new URL("/console", URL_).href);
  await pm.getByRole("button", { name: "New experiment" }).click();
  const form = pm.getByRole("form", { name: "New experiment" });
  // Guardrails are offered exactly where the API lists them (it refuses fields it does not know).
  const other = await productApi("other_" + suffix);
  const listed = await other("GET", "/v1/experiments");
  assert.equal(await form.getByRole("group", { name: "Guardrails (optional)" }).count(),
    listed.items.some((e) => "guardrails" in e) ? 1 : 0, "guardrail choices only where the API takes them");

  await form.getByLabel("Id").fill(id);
  await form.getByLabel("Description (optional)").fill("Larger photos in the feed");
  await form.getByLabel("Variant 2 name").fill("larger");
  await form.getByLabel("comments").check();
  await form.getByLabel("Weight of variant 2").fill("0");
  await form.getByRole("button", { name: "Create the experiment" }).click();
  await form.getByText("Variant 'larger' needs a whole weight from 1 to 10,000.").waitFor();
  assert.equal(await form.getByLabel("Weight of variant 2").count(), 1);
  await view(pm, "experiments-01-form-problem");

  await form.getByLabel("Weight of variant 2").fill("1");
  await form.getByRole("button", { name: "Create the experiment" }).click();
  await pm.getByText("Created " + id + ".").waitFor();
  const card = pm.getByRole("article", { name: new RegExp("^" + id + " ") });
  assert.match(await card.textContent(), /control 1 \(50 %\), larger 1 \(50 %\); control control/);
  assert.match(await card.textContent(), /100 % of users/);
  await view(pm, "experiments-02-created");

  // New weights, while someone else halves the allocation: the write is refused (412), the page says so and reads again.
  await card.getByRole("button", { name: "Change weights of " + id }).click();
  const change = card.getByRole("form", { name: "Change " + id });
  await change.getByLabel("Weight of control").fill("4");
  await change.getByLabel(/^Reason/).fill("fewer users on larger photos at first");
  const { version } = await other("GET", "/v1/experiments");
  await other("PATCH", "/v1/experiments/" + id, { allocation: 50 }, { "if-match": "\"" + version + "\"" });
  await change.getByRole("button", { name: "Save the change" }).click();
  await pm.getByText(/Someone else changed the experiments since you opened them/).waitFor();
  assert.match(await card.textContent(), /50 % of users/, "the list read again shows the other change");
  await view(pm, "experiments-03-conflict");

  await change.getByRole("button", { name: "Save the change" }).click();
  await pm.getByText("Changed " + id + ": a new revision starts.").waitFor();
  assert.match(await card.textContent(), /control 4 \(80 %\), larger 1 \(20 %\)/);
  assert.match(await card.textContent(), /50 % of users/, "sent again, the change keeps the other's allocation");

  // The change log: both changes, who and why, newest first.
  await card.getByRole("button", { name: "Show changes of " + id }).click();
  const log = card.getByRole("region", { name: "Changes of " + id });
  await log.getByText("variants: control 1, larger 1 → control 4, larger 1").waitFor();
  const entries = await log.locator(":scope > ol > li").allTextContents();
  assert.equal(entries.length, 3, "created, the allocation, the weights: " + entries.join(" | "));
  assert.match(entries[0], new RegExp("^Changed by @" + handle + ", .*“fewer users on larger photos at first”"));
  assert.doesNotMatch(entries[0], /allocation/, "only the weights changed: " + entries[0]);
  assert.match(entries[1], /allocation: 100 → 50/);
  assert.match(entries[2], new RegExp("^Created by @" + handle));

  // Stopped with a reason: the status, who and why, and the log follows.
  await card.getByLabel("Reason to stop " + id + " (optional)").fill("the photos load too slowly");
  await card.getByRole("button", { name: "Stop " + id }).click();
  await pm.getByText("Stopped " + id + ".").waitFor();
  await pm.getByRole("heading", { name: id + " stopped" }).waitFor();
  assert.match(await card.textContent(), new RegExp("Stopped by @" + handle + ": the photos load too slowly"));
  await log.getByText("status: running → stopped").waitFor();
  assert.equal((await other("GET", "/v1/experiments")).items.find((e) => e.id === id).status, "stopped", "stopped in the API");

  await card.getByRole("button", { name: "Show results of " + id }).click();
  const results = card.getByRole("region", { name: "Results of " + id });
  await results.getByText(/Which to trust:/).waitFor();
  await results.getByRole("columnheader", { name: "p-value, always valid" }).first().waitFor();
  await view(pm, "experiments-04-stopped");

  // At a phone's width nothing runs off the side: wide tables scroll inside their own region.
  // Chart.js sizes a canvas in pixels and follows a narrower window a frame or more later (on a busy machine,
  // later still): a chart held at its desktop width must not widen the page meanwhile. Measured in the same
  // task as the canvases are held, so the chart cannot catch up first.
  await pm.setViewportSize({ width: 375, height: 800 });
  const held = await pm.evaluate(() => {
    const canvases = [...document.querySelectorAll(".chart canvas")];
    canvases.forEach((c) => { c.dataset.width = c.style.width; c.style.width = "600px"; });
    const wider = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    canvases.forEach((c) => { c.style.width = c.dataset.width; });
    return { canvases: canvases.length, wider };
  });
  assert.ok(held.canvases > 0, "the results draw a chart");
  assert.ok(held.wider <= 0, "with its charts still 600 px wide the page is " + held.wider + " px wider than the phone");
  await card.getByRole("button", { name: "Run " + id + " again" }).waitFor();
  const settled = await pm.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() =>
    done(document.documentElement.scrollWidth - document.documentElement.clientWidth)))));
  assert.ok(settled <= 0, "once the charts follow, the page is " + settled + " px wider than the phone: " + await widest(pm));
  await view(pm, "experiments-05-phone");
  await pm.getByRole("button", { name: "New experiment" }).click();
  await form.getByLabel("Variant 2 name").waitFor();
  const formOverflow = await pm.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(formOverflow <= 0, "with the form open the page is " + formOverflow + " px wider than the phone: " + await widest(pm));
  await view(pm, "experiments-06-phone-form");
});

/** The innermost elements reaching past the window's right edge, to say what runs off the side. */
function widest(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const past = [...document.body.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > width + 0.5);
    return past.filter((e) => !past.some((other) => other !== e && e.contains(other))).slice(0, 5)
      .map((e) => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
        + " right " + Math.round(e.getBoundingClientRect().right) + " px").join(", ") || "nothing found";
  });
}

/** The API as a second product manager's script calls it, with a dev token in the product group. */
async function productApi(username) {
  const answer = await fetch(new URL("/v1/dev/token", URL_), { method: "POST", body: JSON.stringify({ username, groups: ["product"] }) });
  assert.equal(answer.status, 200, "a dev token for " + username);
  const { token } = await answer.json();
  return async (method, path, body, headers = {}) => {
    const response = await fetch(new URL(path, URL_), { method, headers: { authorization: "Bearer " + token, ...headers,
      ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const text = await response.text();
    assert.ok(response.ok, method + " " + path + ": " + response.status + " " + text);
    return text ? JSON.parse(text) : {};
  };
}
