// Finds the functions in a project's functions folder (SPEC §3):
//   functions/hello/entry.ts          -> hello        (a folder with entry.ts|entry.js or function.jsonc)
//   functions/trial-reminder.js       -> trial-reminder (a single file)
//   functions/email/send/entry.ts     -> email/send   (folders without an entry group functions)
//   functions/email/welcome.ts        -> email/welcome
// Names starting with `_` or `.` are never functions: functions/_shared/ holds helpers any function
// may import. Type declarations and test files (x.d.ts, x.test.ts, x.spec.ts) are not functions either.
import { readdirSync } from "node:fs";
import path from "node:path";

export interface FoundFunction {
  /** The name its place gives it (function.jsonc may choose another). */
  pathName: string;
  kind: "folder" | "file";
  /** The function's folder; for a single file, the folder that holds it. */
  dir: string;
  /** entry.ts / entry.js of a folder (undefined: function.jsonc names it), or the single file. */
  entryFile?: string;
  configFile?: string;
}

export const CONFIG_FILE_NAME = "function.jsonc";
export const SHARED_DIR = "_shared";
const ENTRY_NAMES = ["entry.ts", "entry.js"];
const CODE_FILE = /\.(ts|js|mts|mjs|tsx|jsx)$/;
const NOT_A_FUNCTION = /\.(d\.[cm]?ts|test\.[cm]?[jt]sx?|spec\.[cm]?[jt]sx?)$/;

export function discoverFunctions(functionsDir: string): FoundFunction[] {
  const found: FoundFunction[] = [];
  walk(functionsDir, [], found);
  return found;
}

function walk(dir: string, parts: string[], found: FoundFunction[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name.startsWith("_") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const names = readdirSync(full);
      const entryName = ENTRY_NAMES.find((n) => names.includes(n));
      const hasConfig = names.includes(CONFIG_FILE_NAME);
      if (entryName || hasConfig) {
        found.push({
          pathName: [...parts, entry.name].join("/"),
          kind: "folder",
          dir: full,
          ...(entryName ? { entryFile: path.join(full, entryName) } : {}),
          ...(hasConfig ? { configFile: path.join(full, CONFIG_FILE_NAME) } : {}),
        });
      } else {
        walk(full, [...parts, entry.name], found);
      }
    } else if (entry.isFile() && CODE_FILE.test(entry.name) && !NOT_A_FUNCTION.test(entry.name)) {
      found.push({
        pathName: [...parts, entry.name.replace(CODE_FILE, "")].join("/"),
        kind: "file",
        dir,
        entryFile: full,
      });
    }
  }
}
