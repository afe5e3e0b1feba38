// Puts the runtime's globals in place and takes away what a function must not have. The
// platform objects (`backend`, `Deno`, `createClientFromRequest`, `env`) cannot be replaced or
// redefined; console and timers stay writable, as in browsers, so polyfills keep working.
import { createClientFromRequest, makeBackend } from "./backend.js";
import { makeConsole } from "./console.js";
import { makeDeno } from "./deno.js";
import { defineProperty } from "./intrinsics.js";
import { timerGlobals } from "./timers.js";

export function lockedGlobal(g: typeof globalThis, name: string, value: unknown): void {
  defineProperty(g, name, { value, writable: false, enumerable: false, configurable: false });
}

function plainGlobal(g: typeof globalThis, name: string, value: unknown): void {
  defineProperty(g, name, { value, writable: true, enumerable: false, configurable: true });
}

export function installGlobals(g: typeof globalThis): void {
  plainGlobal(g, "console", makeConsole());
  for (const [name, fn] of Object.entries(timerGlobals)) plainGlobal(g, name, fn);
  lockedGlobal(g, "backend", makeBackend());
  lockedGlobal(g, "Deno", makeDeno());
  lockedGlobal(g, "createClientFromRequest", createClientFromRequest);
  plainGlobal(g, "self", g);
  // Shared memory would let Atomics.wait park the isolate's thread outside the CPU limit, and
  // WebAssembly memories are allocated outside the isolate's heap, past its memory limit.
  delete (g as { SharedArrayBuffer?: unknown }).SharedArrayBuffer;
  delete (g as { Atomics?: unknown }).Atomics;
  delete (g as { WebAssembly?: unknown }).WebAssembly;
  // Finalizers run whenever the GC decides, possibly after the execution ended, outside its limits.
  delete (g as { FinalizationRegistry?: unknown }).FinalizationRegistry;
}
