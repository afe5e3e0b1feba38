// What the worker and the in-isolate prelude exchange. The worker boots a context by calling the
// prelude's `boot` with the host callbacks below; boot returns one dispatcher function, which the
// worker keeps as its only handle into the context. Everything crossing is plain data, and no host
// callback ever throws or rejects: failures come back as `{ ok: false }` envelopes so that no host
// error object (with host paths in its stack) is ever created inside the isolate. Each execution
// in a context has a number (`seq`, given by the worker); every callback carries the number of the
// execution it comes from, and the worker ignores callbacks of an execution that has ended.
import type { CallerIdentity, ExecutionInput, FunctionForm, HttpRequestData } from "../types.js";

export type HostEnvelope = { ok: true; value: unknown } | { ok: false; name: string; message: string };

/** The host side of a context, as plain functions (isolated-vm Callbacks) and one Reference. */
export interface BootArgs {
  /** Fire-and-forget: a console line. */
  log(level: string, message: string, timeMs: number, seq: number): void;
  /** Fire-and-forget: "set" a host timer for `id` after `ms`, or "clear" it. */
  timer(op: "set" | "clear", id: number, ms: number, seq: number): void;
  /** `log`, taking effect before it returns: used while the context runs on the worker's thread. */
  logNow(level: string, message: string, timeMs: number, seq: number): void;
  /** `timer`, taking effect before it returns: used while the context runs on the worker's thread. */
  timerNow(op: "set" | "clear", id: number, ms: number, seq: number): void;
  /** Synchronous host functions (urlParse, randomBytes, randomUUID). */
  hostSync(name: string, args: unknown[]): HostEnvelope;
  /** Starts an async host function; the worker settles it later through the dispatcher. */
  hostAsync(id: number, name: string, args: unknown[], seq: number): void;
  /**
   * The `backend.*` bridge: an isolated-vm Reference to a host function called with
   * `applySyncPromise(undefined, [op, argsJson, as, seq])`; answers a JSON HostEnvelope string.
   */
  bridge: BridgeReference;
}

/** The in-isolate face of the bridge Reference (only the one method we use). */
export interface BridgeReference {
  applySyncPromise(receiver: undefined, args: [string, string, string, number]): string;
}

/** The execution, as handed to the prelude before the function's own code runs. */
export interface PreludeInput {
  executionId: string;
  functionName: string;
  form: FunctionForm;
  trigger: ExecutionInput["trigger"];
  payload?: unknown;
  request?: HttpRequestData;
  event?: ExecutionInput["event"];
  schedule?: ExecutionInput["schedule"];
  caller: CallerIdentity | null;
  env: Record<string, string>;
  maxLogBytes: number;
  maxResultBytes: number;
}

export type RunResult =
  /** `json` is absent when the function returned undefined. */
  | { kind: "value"; json?: string }
  | { kind: "response"; status: number; headers: [string, string][]; body: Uint8Array }
  | { kind: "error"; message: string; stack?: string }
  | { kind: "too_large"; message: string };

/**
 * A result `take` answers. `leftPending`: host calls the execution started are still in flight; the
 * worker has not heard of them yet (they come as queued callbacks), so the prelude says so.
 */
export type TakenResult = RunResult & { leftPending?: true };

/** What `run` answers, instead of running, when the built-ins changed since the module loaded. */
export const STALE = "stale";
/** What `take` answers while the execution started by `start` still waits on something. */
export const PENDING = "pending";
/** What `take` answers when the attempt started by `start` made a backend call (see host.ts). */
export const BREACHED = "breached";

/**
 * The dispatcher boot returns: the worker's calls into a booted context. The first execution in a
 * context is `begin`, then the bundle's top-level code (run by the worker), then `invoke`; every
 * later one is a single `run` (on an isolated-vm thread), or `start` then `take` (synchronous calls
 * on the worker's own thread; `wait` when `take` answered PENDING).
 */
export type Dispatcher = {
  (kind: "begin", input: PreludeInput, seq: number): void;
  (kind: "invoke"): Promise<RunResult>;
  (kind: "run", input: PreludeInput, seq: number): Promise<RunResult> | typeof STALE;
  (kind: "start", input: PreludeInput, seq: number): typeof STALE | undefined;
  (kind: "take"): TakenResult | typeof PENDING | typeof BREACHED;
  (kind: "wait"): Promise<RunResult>;
  (kind: "fire", timerId: number, seq: number): void;
  (kind: "settle", opId: number, envelope: HostEnvelope, seq: number): void;
};

/** Pending timers per execution: a storm of setTimeout calls fails instead of piling up. */
export const MAX_PENDING_TIMERS = 10_000;
/** Host calls (fetch, digest ...) in flight at once per execution. */
export const MAX_PENDING_HOST_CALLS = 256;
/** Arguments of one backend call, as JSON. */
export const MAX_BRIDGE_ARGS_CHARS = 8 * 1024 * 1024;
