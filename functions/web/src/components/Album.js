import { html } from "htm/preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { decode, isBlurhashValid } from "blurhash";

/** Paints a photo's BlurHash into a small canvas, stretched under the image until it loads. */
function Placeholder({ hash }) {
  const canvas = useRef(null);
  useEffect(() => {
    if (!hash || !canvas.current || !isBlurhashValid(hash).result) return;
    const pixels = decode(hash, 32, 32);
    const context = canvas.current.getContext && canvas.current.getContext("2d");
    if (!context) return;
    const image = context.createImageData(32, 32);
    image.data.set(pixels);
    context.putImageData(image, 0, 0);
  }, [hash]);
  return html`<canvas ref=${canvas} class="placeholder" width="32" height="32" aria-hidden="true"></canvas>`;
}

/** What a screen reader hears for a photo: its alt text, or where it sits and whose it is. */
export function altOf(photo, index, count, author) {
  if (photo.altText) return photo.altText;
  return count === 1 ? "Photo by " + author + " (no description)" : "Photo " + (index + 1) + " of " + count + " by " + author + " (no description)";
}

/**
 * A post's photos, one at a time with previous and next buttons when there are several: each with
 * its alt text, painted first as its BlurHash, at its own aspect ratio.
 */
export function Album({ photos, author, label }) {
  const [at, setAt] = useState(0);
  const [loaded, setLoaded] = useState({});
  if (!photos || photos.length === 0) return null;
  const photo = photos[Math.min(at, photos.length - 1)];
  const src = photo.media && (photo.media.w640 || photo.media.w1080);
  // Set through the CSSOM (an object, not a style attribute), which the page's style-src 'self' allows.
  const ratio = photo.width && photo.height ? photo.width + " / " + photo.height : "4 / 3";
  const several = photos.length > 1;
  return html`
    <figure class="album" aria-roledescription=${several ? "carousel" : undefined} aria-label=${several ? label : undefined}>
      <div class="frame" style=${{ aspectRatio: ratio }}>
        ${!loaded[at] && html`<${Placeholder} hash=${photo.blurhash} />`}
        ${src && html`<img src=${src} alt=${altOf(photo, at, photos.length, author)}
          onLoad=${() => setLoaded((old) => ({ ...old, [at]: true }))} />`}
      </div>
      ${several && html`
        <div class="album-nav">
          <button type="button" aria-label="Previous photo" disabled=${at === 0} onClick=${() => setAt(at - 1)}>‹</button>
          <span class="meta" aria-live="polite">Photo ${at + 1} of ${photos.length}</span>
          <button type="button" aria-label="Next photo" disabled=${at === photos.length - 1} onClick=${() => setAt(at + 1)}>›</button>
        </div>`}
    </figure>`;
}
