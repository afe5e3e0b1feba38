// Part of `npm run build`, after tsc: bundles the in-isolate prelude once, into the file the sandbox
// workers load (dist/functions/runtime/worker/prelude.bundle.js), so no worker needs esbuild.
import { writeFileSync } from "node:fs";
import { bundlePrelude } from "../dist/functions/runtime/worker/preludeBundle.js";
import { PRELUDE_BUNDLE_FILE } from "../dist/functions/runtime/worker/preludeSource.js";

const target = new URL(`../dist/functions/runtime/worker/${PRELUDE_BUNDLE_FILE}`, import.meta.url);
writeFileSync(target, bundlePrelude());
