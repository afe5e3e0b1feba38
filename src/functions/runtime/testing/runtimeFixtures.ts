// TEST-ONLY: builds jobs for FunctionRuntime from hand-written bundles (plain JS that sets
// `globalThis.__backendModule`, as the deploy bundler's IIFE does), and a bridge that records the
// calls and serves data. The bridge is the runtime's own seam (SPEC: "a bridge object").
import pino from "pino";
import { FunctionRuntime, type FunctionRuntimeOptions } from "../functionRuntime.js";
import type { BridgeHandler, ExecutionInput, ExecutionJob, ExecutionLimits, FunctionForm } from "../types.js";

let counter = 0;

/** A bundle whose module namespace is what `body` (a function body) returns. */
export function moduleBundle(body: string): string {
  return `var __backendModule = (() => {\n${body}\n})();`;
}

/** A bundle with `export default <fn>`. */
export function defaultExport(fn: string): string {
  return moduleBundle(`return { default: ${fn} };`);
}

export interface JobOptions {
  key?: string;
  name?: string;
  form?: FunctionForm;
  input?: Partial<ExecutionInput>;
  limits?: Partial<ExecutionLimits>;
  env?: Record<string, string>;
  fetchAllow?: string[];
}

export function makeJob(code: string, options: JobOptions = {}): ExecutionJob {
  counter++;
  return {
    executionId: `exec-${process.pid}-${counter}`,
    fn: {
      name: options.name ?? "fn",
      version: 1,
      key: options.key ?? `key-${counter}`,
      code,
      form: options.form ?? "default",
    },
    input: { trigger: "call", caller: null, ...options.input },
    env: options.env ?? {},
    limits: {
      timeoutMs: 5_000,
      memoryMb: 64,
      maxLogBytes: 256 * 1024,
      maxResultBytes: 1024 * 1024,
      ...options.limits,
    },
    fetch: { allow: options.fetchAllow ?? [], timeoutMs: 2_000, maxResponseBytes: 1024 * 1024 },
  };
}

export interface BridgeCall {
  op: string;
  args: unknown[];
  as: "service" | "caller";
}

/** A bridge serving `handlers` by op name; every call is recorded. Unknown ops throw. */
export function recordingBridge(
  handlers: Record<string, (args: unknown[], as: "service" | "caller") => unknown> = {},
): BridgeHandler & { calls: BridgeCall[] } {
  const calls: BridgeCall[] = [];
  const bridge = (async (op: string, args: unknown[], as: "service" | "caller") => {
    calls.push({ op, args, as });
    const handler = handlers[op];
    if (!handler) throw new Error(`Unknown operation ${op}`);
    return handler(args, as);
  }) as BridgeHandler & { calls: BridgeCall[] };
  bridge.calls = calls;
  return bridge;
}

export const noBridge: BridgeHandler = async (op) => {
  throw new Error(`No bridge in this test (${op})`);
};

export function startRuntime(options: Partial<FunctionRuntimeOptions> = {}): FunctionRuntime {
  const runtime = new FunctionRuntime({
    workers: 2,
    recycleAfter: 10_000,
    workerMaxRssMb: 4096,
    idleEvictMs: 60_000,
    log: pino({ level: "silent" }),
    ...options,
  });
  runtime.start();
  return runtime;
}
