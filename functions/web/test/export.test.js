import { afterEach, describe, expect, it } from "vitest";
import { render } from "preact";
import { html } from "htm/preact";
import { screen, waitFor, within } from "@testing-library/dom";
import userEvent from "@testing-library/user-event";
import { createApi } from "../src/api.js";
import { DataExport, exportStatus } from "../src/components/DataExport.js";
import { Notifications, describe as describeNotification } from "../src/components/Notifications.js";
import { fakeServer } from "./fakeServer.js";

function mount(component, setup = () => {}) {
  const server = fakeServer();
  server.state.me = { handle: "alice" };
  setup(server.state);
  const api = createApi(() => "t", server.fetch);
  const errors = [];
  const root = document.createElement("div");
  document.body.append(root);
  render(component(api, (err) => { if (err) errors.push(err); }), root);
  return { server, api, errors, user: userEvent.setup() };
}

afterEach(() => {
  document.body.replaceChildren();
});

describe("downloading my data", () => {
  it("starts an export, says it runs, and opens the archive once ready", async () => {
    const opened = [];
    window.open = (url) => opened.push(url);
    const { server, user } = mount((api, onError) => html`<${DataExport} api=${api} onError=${onError} pollMs=${10} />`);

    await user.click(await screen.findByRole("button", { name: "Download my data" }));

    expect(await screen.findByText(/being prepared/)).toBeTruthy();
    expect(screen.getByRole("button", { name: "Download my data" }).disabled).toBe(true);
    server.state.exports[0] = { ...server.state.exports[0], status: "ready", bytes: 2_097_152, photos: 3 };
    expect(await screen.findByText(/ready \(2\.0 MB, 3 photos\)/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Open my data export" }));

    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatch(/^http:\/\/bucket\.test\/exports\/e1\.zip/);
    expect(server.state.requests.filter((r) => r.method === "POST" && r.url === "/v1/me/export")).toHaveLength(1);
  });

  it("shows the export already running instead of an error", async () => {
    // Started elsewhere (another tab) after this page listed my exports.
    const { server, errors, user } = mount((api, onError) => html`<${DataExport} api=${api} onError=${onError} pollMs=${60_000} />`);
    await screen.findByRole("button", { name: "Download my data" });
    // The list was answered (empty) before the export elsewhere started.
    await waitFor(() => expect(server.state.requests.some((r) => r.url === "/v1/me/exports")).toBe(true));
    server.state.exports = [{ id: "e7", status: "running", createdAt: "2026-11-30T08:00:00Z", expiresAt: "2026-12-07T08:00:00Z" }];
    expect(screen.queryByText(/being prepared/)).toBeNull();

    await user.click(await screen.findByRole("button", { name: "Download my data" }));

    expect(await screen.findByText(/being prepared/)).toBeTruthy();
    expect(errors).toEqual([]);
    expect(server.state.requests.some((r) => r.method === "POST" && r.url === "/v1/me/export")).toBe(true);
    expect(server.state.requests.some((r) => r.url === "/v1/me/exports/e7")).toBe(true);
  });

  it("says why an export failed", () => {
    expect(exportStatus({ status: "failed", reason: "The archive would pass 400 MB" }))
      .toBe("Your data export failed: The archive would pass 400 MB.");
  });

  it("tells of a ready export in the notifications, with a button that fetches a fresh link", async () => {
    const opened = [];
    window.open = (url) => opened.push(url);
    const { server, user } = mount((api, onError) => html`<${Notifications} api=${api} version=${0} onError=${onError} />`);
    server.state.exports = [{ id: "e3", status: "ready", bytes: 1024, photos: 1, createdAt: "2026-11-30T08:00:00Z",
      expiresAt: "2026-12-07T08:00:00Z" }];
    server.state.notifications = [{ id: "n9", kind: "export_ready", actor: { id: "glint" }, exportId: "e3",
      createdAt: "2026-11-30T08:01:00Z", read: false }];
    await user.click(await screen.findByRole("button", { name: "Refresh notifications" }));

    const list = await screen.findByRole("list", { name: "Notifications" });
    expect(within(list).getByRole("listitem").textContent).toContain("Your data export is ready");
    await user.click(within(list).getByRole("button", { name: "Download my data export" }));

    expect(opened).toEqual([expect.stringMatching(/^http:\/\/bucket\.test\/exports\/e3\.zip/)]);
    expect(describeNotification({ kind: "export_ready", actor: { id: "glint" } })).toBe("Your data export is ready");
  });
});
