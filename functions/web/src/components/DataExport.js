import { html } from "htm/preact";
import { useEffect, useState } from "preact/hooks";

/** An export's state in words. */
export function exportStatus(item) {
  if (!item) return "";
  if (item.status === "running") return "Your data export is being prepared. You will be notified when it is ready.";
  if (item.status === "failed") return "Your data export failed: " + (item.reason || "no reason was given") + ".";
  const size = item.bytes >= 1_048_576 ? (item.bytes / 1_048_576).toFixed(1) + " MB" : Math.max(1, Math.round((item.bytes || 0) / 1024)) + " KB";
  return "Your data export is ready (" + size + ", " + item.photos + (item.photos === 1 ? " photo" : " photos")
    + "). It is kept until " + new Date(item.expiresAt).toLocaleString() + ".";
}

/** Fetches an export (a fresh download link with it) and opens the link. */
export async function openExport(api, id, open = (url) => window.open(url, "_blank", "noopener")) {
  const item = await api.dataExport(id);
  if (item.url) open(item.url);
  return item;
}

/**
 * "Download my data": starts an export (or finds the one running), shows how far it got, read again every few
 * seconds while it runs, and opens the archive when ready.
 */
export function DataExport({ api, onError, pollMs = 3000 }) {
  const [item, setItem] = useState(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let stopped = false;
    api.dataExports().then((page) => {
      if (!stopped && page.items && page.items.length > 0) setItem(page.items[0]);
    }).catch(onError);
    return () => { stopped = true; };
  }, [api, onError]);

  useEffect(() => {
    if (!item || item.status !== "running") return undefined;
    const timer = setTimeout(async () => {
      try {
        setItem(await api.dataExport(item.id));
      } catch (err) {
        onError(err);
      }
    }, pollMs);
    return () => clearTimeout(timer);
  }, [api, item, onError, pollMs]);

  const start = async () => {
    setBusy(true);
    try {
      const started = await api.startExport();
      setItem(await api.dataExport(started.id));
      onError(null);
    } catch (err) {
      if (err.code === "export_running" && err.details && err.details.exportId) {
        setItem(await api.dataExport(err.details.exportId));
      } else {
        onError(err);
      }
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    try {
      setItem(await openExport(api, item.id));
    } catch (err) {
      onError(err);
    }
  };

  return html`
    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">Your data</h2>
      <p class="meta">A zip of your profile, posts and photos, comments, likes, follows, notifications, blocks and mutes.</p>
      <button type="button" onClick=${start} disabled=${busy || (item && item.status === "running")}>Download my data</button>
      ${item && html`<p role="status">${exportStatus(item)}</p>`}
      ${item && item.status === "ready" && html`<button type="button" onClick=${download}>Open my data export</button>`}
    </section>`;
}
