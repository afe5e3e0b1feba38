// The prelude's code for the worker: the bundle `npm run build` wrote next to this file
// (scripts/bundlePrelude.mjs). When it is missing, or older than the compiled prelude (compiled by
// tsc alone since), it is bundled now with esbuild instead. Loading esbuild only in that case keeps
// every worker from starting an esbuild service (~16 MB each).
import { readFile, stat } from "node:fs/promises";

export const PRELUDE_BUNDLE_FILE = "prelude.bundle.js";

const bundleFile = new URL(`./${PRELUDE_BUNDLE_FILE}`, import.meta.url);
const compiledPrelude = new URL("../prelude/index.js", import.meta.url);

export async function loadPrelude(): Promise<string> {
  const [bundle, compiled] = await Promise.all([modified(bundleFile), modified(compiledPrelude)]);
  if (bundle !== undefined && (compiled === undefined || bundle >= compiled)) {
    return readFile(bundleFile, "utf8");
  }
  const { bundlePrelude } = await import("./preludeBundle.js");
  return bundlePrelude();
}

async function modified(file: URL): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}
