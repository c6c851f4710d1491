import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vite";

/**
 * Builds the web client into target/classes/web, which the module's jar carries for the api function
 * to serve: index.html and console.html (short cache) and hashed files under assets/ (immutable).
 * Nothing is inlined (no inline script or style, no data: URIs), so the page's policy can stay
 * script-src 'self'; style-src 'self'. assets.txt lists the files the api may serve under /assets/.
 */
export default defineConfig({
  build: {
    outDir: "target/classes/web",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { main: "index.html", console: "console.html" },
    },
  },
  plugins: [{
    name: "glint-asset-list",
    // After Vite has dropped the empty chunks of CSS-only entries: the files as written.
    writeBundle(options, bundle) {
      const files = Object.keys(bundle).filter((name) => name.startsWith("assets/")).sort();
      writeFileSync(join(options.dir, "assets.txt"), files.join("\n") + "\n");
    },
  }],
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.js"],
  },
});
