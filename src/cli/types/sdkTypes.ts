// The SDK's own declaration files (dist/sdk/*.d.ts, built with the CLI), copied into a project's
// `types/sdk/` so that `import { createClient } from "backend"` type-checks there without
// installing the package. Copies, not hand-written twins: they cannot drift from the SDK.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CliError } from "../apiClient.js";

export const SDK_TYPES_DIR = "sdk";

/** Where the built SDK declarations are: next to this module in dist/, or dist/ when run from src/. */
function sdkDeclarationsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, "../../sdk"), path.resolve(here, "../../../dist/sdk")];
  const found = candidates.find((dir) => existsSync(path.join(dir, "index.d.ts")));
  if (!found) {
    throw new CliError(
      `The SDK's type declarations are missing (looked in ${candidates.join(", ")}); reinstall backend, or run 'npm run build' in its repository`,
    );
  }
  return found;
}

/** The SDK's declaration files: file name -> text. */
export function sdkDeclarations(): Record<string, string> {
  const dir = sdkDeclarationsDir();
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    if (name.endsWith(".d.ts")) files[name] = readFileSync(path.join(dir, name), "utf8");
  }
  return files;
}
