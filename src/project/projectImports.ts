// The esbuild plugin of the CLI's bundler: a function's imports resolved on the developer's disk
// by esbuild itself, then checked. A function may import its own files, functions/_shared/, other
// files of the project and packages installed in the project's node_modules; `backend` is the
// sandbox's globals, as on the server. Node built-ins, files outside the project and another
// function's files are refused with the import, the importing file and its line.
import { lstatSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { OnResolveArgs, OnResolveResult, Plugin, PluginBuild } from "esbuild";
import {
  isSdkImport,
  refusalOf,
  refuse,
  sdkModule,
  serveSdkModule,
} from "../functions/deploy/importRules.js";
import { loaderFor } from "../functions/deploy/sourceFiles.js";
import { displayOf, type FunctionPlace, fileRole, isInside } from "./fileRoles.js";

export interface ProjectImportsOptions {
  root: string;
  functionsDir: string;
  fn: FunctionPlace;
  /** Appended to the entry's source (the export line of a classic script, see detectForm). */
  append?: string;
  /** Only follow the project's own files (to list them): everything else is left out, nothing fails. */
  scan?: boolean;
}

const RESOLVING = Symbol("resolving");

export function projectImports(options: ProjectImportsOptions): Plugin {
  const { root } = options;
  const nodeModules = path.join(root, "node_modules");
  return {
    name: "project-imports",
    setup(build) {
      build.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === "entry-point" || args.pluginData === RESOLVING) return undefined;
        const spec = args.path;
        if (isSdkImport(spec)) return sdkModule();
        const local = spec.startsWith("./") || spec.startsWith("../");
        if (options.scan) return local ? undefined : { path: spec, external: true };
        const refusal = refusalOf(spec);
        if (refusal) return refuse(refusal);
        // Inside a package (node_modules, or a linked one outside the project), the package manager's
        // layout is trusted as it is.
        const fromPackage = isInside(nodeModules, args.importer) || !isInside(root, args.importer);
        const resolved = await resolve(build, args);
        if (!resolved.path) return refuse(notFound(spec, local, root));
        if (fromPackage) return resolved;
        if (local) return checkLocal(spec, resolved, options);
        return checkPackage(spec, resolved, nodeModules, root);
      });

      build.onLoad({ filter: /.*/, namespace: "file" }, async (args) => {
        if (isInside(nodeModules, args.path) || !isInside(root, args.path)) return undefined;
        const source = await readFile(args.path, "utf8");
        const contents = args.path === options.fn.entryFile ? source + (options.append ?? "") : source;
        // The server's loaders (JSON as objects, anything that is not code as text), so a file
        // imports the same wherever the function is built.
        return { contents, loader: loaderFor(args.path) };
      });
      serveSdkModule(build);
    },
  };
}

async function resolve(build: PluginBuild, args: OnResolveArgs): Promise<OnResolveResult> {
  const result = await build.resolve(args.path, {
    kind: args.kind,
    importer: args.importer,
    resolveDir: args.resolveDir,
    pluginData: RESOLVING,
  });
  return result.errors.length > 0 ? {} : result;
}

function checkLocal(
  spec: string,
  resolved: OnResolveResult,
  options: ProjectImportsOptions,
): OnResolveResult {
  const file = resolved.path!;
  const role = fileRole(options.root, options.functionsDir, options.fn, file);
  if (role.role === "outside") {
    return refuse(
      `imports '${spec}', which is outside the project (${file}); a function can import files inside ` +
        `the project folder (${options.root}) and packages installed in it`,
    );
  }
  if (role.role === "other") {
    return refuse(
      `imports '${spec}' (${displayOf(options.root, file)}), which is not this function's file; ` +
        `move code that functions share to ${displayOf(options.root, options.functionsDir)}/_shared/`,
    );
  }
  return resolved;
}

function checkPackage(
  spec: string,
  resolved: OnResolveResult,
  nodeModules: string,
  root: string,
): OnResolveResult {
  const name = packageName(spec);
  // The package must be the project's own; a node_modules higher up is not deployed with it. A
  // linked package (npm link, workspaces) is a symlink here and resolves elsewhere: that is fine.
  if (isInside(nodeModules, resolved.path!) || existsLink(path.join(nodeModules, name))) return resolved;
  return refuse(
    `imports '${spec}', a package that is not installed in this project (found ${resolved.path}); ` +
      `run npm install ${name} in ${root}`,
  );
}

function notFound(spec: string, local: boolean, root: string): string {
  if (local) return `imports '${spec}', which does not exist`;
  return `imports '${spec}', a package that is not installed in this project; run npm install ${packageName(spec)} in ${root}`;
}

/** `@scope/pkg/sub` -> `@scope/pkg`; `pkg/sub` -> `pkg`. */
function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function existsLink(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
