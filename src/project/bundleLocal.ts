// Bundles a function on the developer's machine with esbuild, from the real file system: TypeScript,
// local imports, functions/_shared/ and packages from the project's own node_modules. The output has
// the shape the server's bundler gives (src/functions/deploy/bundleFunction.ts): an IIFE that
// assigns the module's exports to `globalThis.__backendModule`, and a source map whose `sources` are
// relative to the project (functions/hello/entry.ts), which the runtime uses to point stack traces
// and log lines at the developer's files.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { type BuildOptions, build } from "esbuild";
import { ValidationError } from "../core/errors.js";
import { BUNDLE_OPTIONS, bundleOutput, describeFailure } from "../functions/deploy/bundleFunction.js";
import { detectForm } from "../functions/deploy/detectForm.js";
import { loaderFor } from "../functions/deploy/sourceFiles.js";
import type { FunctionForm } from "../functions/runtime/types.js";
import { displayOf, type FunctionPlace } from "./fileRoles.js";
import type { LocalFunction, Project } from "./loadProject.js";
import { ProjectError } from "./projectError.js";
import { projectImports } from "./projectImports.js";
import { fromValidationError } from "./readFunctionConfig.js";

export interface LocalBundle {
  code: string;
  sourceMap: string;
  form: FunctionForm;
}

/** Where packages are read from: functions run in a Web-like sandbox, neither Node nor a browser. */
const PACKAGE_OPTIONS = {
  mainFields: ["module", "main"],
  conditions: ["worker"],
  // Packages branch on it (React and friends); the sandbox has no `process`.
  define: { "process.env.NODE_ENV": '"production"' },
} satisfies BuildOptions;

export async function bundleLocal(project: Project, fn: LocalFunction): Promise<LocalBundle> {
  if (fn.error) throw fn.error;
  const display = displayOf(project.root, fn.entryFile);
  try {
    const source = await readFile(fn.entryFile, "utf8");
    const detected = await detectForm(source, loaderFor(fn.entryFile), display);
    const result = await build({
      ...BUNDLE_OPTIONS,
      ...PACKAGE_OPTIONS,
      absWorkingDir: project.root,
      entryPoints: [fn.entryFile],
      // Beside the project's files, so the map's sources read functions/hello/entry.ts.
      outfile: path.join(project.root, "bundle.js"),
      // Stack traces need the mappings only; the sources are stored as files already.
      sourcesContent: false,
      plugins: [
        projectImports({
          root: project.root,
          functionsDir: project.functionsDir,
          fn: placeOf(fn),
          append: detected.append,
        }),
      ],
    });
    return { ...bundleOutput(result, (file) => file), form: detected.form };
  } catch (error) {
    throw asProjectError(describeFailure(error, (file) => file));
  }
}

function placeOf(fn: LocalFunction): FunctionPlace {
  return { kind: fn.kind, dir: fn.dir, entryFile: fn.entryFile };
}

function asProjectError(error: unknown): unknown {
  if (error instanceof ProjectError) return error;
  if (error instanceof ValidationError) return fromValidationError(error);
  if ((error as NodeJS.ErrnoException).code === "ENOENT") {
    return new ProjectError(`${(error as NodeJS.ErrnoException).path} does not exist any more`);
  }
  return error;
}
