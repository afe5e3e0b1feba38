// Which files belong to a function: its own (its folder, or its single file), the helpers in
// functions/_shared/ it imports, or something it may not import (another function's files). Own and
// shared files are what the server stores for it, keyed the way `pull` writes them back:
// `entry.ts`, `lib/money.ts` (relative to the function's folder) and `_shared/format.ts`.
import path from "node:path";
import { SHARED_PREFIX } from "../functions/deploy/sourceFiles.js";
import { SHARED_DIR } from "./discoverFunctions.js";

export interface FunctionPlace {
  kind: "folder" | "file";
  dir: string;
  entryFile: string;
}

export type FileRole =
  | { role: "own" | "shared"; key: string }
  | { role: "other" } // elsewhere under functions/: another function's, or a folder of its own
  | { role: "project" } // inside the project, outside functions/ (bundled, not stored)
  | { role: "outside" }; // outside the project

export function fileRole(root: string, functionsDir: string, fn: FunctionPlace, file: string): FileRole {
  if (!isInside(root, file)) return { role: "outside" };
  if (!isInside(functionsDir, file)) return { role: "project" };
  const sharedDir = path.join(functionsDir, SHARED_DIR);
  if (isInside(sharedDir, file)) return { role: "shared", key: SHARED_PREFIX + posix(sharedDir, file) };
  if (fn.kind === "file") {
    return file === fn.entryFile ? { role: "own", key: path.basename(file) } : { role: "other" };
  }
  if (!isInside(fn.dir, file)) return { role: "other" };
  const key = posix(fn.dir, file);
  // `_shared/...` among a function's own files would be written back to functions/_shared/.
  return key.startsWith(SHARED_PREFIX) ? { role: "other" } : { role: "own", key };
}

export function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative);
}

/** `file` relative to the project, with forward slashes, as messages and source maps show it. */
export function displayOf(root: string, file: string): string {
  return posix(root, file);
}

function posix(from: string, file: string): string {
  return path.relative(from, file).split(path.sep).join("/");
}
