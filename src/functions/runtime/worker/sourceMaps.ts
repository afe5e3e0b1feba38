// Maps positions in a function's bundle back to the developer's files with the source map stored at
// deploy ("at default (file:///functions/greet.js:12:9)" becomes "functions/greet/entry.ts:3:11"),
// for error stacks and for log lines that print one. Parsed maps are kept per function version.
import { SourceMap } from "node:module";
import type { FunctionCode } from "../types.js";

const MAX_MAPS = 100;
const maps = new Map<string, SourceMap | null>();

function mapOf(fn: FunctionCode): SourceMap | null {
  const known = maps.get(fn.key);
  if (known !== undefined) return known;
  let map: SourceMap | null;
  try {
    map = fn.sourceMap ? new SourceMap(JSON.parse(fn.sourceMap)) : null;
  } catch {
    map = null;
  }
  maps.set(fn.key, map);
  if (maps.size > MAX_MAPS) maps.delete(maps.keys().next().value!);
  return map;
}

export function bundleFileName(functionName: string): string {
  return `file:///functions/${functionName}.js`;
}

/** `text` with every bundle position of `fn` replaced by its original file, line and column. */
export function mapPositions(text: string, fn: FunctionCode): string {
  const file = bundleFileName(fn.name);
  if (!fn.sourceMap || !text.includes(file)) return text;
  const map = mapOf(fn);
  if (!map) return text;
  const pattern = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:(\\d+):(\\d+)`, "g");
  return text.replace(pattern, (whole, line: string, column: string) => {
    const entry = map.findEntry(Number(line) - 1, Number(column) - 1) as {
      originalSource?: string;
      originalLine?: number;
      originalColumn?: number;
    };
    if (!entry.originalSource || entry.originalLine === undefined || entry.originalColumn === undefined)
      return whole;
    return `${entry.originalSource}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}
