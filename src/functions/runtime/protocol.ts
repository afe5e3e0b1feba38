// The IPC messages between the server (FunctionRuntime) and a sandbox worker process. Everything
// here travels over Node's IPC channel with `serialization: "advanced"` (structured clone), so
// Uint8Array bodies and Dates cross as they are. One execution is identified by its executionId.
import type { ExecutionJob, ExecutionOutcome } from "./types.js";

/** Settings a worker reads from its first command-line argument (JSON). */
export interface WorkerSettings {
  /** A warm isolate unused this long is disposed. */
  idleEvictMs: number;
  /** At most this many warm isolates are kept per worker (least recently used go first). */
  maxWarmIsolates: number;
  /** Pre-built isolates (prelude loaded) kept ready for first calls. */
  spareIsolates: number;
}

// ---- server -> worker ----

/** Run a function. The worker answers with exactly one `result` for this id. */
export interface ExecuteMessage {
  type: "execute";
  job: ExecutionJob;
}

/** The answer to a worker's `bridge` message. */
export interface BridgeResultMessage {
  type: "bridge-result";
  executionId: string;
  callId: number;
  ok: boolean;
  value?: unknown;
  error?: { message: string; code?: string };
}

/** Stop an execution now (the host's wall clock ran out); the worker disposes its isolate. */
export interface AbortMessage {
  type: "abort";
  executionId: string;
  reason: "timeout";
  message: string;
}

/** Ask for the worker's warm isolates (tests and benchmarks). */
export interface StatsRequestMessage {
  type: "stats";
  requestId: number;
}

export type HostToWorker = ExecuteMessage | BridgeResultMessage | AbortMessage | StatsRequestMessage;

// ---- worker -> server ----

/** The worker has built its prelude and is taking work. */
export interface ReadyMessage {
  type: "ready";
}

/** A `backend.*` call from function code, to run on the server with the execution's identity. */
export interface BridgeMessage {
  type: "bridge";
  executionId: string;
  callId: number;
  op: string;
  args: unknown[];
  as: "service" | "caller";
}

/** How an execution ended, and the worker's resident memory right after (for recycling). */
export interface ResultMessage {
  type: "result";
  executionId: string;
  outcome: ExecutionOutcome;
  rssBytes: number;
}

export interface StatsMessage {
  type: "stats";
  requestId: number;
  /** fn.key of each warm isolate (a key appears once per isolate). */
  warmKeys: string[];
  spares: number;
}

export type WorkerToHost = ReadyMessage | BridgeMessage | ResultMessage | StatsMessage;
