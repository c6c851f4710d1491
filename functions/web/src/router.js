import { useEffect, useState } from "preact/hooks";

/**
 * The page the address names, from its hash (so every page is a link and the back button works, and
 * the server serves one page): "#/u/<handle>", "#/t/<tag>", "#/p/<post id>", "#/search", else home.
 */
export function parseRoute(hash) {
  const path = (hash || "").replace(/^#/, "");
  const [, kind, rest] = path.match(/^\/(u|t|p|search)(?:\/(.*))?$/) || [];
  const value = rest ? decodeURIComponent(rest) : "";
  if (kind === "u" && value) return { page: "user", handle: value };
  if (kind === "t" && value) return { page: "tag", tag: value };
  if (kind === "p" && value) return { page: "post", id: value };
  if (kind === "search") return { page: "search" };
  return { page: "home" };
}

export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener("hashchange", changed);
    return () => removeEventListener("hashchange", changed);
  }, []);
  return route;
}

export const link = {
  user: (handle) => "#/u/" + encodeURIComponent(handle),
  tag: (tag) => "#/t/" + encodeURIComponent(tag),
  post: (id) => "#/p/" + encodeURIComponent(id),
};
