#!/usr/bin/env node
// The `backend` command. The code is compiled to dist/ by `npm ci` / `npm run build`.
import { existsSync } from "node:fs";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("backend: the program is not built yet; run `npm run build` (npm ci does it too)\n");
  process.exit(1);
}
const { main } = await import(entry.href);
await main(process.argv);
