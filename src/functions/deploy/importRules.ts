// What a function may import, shared by the server's bundler (virtualFiles.ts) and the CLI's
// (src/project/bundleLocal.ts), so a function is refused for the same reasons, in the same words,
// wherever it is built: `backend` (and Base44's SDK) become the sandbox's globals; Node built-ins,
// absolute paths and URLs do not exist where functions run.
import { builtinModules } from "node:module";
import type { OnResolveResult, PluginBuild } from "esbuild";
import { REFUSED_IMPORT } from "./buildErrors.js";

export const SDK_NAMESPACE = "backend-sdk";

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

export function isSdkImport(spec: string): boolean {
  return SDK_SPECIFIER.test(spec);
}

/** The SDK import resolved to the module above. */
export function sdkModule(): OnResolveResult {
  return { path: "backend", namespace: SDK_NAMESPACE };
}

/** Serves the SDK module to a build whose resolver answers `sdkModule()`. */
export function serveSdkModule(build: PluginBuild): void {
  build.onLoad({ filter: /.*/, namespace: SDK_NAMESPACE }, () => ({ contents: SDK_MODULE, loader: "js" }));
}

/** Why a specifier can never be imported by a function, whatever files it has; undefined if it may be. */
export function refusalOf(spec: string): string | undefined {
  if (spec.startsWith("node:") || BUILTINS.has(spec)) {
    return `imports '${spec}', a Node built-in; functions run in a sandbox without Node APIs`;
  }
  if (spec.startsWith("/")) return `imports '${spec}', an absolute path; import files relatively (./lib.ts)`;
  const registry = /^(npm|jsr):(@?[^@]+)/.exec(spec);
  if (registry) {
    return (
      `imports '${spec}', a ${registry[1]}: specifier; install the package in the project ` +
      `(npm install ${registry[2]}), import '${registry[2]}' and deploy with 'backend functions deploy'`
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    return `imports '${spec}', a URL; functions can import only files, installed packages and 'backend'`;
  }
  return undefined;
}

/** An onResolve answer that fails the build with `text`, at the importing file and line. */
export function refuse(text: string): OnResolveResult {
  return { errors: [{ text, detail: REFUSED_IMPORT }] };
}
