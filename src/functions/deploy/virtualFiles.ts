// An esbuild plugin that serves a deploy's files from memory, maps the `backend` module onto the
// sandbox's globals, and refuses every other import with a message naming it: Node built-ins,
// packages, URLs and paths outside the function's files do not exist where functions run.
import { builtinModules } from "node:module";
import { posix } from "node:path";
import type { Plugin } from "esbuild";
import { REFUSED_IMPORT } from "./buildErrors.js";
import { loaderFor, type SourceFiles } from "./sourceFiles.js";

export const FILES_NAMESPACE = "fn";
const SDK_NAMESPACE = "backend-sdk";

/** What `import { backend, createClientFromRequest } from "backend"` gives: the sandbox's globals. */
export const SDK_MODULE = [
  "export const backend = globalThis.backend;",
  "export const createClientFromRequest = globalThis.createClientFromRequest;",
  "export default globalThis.backend;",
  "",
].join("\n");

/** `backend`, and Base44's SDK so functions written for it (seed 001) deploy with `npm:` imports. */
const SDK_SPECIFIER = /^(backend|(npm:)?@base44\/sdk(@[^/]*)?)$/;

const BUILTINS = new Set(builtinModules);

/** Extensions tried for `./lib` and, TypeScript-style, the source of `./lib.js`. */
const EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".json"];
const JS_TO_TS: Record<string, string[]> = {
  ".js": [".ts", ".tsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts"],
  ".cjs": [".cts"],
};

export interface VirtualFilesOptions {
  files: SourceFiles;
  entry: string;
  /** Appended to the entry's source (the export line of a classic script). */
  append: string;
}

export function virtualFiles({ files, entry, append }: VirtualFilesOptions): Plugin {
  const listed = Object.keys(files).join(", ");
  return {
    name: "virtual-files",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return { path: entry, namespace: FILES_NAMESPACE };
        const spec = args.path;
        if (SDK_SPECIFIER.test(spec)) return { path: "backend", namespace: SDK_NAMESPACE };
        if (spec.startsWith("./") || spec.startsWith("../")) {
          const wanted = posix.normalize(posix.join(posix.dirname(args.importer), spec));
          if (wanted.startsWith("../"))
            return refuse(`imports '${spec}', which is outside this function's files`);
          const found = findFile(files, wanted);
          if (found) return { path: found, namespace: FILES_NAMESPACE };
          return refuse(`imports '${spec}', which is not among the files deployed (${listed})`);
        }
        if (spec.startsWith("node:") || BUILTINS.has(spec)) {
          return refuse(`imports '${spec}', a Node built-in; functions run in a sandbox without Node APIs`);
        }
        if (spec.startsWith("/"))
          return refuse(`imports '${spec}', an absolute path; import files relatively (./lib.ts)`);
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
          return refuse(`imports '${spec}', a URL; functions can import only their own files and 'backend'`);
        }
        return refuse(
          `imports '${spec}', a package; packages are not installed where functions run: ` +
            "import your own files (./lib.ts) or 'backend'",
        );
      });

      build.onLoad({ filter: /.*/, namespace: FILES_NAMESPACE }, (args) => {
        const source = files[args.path]!;
        return { contents: args.path === entry ? source + append : source, loader: loaderFor(args.path) };
      });
      build.onLoad({ filter: /.*/, namespace: SDK_NAMESPACE }, () => ({
        contents: SDK_MODULE,
        loader: "js",
      }));
    },
  };
}

function refuse(text: string) {
  return { errors: [{ text, detail: REFUSED_IMPORT }] };
}

function findFile(files: SourceFiles, wanted: string): string | undefined {
  const ext = posix.extname(wanted);
  const candidates = [
    wanted,
    ...(JS_TO_TS[ext] ?? []).map((ts) => wanted.slice(0, -ext.length) + ts),
    ...EXTENSIONS.map((e) => wanted + e),
    ...EXTENSIONS.map((e) => `${wanted}/index${e}`),
  ];
  return candidates.find((candidate) => Object.hasOwn(files, candidate));
}
