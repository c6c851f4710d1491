import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { html } from "htm/preact";
import { screen, within } from "@testing-library/dom";
import userEvent from "@testing-library/user-event";
import { Console } from "../src/components/Console.js";
import { wilson } from "../src/components/Charts.js";
import { createApi } from "../src/api.js";

const reply = (status, body, headers = {}) => ({ ok: status >= 200 && status < 300, status, text: async () => JSON.stringify(body),
  json: async () => body, headers: { get: (name) => headers[name] || null } });

function start(routes) {
  const fetch = async (url) => {
    const key = url.replace(/\?.*/, "");
    return routes[key] ? routes[key]() : reply(404, { error: { code: "route_not_found", message: "no " + key } });
  };
  const root = document.createElement("div");
  document.body.append(root);
  render(html`<${Console} api=${createApi(() => "t", fetch)} signedIn=${true} />`, root);
  return userEvent.setup();
}

afterEach(() => document.body.replaceChildren());

describe("the console", () => {
  it("refuses, in a page, someone outside the product group", async () => {
    start({ "/health": () => reply(200, {}), "/v1/experiments": () => reply(403, { error: { code: "forbidden", message: "product only" } }) });

    expect(await screen.findByRole("heading", { name: "This console is for the product group" })).toBeTruthy();
    expect(screen.getByText(/not in the product group/)).toBeTruthy();
  });

  it("shows an experiment's results per variant with intervals, lift and p-value, and warns of a sample ratio mismatch", async () => {
    const experiment = { id: "feed-ranking", status: "running", variants: [{ name: "chronological", weight: 50 }, { name: "affinity", weight: 50 }],
      allocation: 100, start: "2026-11-01T00:00:00Z", end: "2026-12-31T00:00:00Z" };
    const user = start({
      "/health": () => reply(200, { status: "ok" }, { "x-glint-version": "7" }),
      "/v1/experiments": () => reply(200, { items: [experiment] }),
      "/v1/experiments/feed-ranking/results": () => reply(200, { experiment, sampleRatio: { pValue: 0.00001, mismatch: true },
        metrics: [{ metric: "likes", variants: [
          { name: "chronological", control: true, exposures: 100, conversions: 20, rate: 0.2 },
          { name: "affinity", control: false, exposures: 100, conversions: 30, rate: 0.3, lift: { value: 0.5, low95: 0.1, high95: 0.9 },
            pValue: 0.1, significant: false }] }] }),
      "/v1/reports/daily": () => reply(200, { days: [{ date: "2026-11-30", newUsers: 2, posts: 3, likes: 4, comments: 1, activeUsers: 3,
        topHashtags: { sea: 2 } }] }),
    });

    expect(await screen.findByText("Healthy · version 7")).toBeTruthy();
    await user.click(await screen.findByRole("button", { name: "Show results of feed-ranking" }));

    const results = await screen.findByRole("region", { name: "Results of feed-ranking" });
    expect(within(results).getByRole("alert").textContent).toContain("Sample ratio mismatch");
    const rows = within(results).getAllByRole("row").map((r) => r.textContent);
    expect(rows[2]).toContain("50.00 % (10.00 %–90.00 %)");
    expect(rows[2]).toContain("0.1000");
    expect(within(results).getByRole("img", { name: /^Chart of feed-ranking, likes: chronological 20.00 %/ })).toBeTruthy();
    expect(await screen.findByRole("img", { name: /^Chart of the daily report/ })).toBeTruthy();
    expect(screen.getByText("#sea (2)")).toBeTruthy();
  });

  it("computes a proportion's 95 % Wilson interval", () => {
    const [low, high] = wilson(20, 100);
    expect(low).toBeCloseTo(0.1333, 3);
    expect(high).toBeCloseTo(0.2888, 3);
    expect(wilson(0, 0)).toEqual([0, 0]);
  });
});
