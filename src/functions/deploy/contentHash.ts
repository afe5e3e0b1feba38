// The identity of a deploy's content: sha256 over the files (by path), the config and, when the CLI
// built it, the bundle (a changed package in node_modules changes the bundle, not the files), with
// object keys sorted, so the same function sent twice, in any key order, hashes the same.
import { createHash } from "node:crypto";
import type { SourceFiles } from "./sourceFiles.js";

export function contentHash(files: SourceFiles, config: unknown, bundleCode?: string): string {
  const sorted = Object.keys(files)
    .sort()
    .map((path) => [path, files[path]]);
  return createHash("sha256")
    .update(canonicalJson({ files: sorted, config, bundle: bundleCode }))
    .digest("hex");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
