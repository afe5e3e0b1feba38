// TEST-ONLY (Node side, excluded from the build): a real isolated-vm isolate with installWebApis
// bundled by esbuild as the runtime bundles it, and a WebHost made of isolated-vm references to the
// worker's hostFunctions, wired the way the runtime wires them (sync calls with applySync, async
// ones as promises, arguments and results copied).
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import ivm from "isolated-vm";
import { type HostContext, hostFunctions } from "../../worker/host/index.js";

let bundled: Promise<string> | undefined;

/** web/index.ts as an IIFE exposing `__web.installWebApis`. */
export function webApisBundle(): Promise<string> {
  bundled ??= build({
    entryPoints: [fileURLToPath(new URL("../index.ts", import.meta.url))],
    bundle: true,
    format: "iife",
    globalName: "__web",
    platform: "neutral",
    target: "es2022",
    write: false,
  }).then((result) => result.outputFiles[0]!.text);
  return bundled;
}

// Runs after the bundle inside one function scope, so the bundle's `var __web` stays local.
const GLUE = `
const [$urlParse, $randomBytes, $randomUUID, $digest, $hmacSign, $fetch, $sleep] =
  [globalThis.$urlParse, globalThis.$randomBytes, globalThis.$randomUUID, globalThis.$digest,
   globalThis.$hmacSign, globalThis.$fetch, globalThis.$sleep];
const copy = { arguments: { copy: true }, result: { copy: true } };
const later = { arguments: { copy: true }, result: { copy: true, promise: true } };
const timers = new Map();
let nextTimer = 1;
const host = {
  urlParse: (href, base) => $urlParse.applySync(undefined, [href, base], copy),
  randomBytes: (n) => $randomBytes.applySync(undefined, [n], copy),
  randomUUID: () => $randomUUID.applySync(undefined, [], copy),
  digest: (algorithm, data) => $digest.apply(undefined, [algorithm, data], later),
  hmacSign: (hash, key, data) => $hmacSign.apply(undefined, [hash, key, data], later),
  fetch: (req) => $fetch.apply(undefined, [req], later),
  setTimeout(fn, ms) {
    const id = nextTimer++;
    timers.set(id, fn);
    $sleep.apply(undefined, [ms], later).then(() => {
      const callback = timers.get(id);
      timers.delete(id);
      if (callback) callback();
    });
    return id;
  },
  clearTimeout: (id) => void timers.delete(id),
};
__web.installWebApis(globalThis, host);
`;

export interface WebIsolate {
  /** Runs `body` as an async function in the isolate and returns its (copied) result. */
  run<T = unknown>(body: string): Promise<T>;
  dispose(): void;
}

export async function createWebIsolate(ctx: HostContext): Promise<WebIsolate> {
  const isolate = new ivm.Isolate({ memoryLimit: 64 });
  const context = await isolate.createContext();
  const global = context.global;
  await global.set("globalThis", global.derefInto());
  const refs: Record<string, (...args: never[]) => unknown> = {
    $urlParse: hostFunctions.urlParse,
    $randomBytes: hostFunctions.randomBytes,
    $randomUUID: hostFunctions.randomUUID,
    $digest: hostFunctions.digest,
    $hmacSign: hostFunctions.hmacSign,
    $fetch: (req: Parameters<typeof hostFunctions.fetch>[1]) => hostFunctions.fetch(ctx, req),
    $sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  for (const [name, fn] of Object.entries(refs)) await global.set(name, new ivm.Reference(fn));
  await context.eval(`(() => {\n${await webApisBundle()}\n${GLUE}\n})();`);
  for (const name of Object.keys(refs)) await global.delete(name);
  // The glue's closures keep the references; the globals are gone, as in the real prelude.

  return {
    run: async <T>(body: string) =>
      (await context.eval(`(async () => { ${body} })()`, { promise: true, copy: true })) as T,
    dispose: () => isolate.dispose(),
  };
}
