// What every browser test file shares: the browser (Debian's Chromium driven by playwright-core), the
// stack's gateway URL (GLINT_URL, from WebClientBrowserIT), people in their own contexts, views checked
// with axe-core (critical or serious violations fail) and photographed into GLINT_SCREENSHOTS.
import { before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { chromium } from "playwright-core";

export const URL_ = process.env.GLINT_URL;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SHOTS = process.env.GLINT_SCREENSHOTS || "target/browser";
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
export const started = Date.now();

assert.ok(URL_, "GLINT_URL must name the stack's gateway");
mkdirSync(SHOTS, { recursive: true });

let browser;
/** Launches the browser before the file's tests and closes it after them; call once at a test file's top level. */
export function useBrowser() {
before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // --no-sandbox: CI runs as root; --disable-dev-shm-usage: a container's small /dev/shm cannot crash the renderer.
    args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
});
after(async () => {
  await browser?.close();
});
}

/** A page in a fresh context (its own storage: one person), whose CSP violations and script errors are kept. */
export async function person(viewport = { width: 900, height: 1000 }) {
  const context = await browser.newContext({ viewport, isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push("script error: " + error.message));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) page.problems.push("CSP: " + message.text());
  });
  return page;
}

/** Photographs the view and checks it with axe-core: critical and serious violations fail. */
export async function view(page, name) {
  await page.screenshot({ path: join(SHOTS, name + ".png"), fullPage: true });
  // Through the DevTools protocol, as a browser extension would: the page's own policy forbids inline scripts.
  await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const serious = result.violations.filter((v) => v.impact === "critical" || v.impact === "serious")
    .map((v) => v.impact + " " + v.id + ": " + v.help + " at " + v.nodes.map((n) => n.target.join(" ")).join(", "));
  assert.deepEqual(serious, [], name + ": accessibility violations");
  assert.deepEqual(page.problems, [], name + ": the page broke its policy or threw");
  console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s  ${name}: ${result.violations.length} minor violations`);
}

/** Retries an action until its check passes, as a person presses Refresh until something shows. */
export async function eventually(what, action, check, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    await action();
    if (await check()) return;
    if (Date.now() > deadline) assert.fail("gave up waiting for " + what);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Signs in by name on the local stack and onboards with a handle and a display name. */
export async function signUp(page, handle, displayName, shot) {
  await page.goto(URL_);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  if (shot) {
    const paint = await page.evaluate(() => {
      const entry = performance.getEntriesByName("first-contentful-paint")[0];
      return entry ? Math.round(entry.startTime) : null;
    });
    console.log(`  first contentful paint of the signed-out page: ${paint} ms`);
    await view(page, "01-signed-out");
  }
  await page.getByLabel("Username").fill(handle);
  await page.getByRole("button", { name: "Sign in (local stack)" }).click();
  await page.getByRole("heading", { name: "Welcome to Glint" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Share photos" }).count(), 0, "nothing else before onboarding");
  if (shot) await view(page, "02-onboarding");
  await page.getByLabel("Handle", { exact: true }).fill(handle);
  await page.getByLabel("Display name").fill(displayName);
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Share photos" }).waitFor();
  await page.getByText("Signed in as @" + handle).waitFor();
}

/** A real PNG: a 320 x 240 gradient. */
export function png(width, height) {
  const crc32 = (bytes) => {
    let crc = ~0;
    for (const byte of bytes) {
      crc ^= byte;
      for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
    }
    return ~crc >>> 0;
  };
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // RGB
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      rows[row + 1 + x * 3] = Math.round((x * 255) / width);
      rows[row + 2 + x * 3] = Math.round((y * 255) / height);
      rows[row + 3 + x * 3] = 160;
    }
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header), chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

