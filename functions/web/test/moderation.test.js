import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { html } from "htm/preact";
import { screen, waitFor, within } from "@testing-library/dom";
import userEvent from "@testing-library/user-event";
import { createApi } from "../src/api.js";
import { Post } from "../src/components/Post.js";
import { Moderation } from "../src/components/Moderation.js";
import { decisionProblem, describeReasons, describeTarget, reportBody, reportProblem } from "../src/moderation.js";

const reply = (status, body) => ({ ok: status >= 200 && status < 300, status, text: async () => JSON.stringify(body),
  json: async () => body, headers: { get: () => null } });

/** A fetch that answers "METHOD /path" from the routes given and keeps every request. */
function server(routes) {
  const requests = [];
  const fetch = async (url, init = {}) => {
    const method = init.method || "GET";
    const body = init.body ? JSON.parse(init.body) : undefined;
    requests.push({ method, url, body });
    const route = routes[method + " " + url.replace(/\?.*/, "")];
    return route ? route(body) : reply(404, { error: { code: "route_not_found", message: "no " + url } });
  };
  return { requests, api: createApi(() => "t", fetch) };
}

function show(view) {
  const root = document.createElement("div");
  document.body.append(root);
  render(view, root);
  return userEvent.setup();
}

const POST = { id: "p1", author: { id: "a", handle: "alice" }, caption: "sea", createdAt: "2026-11-30T08:00:00Z", status: "ready",
  photos: [{ media: { w640: "http://media.test/p1.jpg" }, altText: "the sea" }], likes: 0, comments: 0, likedByMe: false };

afterEach(() => document.body.replaceChildren());

describe("what a report and a decision must hold", () => {
  it("needs a listed reason, details for 'other', and at most 1,000 characters of them", () => {
    expect(reportProblem("", "")).toBe("Pick a reason.");
    expect(reportProblem("boring", "")).toBe("Pick a reason.");
    expect(reportProblem("other", "  ")).toMatch(/Say what is wrong/);
    expect(reportProblem("other", "a scam")).toBeNull();
    expect(reportProblem("spam", "")).toBeNull();
    expect(reportProblem("spam", "x".repeat(1001))).toMatch(/1000 characters \(1001 now\)/);
    expect(reportProblem("spam", "😀".repeat(1000))).toBeNull();
  });

  it("sends one target, the reason, and details only when given", () => {
    expect(reportBody({ postId: "p1" }, "spam", "  ")).toEqual({ postId: "p1", reason: "spam" });
    expect(reportBody({ postId: "p1", commentId: "c1" }, "hate", " why ")).toEqual({ postId: "p1", commentId: "c1", reason: "hate", details: "why" });
    expect(reportBody({ handle: "bob" }, "spam")).toEqual({ handle: "bob", reason: "spam" });
  });

  it("asks a takedown for a reason, not a dismissal", () => {
    expect(decisionProblem("takedown", " ")).toMatch(/reason/);
    expect(decisionProblem("takedown", "Spam.")).toBeNull();
    expect(decisionProblem("dismiss", "")).toBeNull();
    expect(decisionProblem("dismiss", "x".repeat(501))).toMatch(/500 characters/);
  });

  it("describes a report's target and its reasons, most given first", () => {
    expect(describeTarget({ owner: { handle: "alice" }, target: { kind: "post" } })).toBe("A post by @alice");
    expect(describeTarget({ owner: { handle: "bob" }, target: { kind: "comment" } })).toBe("A comment by @bob");
    expect(describeTarget({ owner: { handle: "eve" }, target: { kind: "account" } })).toBe("The account @eve");
    expect(describeReasons({ hate: 1, spam: 3, harassment: 1 })).toBe("spam 3, harassment 1, hate 1");
  });
});

describe("reporting", () => {
  it("reports someone else's post with a reason picked, once confirmed, and says so", async () => {
    const { api, requests } = server({ "POST /v1/reports": (body) => reply(202, { target: { kind: "post", postId: body.postId },
      reason: body.reason, createdAt: "2026-11-30T09:00:00Z" }) });
    const user = show(html`<${Post} api=${api} post=${POST} me=${{ handle: "bob" }} onError=${() => {}} />`);

    await user.click(screen.getByRole("button", { name: "Report the post by @alice" }));
    const form = screen.getByRole("form", { name: "Report the post by @alice: why?" });
    await user.click(within(form).getByRole("button", { name: "Send report" }));
    expect(within(form).getByRole("alert").textContent).toBe("Pick a reason.");
    expect(requests.filter((r) => r.url === "/v1/reports")).toHaveLength(0);

    await user.click(within(form).getByLabelText("Spam"));
    await user.type(within(form).getByLabelText("Details for the moderators (optional)"), "Same link everywhere");
    await user.click(within(form).getByRole("button", { name: "Send report" }));

    await waitFor(() => expect(screen.getByText("Thank you: moderators will look at the post by @alice.")).toBeTruthy());
    expect(requests.filter((r) => r.url === "/v1/reports")).toEqual([{ method: "POST", url: "/v1/reports",
      body: { postId: "p1", reason: "spam", details: "Same link everywhere" } }]);
  });

  it("offers no report of one's own post, and shows its author why moderators removed it", () => {
    const { api } = server({});
    show(html`<${Post} api=${api} post=${{ ...POST, status: "removed", removed: { reason: "Spam links.", at: "2026-11-30T10:00:00Z" } }}
      me=${{ handle: "alice" }} onError=${() => {}} />`);

    expect(screen.queryByRole("button", { name: /^Report/ })).toBeNull();
    expect(screen.getByRole("note").textContent).toContain("Moderators took this post down (Spam links.)");
  });

  it("shows the API's refusal in the form", async () => {
    const { api } = server({ "POST /v1/reports": () => reply(404, { error: { code: "post_not_found", message: "No post 'p1'." } }) });
    const user = show(html`<${Post} api=${api} post=${POST} me=${{ handle: "bob" }} onError=${() => {}} />`);

    await user.click(screen.getByRole("button", { name: "Report the post by @alice" }));
    await user.click(screen.getByLabelText("Hate"));
    await user.click(screen.getByRole("button", { name: "Send report" }));

    expect((await screen.findByRole("alert")).textContent).toBe("No post 'p1'.");
  });
});

describe("the moderation queue", () => {
  const REPORT = { id: "p.p1", target: { kind: "post", postId: "p1" }, owner: { id: "a", handle: "alice" }, preview: "buy followers",
    status: "open", reporters: 2, reasons: { spam: 2 }, firstReportedAt: "2026-11-30T09:00:00Z", lastReportedAt: "2026-11-30T09:10:00Z" };

  it("shows nothing to someone outside the moderator group", async () => {
    const { api, requests } = server({ "GET /v1/moderation/reports": () => reply(403, { error: { code: "forbidden", message: "moderators only" } }) });
    show(html`<div data-testid="host"><${Moderation} api=${api} /></div>`);

    await waitFor(() => expect(requests).toHaveLength(1));
    expect(screen.getByTestId("host").textContent).toBe("");
  });

  it("takes a post down with a reason and reads the queue again", async () => {
    let open = [REPORT];
    const actions = [];
    const { api, requests } = server({
      "GET /v1/moderation/reports": () => reply(200, { items: open }),
      "GET /v1/moderation/actions": () => reply(200, { items: actions }),
      "POST /v1/moderation/reports/p.p1/takedown": (body) => {
        open = [];
        actions.push({ id: "a1", reportId: "p.p1", target: REPORT.target, owner: REPORT.owner, action: "takedown",
          moderator: { id: "m", handle: "mod" }, at: "2026-11-30T10:00:00Z", reason: body.reason });
        return reply(200, { ...REPORT, status: "taken_down" });
      },
    });
    const user = show(html`<${Moderation} api=${api} />`);

    const queue = await screen.findByRole("list", { name: "Open reports, oldest first" });
    expect(within(queue).getByText("2 people reported it", { exact: false })).toBeTruthy();
    expect(within(queue).getByText("buy followers")).toBeTruthy();
    await user.click(within(queue).getByRole("button", { name: "Take down: A post by @alice" }));
    expect(within(queue).getByRole("alert").textContent).toMatch(/reason/);

    await user.type(within(queue).getByLabelText("Reason (its owner reads it)"), "Spam links.");
    await user.click(within(queue).getByRole("button", { name: "Take down: A post by @alice" }));

    await waitFor(() => expect(screen.getByText("No open reports.")).toBeTruthy());
    expect(requests.find((r) => r.method === "POST")).toMatchObject({ url: "/v1/moderation/reports/p.p1/takedown", body: { reason: "Spam links." } });
    expect(screen.getByRole("status").textContent).toBe("Taken down: A post by @alice.");
    expect(screen.getByRole("list", { name: "Decisions" }).textContent).toContain("@mod took down a post by @alice (Spam links.)");
  });
});

describe("the console for a moderator outside the product group", () => {
  it("shows the queue, and says the experiments are for the product group", async () => {
    const { api } = server({
      "GET /v1/experiments": () => reply(403, { error: { code: "forbidden", message: "product only" } }),
      "GET /v1/reports/daily": () => reply(403, { error: { code: "forbidden", message: "product only" } }),
      "GET /health": () => reply(200, {}),
      "GET /v1/moderation/reports": () => reply(200, { items: [] }),
      "GET /v1/moderation/actions": () => reply(200, { items: [] }),
    });
    const { Console } = await import("../src/components/Console.js");
    show(html`<${Console} api=${api} signedIn=${true} />`);

    expect(await screen.findByRole("heading", { name: "Reports to moderate" })).toBeTruthy();
    expect(await screen.findByText(/You are in the moderator group/)).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "This console is for the product group" })).toBeNull();
  });
});
