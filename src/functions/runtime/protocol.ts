// The IPC messages between the server (FunctionRuntime) and a sandbox worker process. Everything
// here travels over Node's IPC channel as JSON (wire.ts), byte fields as base64. One execution is
// identified by its executionId. A function version's bundle crosses once per worker: later jobs
// for the same fn.key leave it out.
import type { BatchMessage } from "./outbox.js";
import type { ExecutionJob, FunctionCode } from "./types.js";
import type { WireInput, WireOutcome } from "./wire.js";

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

/** A function version as sent: without its bundle and source map once the worker has them. */
export type SentFunction = Omit<FunctionCode, "code" | "sourceMap"> & Partial<FunctionCode>;

export type SentJob = Omit<ExecutionJob, "fn" | "input"> & { fn: SentFunction; input: WireInput };

/**
 * Run a function. The worker answers with exactly one `result` for this id, or, when the job came
 * without its code and the worker no longer has it, with `need-code` (the server sends it again).
 */
export interface ExecuteMessage {
  type: "execute";
  job: SentJob;
}

/**
 * Get a function version ready before its first call (after a deploy): compiled, and an isolate
 * with a context booted, idle for fn.key. Its top-level code does not run. Answered by `prepared`.
 */
export interface PrepareMessage {
  type: "prepare";
  requestId: number;
  fn: FunctionCode;
  memoryMb: number;
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

export type HostToWorker =
  ExecuteMessage | PrepareMessage | BridgeResultMessage | AbortMessage | StatsRequestMessage;

/** What crosses the channel: one message, or the messages of one turn (outbox.ts). */
export type HostToWorkerWire = HostToWorker | BatchMessage<HostToWorker>;

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
  outcome: WireOutcome;
  rssBytes: number;
}

/** The job of `executionId` came without code the worker has: send it again, with its code. */
export interface NeedCodeMessage {
  type: "need-code";
  executionId: string;
}

export interface PreparedMessage {
  type: "prepared";
  requestId: number;
  /** Why preparing failed (the first call will say it too). */
  error?: string;
}

export interface StatsMessage {
  type: "stats";
  requestId: number;
  /** fn.key of each warm isolate (a key appears once per isolate). */
  warmKeys: string[];
  spares: number;
}

export type WorkerToHost =
  ReadyMessage | BridgeMessage | ResultMessage | NeedCodeMessage | PreparedMessage | StatsMessage;

export type WorkerToHostWire = WorkerToHost | BatchMessage<WorkerToHost>;
