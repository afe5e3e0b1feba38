// The files of a deploy: which paths are allowed, which file is the entry, how each is compiled,
// and the function.jsonc that may travel among them.
import { type ParseError, parse, printParseErrorCode } from "jsonc-parser";
import { ValidationError } from "../../core/errors.js";

export type SourceFiles = Record<string, string>;

export const MAX_FILES = 200;
const PATH_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
const DEFAULT_ENTRIES = ["entry.ts", "entry.js", "index.ts", "index.js"];
export const CONFIG_FILE = "function.jsonc";
/** Where the files a function uses from functions/_shared/ travel among its own (src/project). */
export const SHARED_PREFIX = "_shared/";

export type Loader = "ts" | "tsx" | "js" | "jsx" | "json" | "text";

const LOADERS: Record<string, Loader> = {
  ".ts": "ts",
  ".mts": "ts",
  ".cts": "ts",
  ".tsx": "tsx",
  ".js": "js",
  ".mjs": "js",
  ".cjs": "js",
  ".jsx": "jsx",
  ".json": "json",
};

/** How esbuild reads a file; anything that is neither code nor JSON is imported as a string. */
export function loaderFor(path: string): Loader {
  const dot = path.lastIndexOf(".");
  return (dot > path.lastIndexOf("/") ? LOADERS[path.slice(dot).toLowerCase()] : undefined) ?? "text";
}

export function isCode(path: string): boolean {
  return ["ts", "tsx", "js", "jsx"].includes(loaderFor(path));
}

export function checkFiles(files: SourceFiles): SourceFiles {
  const paths = Object.keys(files);
  if (paths.length === 0) throw new ValidationError('files is empty: send at least { "entry.ts": "..." }');
  if (paths.length > MAX_FILES) {
    throw new ValidationError(`files holds ${paths.length} files, the limit is ${MAX_FILES}`);
  }
  for (const path of paths) {
    if (path.length > 200 || !PATH_PATTERN.test(path)) {
      throw new ValidationError(
        `files: '${path}' is not a valid file path: use relative paths such as entry.ts or lib/util.ts ` +
          "(letters, digits, '_', '-', '.', no '..' and no leading '/' or '.')",
      );
    }
  }
  return files;
}

/** config.entry, else entry.ts / entry.js / index.ts / index.js, else the only code file. */
export function chooseEntry(files: SourceFiles, configured: string | undefined): string {
  if (configured !== undefined) {
    const entry = configured.replace(/^\.\//, "");
    if (!(entry in files)) {
      throw new ValidationError(
        `function.jsonc: entry '${configured}' is not among the files (${Object.keys(files).join(", ")})`,
      );
    }
    if (!isCode(entry))
      throw new ValidationError(`function.jsonc: entry '${configured}' is not a .ts or .js file`);
    return entry;
  }
  const found = DEFAULT_ENTRIES.find((name) => name in files);
  if (found) return found;
  const code = Object.keys(files).filter(isCode);
  if (code.length === 1) return code[0]!;
  throw new ValidationError(
    code.length === 0
      ? "files holds no .ts or .js file to run"
      : `Cannot tell which file is the entry among ${code.join(", ")}: name it entry.ts (or entry.js), ` +
          'or set "entry" in function.jsonc',
  );
}

/** The function.jsonc shipped among the files, if any (comments and trailing commas allowed). */
export function configFromFiles(files: SourceFiles, display: string): unknown {
  const text = files[CONFIG_FILE];
  if (text === undefined) return undefined;
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0) {
    const first = errors[0]!;
    const before = text.slice(0, first.offset).split("\n");
    throw new ValidationError(
      `${display}:${before.length}:${(before.at(-1)?.length ?? 0) + 1}: ${printParseErrorCode(first.error)}`,
    );
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ValidationError(`${display}: must hold one JSON object`);
  }
  return value;
}
