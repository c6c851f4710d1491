import { html } from "htm/preact";
import { useRef, useState } from "preact/hooks";

/** Shares a photo through a presigned upload; the form is cleared once the post is ready. */
export function ShareForm({ api, onShared, onError }) {
  const form = useRef(null);
  const photo = useRef(null);
  const [caption, setCaption] = useState("");
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);

  const share = async (e) => {
    e.preventDefault();
    const file = photo.current.files[0];
    if (!file) return;
    setBusy(true);
    try {
      await api.share(file, caption, setStatus);
      form.current.reset();
      photo.current.value = "";
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
      <h2 id="share-title">Share a photo</h2>
      <form ref=${form} onSubmit=${share}>
        <label for="share-photo">Photo</label>
        <input id="share-photo" ref=${photo} type="file" accept="image/jpeg,image/png,image/webp" required />
        <label for="share-caption">Caption</label>
        <input id="share-caption" type="text" maxlength="2200" aria-describedby="share-caption-hint"
          value=${caption} onInput=${(e) => setCaption(e.currentTarget.value)} />
        <p id="share-caption-hint" class="hint">#tags welcome</p>
        <button disabled=${busy}>Post</button>
        <p class="meta" role="status">${status}</p>
      </form>
    </section>`;
}
