// Compiles and bundles a function with esbuild, in memory: TypeScript and local imports in, one IIFE
// out that assigns the module's exports to `globalThis.__backendModule` (the runtime's contract),
// with its source map.
import { type BuildFailure, build } from "esbuild";
import { ValidationError } from "../../core/errors.js";
import { describeBuildErrors } from "./buildErrors.js";
import type { SourceFiles } from "./sourceFiles.js";
import { FILES_NAMESPACE, virtualFiles } from "./virtualFiles.js";

export interface BundleInput {
  /** The function's name, for messages: files show as functions/<name>/<path>. */
  name: string;
  files: SourceFiles;
  entry: string;
  /** Appended to the entry (see detectForm). */
  append?: string;
}

export interface Bundle {
  code: string;
  sourceMap: string;
}

export const GLOBAL_NAME = "__backendModule";

export function displayPath(name: string, file: string): string {
  return `functions/${name}/${file}`;
}

export async function bundleFunction(input: BundleInput): Promise<Bundle> {
  const display = (file: string) =>
    file.startsWith(`${FILES_NAMESPACE}:`)
      ? displayPath(input.name, file.slice(FILES_NAMESPACE.length + 1))
      : file;
  try {
    const result = await build({
      entryPoints: [input.entry],
      bundle: true,
      write: false,
      outfile: "bundle.js",
      format: "iife",
      globalName: GLOBAL_NAME,
      platform: "neutral",
      target: "es2022",
      sourcemap: "external",
      sourcesContent: true,
      charset: "utf8",
      logLevel: "silent",
      plugins: [virtualFiles({ files: input.files, entry: input.entry, append: input.append ?? "" })],
    });
    const code = result.outputFiles.find((f) => f.path.endsWith(".js"))!.text;
    const map = JSON.parse(result.outputFiles.find((f) => f.path.endsWith(".map"))!.text) as {
      sources: string[];
    };
    map.sources = map.sources.map(display);
    return { code, sourceMap: JSON.stringify(map) };
  } catch (error) {
    const failure = error as BuildFailure;
    if (!Array.isArray(failure.errors)) throw error;
    const errors = failure.errors.map((e) =>
      e.location ? { ...e, location: { ...e.location, file: display(e.location.file) } } : e,
    );
    throw new ValidationError(
      describeBuildErrors(errors, (f) => f),
      {
        errors: errors.map((e) => ({
          file: e.location?.file,
          line: e.location?.line,
          column: e.location ? e.location.column + 1 : undefined,
          text: e.text,
        })),
      },
    );
  }
}
