import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { html } from "htm/preact";
import { screen, waitFor, within } from "@testing-library/dom";
import userEvent from "@testing-library/user-event";
import { Console } from "../src/components/Console.js";
import { createApi } from "../src/api.js";

const reply = (status, body) => ({ ok: status >= 200 && status < 300, status, text: async () => JSON.stringify(body),
  json: async () => body, headers: { get: () => null } });
const error = (status, code, message) => reply(status, { error: { code, message } });

const feedRanking = () => ({ id: "feed-ranking", description: "Affinity ranking", status: "running", control: "chronological",
  variants: [{ name: "chronological", weight: 50 }, { name: "affinity", weight: 50 }], metrics: ["likes"],
  start: "2026-11-01T00:00:00Z", end: "2026-12-31T00:00:00Z", allocation: 100, minimumDetectableLift: 0.1 });

/**
 * The experiment routes as the API answers them, with the stored version that If-Match must name: a
 * write at another version is 412, an id in use 409; each write is logged. Every request is kept.
 */
function experimentsServer({ items = [feedRanking()], guardrails = false } = {}) {
  const state = { version: 7, items, changes: {}, requests: [], results: {} };
  if (guardrails) state.items.forEach((e) => { e.guardrails = e.guardrails || []; });
  const log = (id, action, fields, reason) => {
    state.version += 1;
    (state.changes[id] = state.changes[id] || []).unshift({ at: "2026-11-30T10:00:00Z", version: state.version,
      by: { id: "sub-pm", handle: "pm_ana" }, action, ...(reason ? { reason } : {}), fields });
  };
  const fetch = async (url, init = {}) => {
    const method = init.method || "GET";
    const body = init.body ? JSON.parse(init.body) : undefined;
    state.requests.push({ method, url, body, headers: init.headers || {} });
    const stale = init.headers && init.headers["if-match"] && init.headers["if-match"] !== "\"" + state.version + "\"";
    if (url === "/health") return reply(200, {});
    if (url.startsWith("/v1/reports/daily")) return reply(200, { days: [] });
    if (method === "GET" && url === "/v1/experiments") return reply(200, { items: state.items, version: state.version });
    if (method === "POST" && url === "/v1/experiments") {
      if (stale) return error(412, "version_mismatch", "changed since");
      if (state.taken === body.id || state.items.some((e) => e.id === body.id)) {
        return error(409, "experiment_exists", "An experiment '" + body.id + "' exists; change it with PATCH or choose another id.");
      }
      if (body.guardrails && !guardrails) return error(400, "unknown_field", "Unknown field(s) [guardrails]; this route accepts [...]");
      const created = { status: "running", allocation: 100, ...body };
      state.items.push(created);
      log(body.id, "created", { variants: { before: null, after: body.variants } });
      return reply(201, { experiment: created, version: state.version });
    }
    let m = url.match(/^\/v1\/experiments\/([^/]+)$/);
    if (method === "PATCH" && m) {
      if (stale) return error(412, "version_mismatch", "The experiments changed since version 7 (now 8)");
      const experiment = state.items.find((e) => e.id === m[1]);
      const { reason, ...patch } = body;
      const fields = {};
      Object.entries(patch).forEach(([name, after]) => { fields[name] = { before: experiment[name], after }; });
      Object.assign(experiment, patch);
      log(m[1], "changed", fields, reason);
      if (state.deploying) {
        return error(409, "deployment_in_progress", "Version " + state.version + " is stored and in the change log, but an earlier "
          + "deployment is still rolling out, so it is not deployed yet; it goes out with the next change once that deployment is done.");
      }
      return reply(200, { experiment, version: state.version });
    }
    m = url.match(/^\/v1\/experiments\/([^/]+)\/changes$/);
    if (m) return reply(200, { items: state.changes[m[1]] || [] });
    m = url.match(/^\/v1\/experiments\/([^/]+)\/results$/);
    if (m) return reply(200, state.results[m[1]]);
    return error(404, "route_not_found", "no " + method + " " + url);
  };
  /** Someone else writes: the stored version moves on and the weights change. */
  state.otherWrites = (weights) => {
    state.items[0].variants = state.items[0].variants.map((v, i) => ({ ...v, weight: weights[i] }));
    state.version += 1;
  };
  return { state, fetch };
}

function start(server) {
  const root = document.createElement("div");
  document.body.append(root);
  render(html`<${Console} api=${createApi(() => "t", server.fetch)} signedIn=${true} />`, root);
  return userEvent.setup();
}

const writes = (server) => server.state.requests.filter((r) => r.method !== "GET");

afterEach(() => document.body.replaceChildren());

describe("the console manages experiments", () => {
  it("creates an experiment with the version it read, without guardrails where the API has none, and lists it", async () => {
    const server = experimentsServer();
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "New experiment" }));
    const form = screen.getByRole("form", { name: "New experiment" });
    expect(within(form).queryByRole("group", { name: /Guardrails/ })).toBeNull();
    await user.type(within(form).getByLabelText("Id"), "feed-ranking-2");
    await user.clear(within(form).getByLabelText("Weight of variant 2"));
    await user.type(within(form).getByLabelText("Weight of variant 2"), "3");
    expect(within(form).getByText("75 % of users")).toBeTruthy();
    await user.click(within(form).getByLabelText("comments"));
    await user.click(within(form).getByRole("button", { name: "Create the experiment" }));

    await screen.findByText("Created feed-ranking-2.");
    const [post] = writes(server);
    expect(post.headers["if-match"]).toBe("\"7\"");
    expect(post.body).toMatchObject({ id: "feed-ranking-2", surface: "feed", control: "control", metrics: ["likes", "comments"],
      variants: [{ name: "control", weight: 1 }, { name: "treatment", weight: 3 }], allocation: 100 });
    expect(post.body).not.toHaveProperty("guardrails");
    expect(await screen.findByRole("heading", { name: /^feed-ranking-2 running/ })).toBeTruthy();
    expect(screen.queryByRole("form", { name: "New experiment" })).toBeNull();
  });

  it("names what to fix beside each field before sending, and focuses the first", async () => {
    const server = experimentsServer();
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "New experiment" }));
    const form = screen.getByRole("form", { name: "New experiment" });
    await user.type(within(form).getByLabelText("Id"), "Feed Ranking");
    await user.clear(within(form).getByLabelText("Weight of variant 1"));
    await user.type(within(form).getByLabelText("Weight of variant 1"), "0");
    await user.click(within(form).getByRole("button", { name: "Create the experiment" }));

    const id = within(form).getByLabelText("Id");
    expect(id.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(id.getAttribute("aria-describedby")).textContent).toMatch(/lower-case letters/);
    expect(document.activeElement).toBe(id);
    expect(within(form).getByText("Variant 'control' needs a whole weight from 1 to 10,000.")).toBeTruthy();
    expect(writes(server)).toEqual([]);
  });

  it("shows the API's refusal next to the field it names", async () => {
    const server = experimentsServer();
    server.state.taken = "feed-ranking-3";
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "New experiment" }));
    const form = screen.getByRole("form", { name: "New experiment" });
    await user.type(within(form).getByLabelText("Id"), "feed-ranking-3");
    await user.click(within(form).getByRole("button", { name: "Create the experiment" }));

    const id = within(form).getByLabelText("Id");
    await waitFor(() => expect(id.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(id.getAttribute("aria-describedby")).textContent)
      .toBe("An experiment 'feed-ranking-3' exists; change it with PATCH or choose another id.");
  });

  it("offers guardrails where the API lists them, and sends the chosen ones", async () => {
    const server = experimentsServer({ guardrails: true });
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "New experiment" }));
    const form = screen.getByRole("form", { name: "New experiment" });
    const guardrails = within(form).getByRole("group", { name: "Guardrails (optional)" });
    await user.click(within(guardrails).getByLabelText("Unfollow rate"));
    await user.click(within(guardrails).getByLabelText("Error rate"));
    await user.type(within(form).getByLabelText("Id"), "safe-ranking");
    await user.click(within(form).getByRole("button", { name: "Create the experiment" }));

    await screen.findByText("Created safe-ranking.");
    expect(writes(server)[0].body.guardrails).toEqual(["error_rate", "unfollow_rate"]);
  });

  it("changes the weights with If-Match, and shows the change in the log", async () => {
    const server = experimentsServer();
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "Change weights of feed-ranking" }));
    const form = screen.getByRole("form", { name: "Change feed-ranking" });
    await user.clear(within(form).getByLabelText("Weight of chronological"));
    await user.type(within(form).getByLabelText("Weight of chronological"), "80");
    await user.clear(within(form).getByLabelText("Weight of affinity"));
    await user.type(within(form).getByLabelText("Weight of affinity"), "20");
    await user.type(within(form).getByLabelText(/^Reason/), "affinity hurts comments");
    await user.click(within(form).getByRole("button", { name: "Save the change" }));

    await screen.findByText("Changed feed-ranking: a new revision starts.");
    expect(writes(server)[0]).toMatchObject({ method: "PATCH", url: "/v1/experiments/feed-ranking", headers: { "if-match": "\"7\"" },
      body: { variants: [{ name: "chronological", weight: 80 }, { name: "affinity", weight: 20 }], reason: "affinity hurts comments" } });
    expect(screen.getByText(/chronological 80 \(80 %\), affinity 20 \(20 %\)/)).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Show changes of feed-ranking" }));
    const log = await screen.findByRole("region", { name: "Changes of feed-ranking" });
    expect(within(log).getByText(/by @pm_ana/).textContent).toContain("“affinity hurts comments”");
    expect(within(log).getByText("variants: chronological 50, affinity 50 → chronological 80, affinity 20")).toBeTruthy();
  });

  it("changes the guardrails of a running experiment where the API lists them, weights untouched", async () => {
    const server = experimentsServer({ guardrails: true });
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "Change weights of feed-ranking" }));
    const form = screen.getByRole("form", { name: "Change feed-ranking" });
    const guardrails = within(form).getByRole("group", { name: "Guardrails of feed-ranking" });
    await user.click(within(guardrails).getByLabelText("95th percentile latency"));
    await user.click(within(form).getByRole("button", { name: "Save the change" }));

    await screen.findByText("Changed feed-ranking.");
    expect(writes(server)[0]).toMatchObject({ method: "PATCH", url: "/v1/experiments/feed-ranking", headers: { "if-match": "\"7\"" },
      body: { guardrails: ["p95_latency"] } });
    expect(writes(server)[0].body).not.toHaveProperty("variants");
  });

  it("offers no guardrails in a change where the API has none", async () => {
    const user = start(experimentsServer());
    await user.click(await screen.findByRole("button", { name: "Change weights of feed-ranking" }));
    const form = screen.getByRole("form", { name: "Change feed-ranking" });
    expect(within(form).queryByRole("group", { name: /^Guardrails/ })).toBeNull();
  });

  it("tells the person someone else changed the experiments (412) and reads them again", async () => {
    const server = experimentsServer();
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "Change weights of feed-ranking" }));
    server.state.otherWrites([90, 10]);
    const form = screen.getByRole("form", { name: "Change feed-ranking" });
    await user.clear(within(form).getByLabelText("Allocation of feed-ranking (% of users)"));
    await user.type(within(form).getByLabelText("Allocation of feed-ranking (% of users)"), "20");
    await user.click(within(form).getByRole("button", { name: "Save the change" }));

    expect((await screen.findByText(/Someone else changed the experiments since you opened them/)).getAttribute("role")).toBe("status");
    expect(screen.getByText(/chronological 90 \(90 %\), affinity 10 \(10 %\)/)).toBeTruthy();
    expect(server.state.items[0].allocation).toBe(100);
    // Sent again, the change goes with the version read now.
    await user.click(within(form).getByRole("button", { name: "Save the change" }));
    await screen.findByText("Changed feed-ranking: a new revision starts.");
    expect(writes(server).map((w) => w.headers["if-match"])).toEqual(["\"7\"", "\"8\""]);
    expect(writes(server)[1].body).toEqual({ allocation: 20 });
    expect(screen.getByText(/chronological 90 \(90 %\), affinity 10 \(10 %\)/)).toBeTruthy();
  });

  it("stops an experiment with a reason, then runs it again", async () => {
    const server = experimentsServer();
    const user = start(server);
    await user.type(await screen.findByLabelText("Reason to stop feed-ranking (optional)"), "hurts comments");
    await user.click(screen.getByRole("button", { name: "Stop feed-ranking" }));

    await screen.findByText("Stopped feed-ranking.");
    expect(writes(server)[0].body).toEqual({ status: "stopped", reason: "hurts comments" });
    expect(screen.getByRole("heading", { name: "feed-ranking stopped" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Run feed-ranking again" }));
    await screen.findByText("Running again: feed-ranking.");
    expect(writes(server)[1].body).toEqual({ status: "running" });
  });

  it("says a stop waits for a deployment still rolling out, and shows it stored", async () => {
    const server = experimentsServer();
    server.state.deploying = true;
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "Stop feed-ranking" }));

    expect((await screen.findByText(/^Version 8 is stored and in the change log/)).getAttribute("role")).toBe("status");
    expect(screen.getByRole("heading", { name: "feed-ranking stopped" })).toBeTruthy();
    expect(screen.queryByRole("alert")?.textContent || "").toBe("");
  });

  it("highlights an experiment the guardrails stopped, with the reason", async () => {
    const stopped = { ...feedRanking(), status: "stopped", stoppedReason: "sample ratio mismatch in revision 3f9a1c: p = 3.7e-13 < 0.001",
      stoppedBy: { id: "system:guardrails" } };
    const byPm = { ...feedRanking(), id: "other", status: "stopped", stoppedBy: { id: "sub-pm", handle: "pm_ana" } };
    start(experimentsServer({ items: [stopped, byPm] }));

    const automatic = await screen.findByText("Stopped automatically by the guardrails");
    expect(automatic.closest("p").className).toBe("stopped automatic");
    expect(automatic.closest("p").textContent).toContain("sample ratio mismatch in revision 3f9a1c: p = 3.7e-13 < 0.001. Everyone sees");
    expect(screen.getByText("Stopped by @pm_ana").closest("p").className).toBe("stopped");
  });

  it("shows the always-valid test beside the fixed one, the sample size and the guardrails", async () => {
    const server = experimentsServer();
    server.state.results["feed-ranking"] = { revision: "3f9a1c", sampleRatio: { chiSquare: 0.4, degreesOfFreedom: 1, pValue: 0.53, mismatch: false,
      threshold: 0.001, alwaysValidPValue: 1 }, metrics: [{ metric: "likes", sampleSize: { minimumDetectableLift: 0.1, controlRate: 0.1, perVariant: 14751, reached: false },
      variants: [{ name: "chronological", control: true, exposures: 1000, conversions: 100, rate: 0.1 },
        { name: "affinity", control: false, exposures: 1000, conversions: 130, rate: 0.13, lift: { value: 0.3, low95: 0.017, high95: 0.6 },
          pValue: 0.0355, significant: true, sequential: { pValue: 0.5363, low95: -0.0278, high95: 0.0878, significant: false } }] }],
    guardrails: [{ metric: "error_rate", variant: "chronological", value: 0.002, n: 5000, pValue: null, degraded: false },
      { metric: "p95_latency", variant: "affinity", value: 412.6, n: 4800, pValue: 0.0004, degraded: true }] };
    const user = start(server);
    await user.click(await screen.findByRole("button", { name: "Show results of feed-ranking" }));

    const results = await screen.findByRole("region", { name: "Results of feed-ranking" });
    expect(within(results).getByText(/Which to trust:/).closest("p").textContent).toMatch(/more than once, read the\s+always-valid/);
    expect(within(results).getByText(/Sample ratio check passed/).textContent)
      .toMatch(/automatic stop's always-valid check, which may be read at any time: p = 1\.0000\./);
    const row = within(within(results).getByRole("region", { name: "likes per variant" })).getAllByRole("row")[2].textContent;
    expect(row).toContain("0.0355 significant");
    expect(row).toContain("0.5363");
    expect(row).toContain("−2.78 pp to +8.78 pp");
    expect(within(results).getByText(/14,751 users per variant/)).toBeTruthy();
    const guardrails = within(results).getByRole("table", { name: "Guardrails" });
    const rows = within(guardrails).getAllByRole("row").map((r) => r.textContent);
    expect(rows[1]).toBe("Error ratechronological0.20 %5,000—ok");
    expect(rows[2]).toBe("95th percentile latencyaffinity413 ms4,8000.0004Degraded");
  });
});
