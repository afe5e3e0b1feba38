// Bundles the in-isolate prelude (../prelude/index) with esbuild into one script whose completion
// value is the prelude's `boot` function. Done at build time (scripts/bundlePrelude.mjs writes it
// next to the worker, see preludeSource.ts); a worker compiles it once with V8 cached data and
// reuses that for every isolate.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

const GLOBAL_NAME = "__backendPrelude";

export function bundlePrelude(): string {
  const js = fileURLToPath(new URL("../prelude/index.js", import.meta.url));
  const entry = existsSync(js) ? js : js.replace(/\.js$/, ".ts");
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: "iife",
    globalName: GLOBAL_NAME,
    platform: "neutral",
    target: "es2022",
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.text;
  if (!code) throw new Error("The prelude bundle is empty");
  // Wrapped in a function so that the bundle's `var` stays local: nothing of it lands on the global.
  return `(function(){"use strict";${code}\nreturn ${GLOBAL_NAME}.boot;})()`;
}
