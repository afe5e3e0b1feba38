// The prelude's only way out of the isolate: the host callbacks handed to `boot`, kept in this
// module's closure (never on a global), plus the bookkeeping of async host calls that the worker
// settles later. A function can use these only through the APIs built on them. Every callback
// carries the number of the execution that made it, so the worker can refuse one that comes from
// an execution that has already ended.
import type { BootArgs, HostEnvelope } from "./contract.js";
import { MAX_PENDING_HOST_CALLS } from "./contract.js";
import { execution, onExecutionStart } from "./execution.js";
import {
  ErrorCtor,
  MapCtor,
  PromiseCtor,
  RangeErrorCtor,
  SyntaxErrorCtor,
  TypeErrorCtor,
} from "./intrinsics.js";

let hostLog: BootArgs["log"] = () => {};
let hostTimer: BootArgs["timer"] = () => {};
let hostLogNow: BootArgs["log"] = () => {};
let hostTimerNow: BootArgs["timer"] = () => {};
let hostSync: BootArgs["hostSync"] = () => ({ ok: false, name: "Error", message: "not booted" });
let hostAsync: BootArgs["hostAsync"] = () => {};
let bridgeCall: (receiver: undefined, args: [string, string, string, number]) => string = () => {
  throw new ErrorCtor("not booted");
};

/**
 * Set while the worker runs this context on its own thread (`start`, see index.ts): log lines and
 * timers then go through the callbacks that take effect at once (the queued ones would only arrive
 * after the call returned), and a backend call cannot wait, so it marks the attempt as breached and
 * throws; the worker throws the attempt away and runs the execution again in a fresh context.
 */
let onWorkerThread = false;
let breached = false;

export function enterWorkerThread(): void {
  onWorkerThread = true;
  breached = false;
}

/** Leaves the worker's thread; answers whether a backend call was attempted there. */
export function leaveWorkerThread(): boolean {
  onWorkerThread = false;
  return breached;
}

export function connectHost(args: BootArgs): void {
  hostLog = args.log;
  hostTimer = args.timer;
  hostLogNow = args.logNow;
  hostTimerNow = args.timerNow;
  hostSync = args.hostSync;
  hostAsync = args.hostAsync;
  // Bound now, while Function.prototype.bind is still the original; the Reference itself is
  // dropped with boot's arguments and never stored where function code can reach it.
  bridgeCall = args.bridge.applySyncPromise.bind(args.bridge);
}

export function sendLog(level: string, message: string, timeMs: number): void {
  (onWorkerThread ? hostLogNow : hostLog)(level, message, timeMs, execution.seq);
}

export function setHostTimer(id: number, ms: number): void {
  (onWorkerThread ? hostTimerNow : hostTimer)("set", id, ms, execution.seq);
}

export function clearHostTimer(id: number): void {
  (onWorkerThread ? hostTimerNow : hostTimer)("clear", id, 0, execution.seq);
}

/** Calls the bridge and waits (the isolate blocks; the worker does not). Answers a JSON envelope. */
export function callBridge(op: string, argsJson: string, as: string): string {
  if (onWorkerThread) {
    breached = true;
    throw new ErrorCtor("A backend call cannot run in this attempt; the execution is run again");
  }
  return bridgeCall(undefined, [op, argsJson, as, execution.seq]);
}

/** A synchronous host function: its value, or its error rethrown as an isolate error. */
export function callHostSync(name: string, args: unknown[]): unknown {
  return unwrap(hostSync(name, args));
}

const pending = new MapCtor<number, { resolve(v: unknown): void; reject(e: unknown): void }>();
let nextOpId = 1;
// A call the worker dropped because its execution ended never settles; the next execution starts
// without it.
onExecutionStart(() => pending.clear());

/** An async host function: a promise the worker settles through the dispatcher. */
export function callHostAsync(name: string, args: unknown[]): Promise<unknown> {
  return new PromiseCtor((resolve, reject) => {
    if (pending.size >= MAX_PENDING_HOST_CALLS) {
      reject(new RangeErrorCtor(`Too many host calls in flight (limit ${MAX_PENDING_HOST_CALLS})`));
      return;
    }
    const id = nextOpId++;
    pending.set(id, { resolve, reject });
    hostAsync(id, name, args, execution.seq);
  });
}

/** Host calls of this execution that have not settled (a fetch it did not await). */
export function hostCallsPending(): boolean {
  return pending.size > 0;
}

export function settleHostCall(id: number, envelope: HostEnvelope): void {
  const entry = pending.get(id);
  if (!entry) return;
  pending.delete(id);
  if (envelope.ok) entry.resolve(envelope.value);
  else entry.reject(toError(envelope.name, envelope.message));
}

function unwrap(envelope: HostEnvelope): unknown {
  if (envelope.ok) return envelope.value;
  throw toError(envelope.name, envelope.message);
}

export function toError(name: string, message: string): Error {
  const Ctor =
    name === "TypeError"
      ? TypeErrorCtor
      : name === "RangeError"
        ? RangeErrorCtor
        : name === "SyntaxError"
          ? SyntaxErrorCtor
          : ErrorCtor;
  const error = new Ctor(message);
  if (Ctor === ErrorCtor && name && name !== "Error") error.name = name;
  return error;
}
