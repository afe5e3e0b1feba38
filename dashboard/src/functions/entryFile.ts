// Which file of a function is its entry, by the server's rule (src/functions/deploy/sourceFiles.ts):
// config.entry, else entry.ts / entry.js / index.ts / index.js, else the only code file.
const DEFAULT_ENTRIES = ["entry.ts", "entry.js", "index.ts", "index.js"];
const CODE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

export function entryFileOf(
  files: Record<string, string>,
  config: Record<string, unknown>,
): string | undefined {
  if (typeof config.entry === "string") return config.entry.replace(/^\.\//, "");
  const found = DEFAULT_ENTRIES.find((name) => name in files);
  if (found) return found;
  const code = Object.keys(files).filter((path) => CODE.test(path));
  return code.length === 1 ? code[0] : Object.keys(files)[0];
}
