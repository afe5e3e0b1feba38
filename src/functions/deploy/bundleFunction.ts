// Compiles and bundles a function with esbuild, in memory: TypeScript and local imports in, one IIFE
// out that assigns the module's exports to `globalThis.__backendModule` (the runtime's contract),
// with its source map. The CLI builds the same shape from the developer's disk (src/project).
import { type BuildFailure, type BuildOptions, type BuildResult, build } from "esbuild";
import { ValidationError } from "../../core/errors.js";
import { describeBuildErrors } from "./buildErrors.js";
import { SHARED_PREFIX, type SourceFiles } from "./sourceFiles.js";
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

/** The output every function bundle has, wherever it is built. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  write: false,
  format: "iife",
  globalName: GLOBAL_NAME,
  platform: "neutral",
  target: "es2022",
  sourcemap: "external",
  charset: "utf8",
  logLevel: "silent",
} as const satisfies BuildOptions;

/** How a deployed file is named in messages and source maps: where it sits in a project. */
export function displayPath(name: string, file: string): string {
  return file.startsWith(SHARED_PREFIX) ? `functions/${file}` : `functions/${name}/${file}`;
}

export async function bundleFunction(input: BundleInput): Promise<Bundle> {
  const display = (file: string) =>
    file.startsWith(`${FILES_NAMESPACE}:`)
      ? displayPath(input.name, file.slice(FILES_NAMESPACE.length + 1))
      : file;
  try {
    const result = await build({
      ...BUNDLE_OPTIONS,
      entryPoints: [input.entry],
      outfile: "bundle.js",
      sourcesContent: true,
      plugins: [
        virtualFiles({
          files: input.files,
          name: input.name,
          entry: input.entry,
          append: input.append ?? "",
        }),
      ],
    });
    return bundleOutput(result, display);
  } catch (error) {
    throw describeFailure(error, display);
  }
}

/** The code and source map of a build, the map's `sources` renamed by `display`. */
export function bundleOutput(result: BuildResult, display: (file: string) => string): Bundle {
  const files = result.outputFiles ?? [];
  const code = files.find((f) => f.path.endsWith(".js"))!.text;
  const map = JSON.parse(files.find((f) => f.path.endsWith(".map"))!.text) as { sources: string[] };
  map.sources = map.sources.map(display);
  return { code, sourceMap: JSON.stringify(map) };
}

/** esbuild's failure as a ValidationError (one `file:line` line per problem); other errors as they are. */
export function describeFailure(error: unknown, display: (file: string) => string): unknown {
  const failure = error as BuildFailure;
  if (!Array.isArray(failure.errors)) return error;
  const errors = failure.errors.map((e) =>
    e.location ? { ...e, location: { ...e.location, file: display(e.location.file) } } : e,
  );
  return new ValidationError(
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
