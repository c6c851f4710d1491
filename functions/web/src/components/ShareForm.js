import { html } from "htm/preact";
import { useRef, useState } from "preact/hooks";

const MAX_PHOTOS = 10;

/**
 * Shares 1 to 10 photos as one post through presigned uploads, each with its alt text; the form is
 * cleared once the post is ready.
 */
export function ShareForm({ api, onShared, onError }) {
  const form = useRef(null);
  const input = useRef(null);
  const [files, setFiles] = useState([]);
  const [alts, setAlts] = useState([]);
  const [caption, setCaption] = useState("");
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);

  const choose = (e) => {
    const chosen = Array.from(e.currentTarget.files || []);
    if (chosen.length > MAX_PHOTOS) {
      onError(new Error("A post holds at most " + MAX_PHOTOS + " photos; you chose " + chosen.length + "."));
      e.currentTarget.value = "";
      setFiles([]);
      setAlts([]);
      return;
    }
    setFiles(chosen);
    setAlts(chosen.map(() => ""));
  };

  const share = async (e) => {
    e.preventDefault();
    if (files.length === 0) return;
    setBusy(true);
    try {
      await api.share(files.map((file, i) => ({ file, altText: alts[i] })), caption, setStatus);
      form.current.reset();
      input.current.value = "";
      setFiles([]);
      setAlts([]);
      setCaption("");
      setStatus("Posted.");
      onError(null);
      onShared();
    } catch (err) {
      setStatus("");
      onError(err);
    } finally {
      setBusy(false);
    }
  };

  return html`
    <section class="card" aria-labelledby="share-title">
      <h2 id="share-title">Share photos</h2>
      <form ref=${form} onSubmit=${share}>
        <label for="share-photo">Photos</label>
        <input id="share-photo" ref=${input} type="file" multiple accept="image/jpeg,image/png,image/webp" required
          aria-describedby="share-photo-hint" onChange=${choose} />
        <p id="share-photo-hint" class="hint">Up to ${MAX_PHOTOS}, shown in the order you choose them.</p>
        ${files.map((file, i) => html`
          <label for=${"share-alt-" + i}>Describe photo ${i + 1} (${file.name}) for people who cannot see it</label>
          <textarea id=${"share-alt-" + i} maxlength="1500" rows="2" value=${alts[i]}
            onInput=${(e) => { const next = alts.slice(); next[i] = e.currentTarget.value; setAlts(next); }}></textarea>`)}
        <label for="share-caption">Caption</label>
        <input id="share-caption" type="text" maxlength="2200" aria-describedby="share-caption-hint"
          value=${caption} onInput=${(e) => setCaption(e.currentTarget.value)} />
        <p id="share-caption-hint" class="hint">#tags welcome</p>
        <button disabled=${busy}>Post</button>
        <p class="meta" role="status">${status}</p>
      </form>
    </section>`;
}
