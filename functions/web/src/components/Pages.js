import { html } from "htm/preact";
import { useCallback, useContext, useEffect, useState } from "preact/hooks";
import { LiveContext } from "../live.js";
import { Post } from "./Post.js";
import { Handle } from "./RichText.js";
import { link } from "../router.js";
import { plural } from "../plural.js";
import { ReportButton } from "./ReportButton.js";

/** Reads something when its key changes; gives the value, or null while reading. */
function useLoad(load, key, onError) {
  const [value, setValue] = useState(null);
  const reload = useCallback(async () => {
    try {
      setValue(await load());
    } catch (err) {
      onError(err);
    }
  }, [key]);
  useEffect(() => {
    setValue(null);
    reload();
  }, [reload]);
  return [value, reload];
}

/** A person's page: who they are, follow or unfollow, their followers and following, and their posts as a grid. */
export function UserPage({ api, handle, me, onError }) {
  const [profile, reload] = useLoad(() => api.user(handle), "user:" + handle, onError);
  // A private account's posts are for its followers: to others the page says so instead of showing an error.
  const [posts] = useLoad(() => api.userPosts(handle).catch((err) => {
    if (err.code === "account_private") return { items: [], private: true };
    throw err;
  }), "posts:" + handle, onError);
  const [people, setPeople] = useState(null);

  const toggle = async () => {
    try {
      if (profile.followedByMe || profile.followRequestedByMe) await api.unfollow(handle);
      else await api.follow(handle);
      await reload();
    } catch (err) {
      onError(err);
    }
  };
  const list = async (which) => {
    try {
      const page = which === "followers" ? await api.followers(handle) : await api.following(handle);
      setPeople({ which, items: page.items });
    } catch (err) {
      onError(err);
    }
  };

  if (!profile) return html`<p role="status">Loading @${handle}…</p>`;
  const own = me && me.handle === profile.handle;
  return html`
    <section class="card" aria-labelledby="user-title">
      <h2 id="user-title">${profile.displayName || "@" + profile.handle} <span class="meta">@${profile.handle}</span></h2>
      ${profile.bio && html`<p>${profile.bio}</p>`}
      <p class="meta">
        <button type="button" class="link" onClick=${() => list("followers")}>${plural(profile.followers, "follower")}</button> ·
        <button type="button" class="link" onClick=${() => list("following")}>${profile.following} following</button> ·
        ${plural(profile.posts, "post")}
      </p>
      ${profile.private && html`<p class="meta">Private account</p>`}
      ${!own && html`<button type="button" aria-pressed=${Boolean(profile.followedByMe || profile.followRequestedByMe)} onClick=${toggle}>
        ${profile.followedByMe ? "Following" : profile.followRequestedByMe ? "Requested" : "Follow"}</button>`}
      ${!own && html`<${ReportButton} api=${api} target=${{ handle: profile.handle }} what=${"@" + profile.handle} idPrefix="user" />`}
      ${own && profile.suspended && html`<p class="error" role="note">Moderators suspended your account (${profile.suspended.reason}).</p>`}
      ${people && html`
        <h3 id="people-title">${people.which === "followers" ? "Followers" : "Following"}</h3>
        ${people.items.length === 0 ? html`<p class="meta">Nobody yet.</p>` : html`
          <ul aria-labelledby="people-title">
            ${people.items.map((p) => html`<li key=${p.id}><${Handle} handle=${p.handle} /> ${p.displayName}</li>`)}
          </ul>`}`}
      <h3 id="grid-title">Posts</h3>
      ${posts && posts.private && html`<p class="meta">Only the people @${profile.handle} approves see their posts.</p>`}
      ${posts && !posts.private && posts.items.length === 0 && html`<p class="meta">No posts yet.</p>`}
      ${posts && posts.items.length > 0 && html`
        <ul class="grid" aria-labelledby="grid-title">
          ${posts.items.map((post) => {
            const cover = post.photos && post.photos[0];
            const thumb = cover && cover.media && cover.media.thumb;
            const many = post.photos && post.photos.length > 1;
            return html`<li key=${post.id}><a href=${link.post(post.id)}>
              ${thumb ? html`<img src=${thumb} alt=${(cover.altText || "A post by @" + profile.handle) + (many ? " (one of " + post.photos.length + " photos)" : "")} />`
                : html`<span class="meta">${post.status}</span>`}</a></li>`;
          })}
        </ul>`}
    </section>`;
}

/** The posts with a hashtag, newest first. */
export function TagPage({ api, tag, me, onError }) {
  const [page] = useLoad(() => api.tagPosts(tag), "tag:" + tag, onError);
  return html`
    <section class="card" aria-labelledby="tag-title">
      <h2 id="tag-title">#${tag}</h2>
      ${page && page.items.length === 0 && html`<p class="meta">No posts with #${tag} yet.</p>`}
      ${page && page.items.map((post) => html`<${Post} key=${post.id} api=${api} post=${post} me=${me} onError=${onError} />`)}
    </section>`;
}

/** One post, on its own page; its counts follow the socket while the page is open. */
export function PostPage({ api, id, me, onError }) {
  const [post] = useLoad(() => api.post(id), "post:" + id, onError);
  const live = useContext(LiveContext);
  useEffect(() => {
    live.watch("post:" + id);
    return () => live.unwatch("post:" + id);
  }, [live, id]);
  return html`
    <section class="card" aria-label="Post">
      ${post ? html`<${Post} api=${api} post=${post} me=${me} onError=${onError} />` : html`<p role="status">Loading the post…</p>`}
    </section>`;
}

/** People search: by the start of a handle or of any word of a name, accents and case aside. */
export function SearchPage({ api, onError }) {
  const [q, setQ] = useState("");
  const [found, setFound] = useState(null);
  const search = async (e) => {
    e.preventDefault();
    try {
      setFound((await api.searchUsers(q.trim())).items);
    } catch (err) {
      onError(err);
    }
  };
  return html`
    <section class="card" aria-labelledby="search-title">
      <h2 id="search-title">Find people</h2>
      <form role="search" onSubmit=${search}>
        <label for="search-q">Name or handle</label>
        <input id="search-q" type="search" required minlength="2" maxlength="100" value=${q}
          onInput=${(e) => setQ(e.currentTarget.value)} />
        <button>Search</button>
      </form>
      ${found && found.length === 0 && html`<p class="meta">Nobody found.</p>`}
      ${found && found.length > 0 && html`
        <ul aria-label="People found">
          ${found.map((p) => html`<li key=${p.id}><${Handle} handle=${p.handle} /> ${p.displayName}</li>`)}
        </ul>`}
    </section>`;
}
