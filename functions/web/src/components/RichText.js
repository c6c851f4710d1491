import { html } from "htm/preact";
import { link } from "../router.js";

const TAG = /#([\p{L}\p{N}_]+)/gu;

/** A caption or comment as text, its #hashtags links to their pages (never markup from the text itself). */
export function RichText({ text }) {
  if (!text) return null;
  const parts = [];
  let last = 0;
  for (const match of text.matchAll(TAG)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(html`<a href=${link.tag(match[1].toLowerCase())}>#${match[1]}</a>`);
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return html`${parts}`;
}

/** A person's handle as a link to their page. */
export function Handle({ handle }) {
  if (!handle) return html`someone`;
  return html`<a href=${link.user(handle)}>@${handle}</a>`;
}
