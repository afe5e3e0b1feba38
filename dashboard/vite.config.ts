// The dashboard's build: a Preact single-page app rooted here, built into dist/dashboard, which the
// server serves at / (with an SPA fallback, so history routing works on reload).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  // Vite 8 compiles TS/JSX with Oxc: the automatic runtime, from Preact instead of React.
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "../dist/dashboard",
    emptyOutDir: true,
    sourcemap: true,
    // The editor chunk (CodeMirror with its TypeScript grammar) is ~500 kB and loads only with it.
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npx vite --config dashboard/vite.config.ts` with `backend start` on 8787: the API is proxied.
    proxy: { "/api": "http://127.0.0.1:8787", "/realtime": { target: "ws://127.0.0.1:8787", ws: true } },
  },
});
