// Writes a generated file only when its text changed, so that generating again touches nothing
// (no editor reloads, no watcher events) and can say what it did.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type WriteStatus = "written" | "unchanged";

export function writeIfChanged(file: string, text: string): WriteStatus {
  if (existsSync(file) && readFileSync(file, "utf8") === text) return "unchanged";
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return "written";
}
