// An esbuild plugin that serves a deploy's files from memory, maps the `backend` module onto the
// sandbox's globals, and refuses every other import with a message naming it: Node built-ins,
// packages, URLs and paths outside the function's files do not exist where functions run.
// Files the CLI sends from `functions/_shared/` travel as `_shared/<path>` (see src/project), and a
// function's `../_shared/x.ts` import finds them here as it does on the developer's disk.
import { posix } from "node:path";
import type { Plugin } from "esbuild";
import { isSdkImport, refusalOf, refuse, sdkModule, serveSdkModule } from "./importRules.js";
import { loaderFor, SHARED_PREFIX, type SourceFiles } from "./sourceFiles.js";

export const FILES_NAMESPACE = "fn";

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
  /** The function's name: how deep its folder sits under functions/, for `../_shared/` imports. */
  name: string;
  entry: string;
  /** Appended to the entry's source (the export line of a classic script). */
  append: string;
}

export function virtualFiles({ files, name, entry, append }: VirtualFilesOptions): Plugin {
  const listed = Object.keys(files).join(", ");
  return {
    name: "virtual-files",
    setup(build) {
      build.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return { path: entry, namespace: FILES_NAMESPACE };
        const spec = args.path;
        if (isSdkImport(spec)) return sdkModule();
        if (spec.startsWith("./") || spec.startsWith("../")) {
          const wanted = sharedPath(
            posix.normalize(posix.join(posix.dirname(args.importer), spec)),
            args.importer,
            name,
          );
          if (wanted.startsWith("../"))
            return refuse(`imports '${spec}', which is outside this function's files`);
          const found = findFile(files, wanted);
          if (found) return { path: found, namespace: FILES_NAMESPACE };
          return refuse(`imports '${spec}', which is not among the files deployed (${listed})`);
        }
        const refusal = refusalOf(spec);
        if (refusal) return refuse(refusal);
        return refuse(
          `imports '${spec}', a package; the server does not install packages: install it in your ` +
            "project and deploy with 'backend functions deploy', which bundles it, or import your own files",
        );
      });

      build.onLoad({ filter: /.*/, namespace: FILES_NAMESPACE }, (args) => {
        const source = files[args.path]!;
        return { contents: args.path === entry ? source + append : source, loader: loaderFor(args.path) };
      });
      serveSdkModule(build);
    },
  };
}

/**
 * `../_shared/x.ts` from a function's folder (or `../../_shared/x.ts` from email/send) names
 * functions/_shared/x.ts, which travels as `_shared/x.ts` (the `_shared/` files import each other as
 * they are). A single-file function (functions/email/send.ts) sits one folder higher than a folder function.
 */
function sharedPath(wanted: string, importer: string, name: string): string {
  if (!wanted.startsWith("../") || importer.startsWith(SHARED_PREFIX)) return wanted;
  const depth = name.split("/").length;
  for (const up of [depth, depth - 1]) {
    const prefix = "../".repeat(up);
    if (up >= 1 && wanted.startsWith(prefix + SHARED_PREFIX)) return wanted.slice(prefix.length);
  }
  return wanted;
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
