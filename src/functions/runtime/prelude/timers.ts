// setTimeout / setInterval / clearTimeout / clearInterval / queueMicrotask, backed by the worker's
// timers. The worker cancels every timer of the execution when it ends, so nothing outlives it, and
// the next execution in the same context starts with none pending.
import { emit } from "./console.js";
import { MAX_PENDING_TIMERS } from "./contract.js";
import { formatError } from "./errors.js";
import { onExecutionStart } from "./execution.js";
import { clearHostTimer, setHostTimer } from "./host.js";
import { apply, enqueueMicrotask, MapCtor, RangeErrorCtor, TypeErrorCtor } from "./intrinsics.js";

interface Timer {
  fn: (...args: unknown[]) => void;
  args: unknown[];
  /** Set for setInterval: the period to re-arm with. */
  every?: number;
}

const timers = new MapCtor<number, Timer>();
let nextId = 1;
onExecutionStart(() => timers.clear());
const MAX_DELAY = 2_147_483_647;

function delay(ms: unknown): number {
  const n = Number(ms);
  return Number.isFinite(n) && n > 0 ? Math.min(Math.floor(n), MAX_DELAY) : 0;
}

function add(fn: unknown, ms: unknown, args: unknown[], repeat: boolean): number {
  if (typeof fn !== "function") throw new TypeErrorCtor("The callback must be a function");
  if (timers.size >= MAX_PENDING_TIMERS) {
    throw new RangeErrorCtor(`Too many pending timers (limit ${MAX_PENDING_TIMERS})`);
  }
  const id = nextId++;
  const wait = repeat ? Math.max(1, delay(ms)) : delay(ms);
  timers.set(id, { fn: fn as Timer["fn"], args, ...(repeat ? { every: wait } : {}) });
  setHostTimer(id, wait);
  return id;
}

function clear(id: unknown): void {
  const n = Number(id);
  if (timers.delete(n)) clearHostTimer(n);
}

/** Called by the worker when the host timer `id` fires. */
export function fireTimer(id: number): void {
  const timer = timers.get(id);
  if (!timer) return;
  if (timer.every === undefined) timers.delete(id);
  else setHostTimer(id, timer.every);
  try {
    apply(timer.fn, undefined, timer.args);
  } catch (error) {
    reportUncaught("a timer callback", error);
  }
}

export function reportUncaught(where: string, error: unknown): void {
  emit("error", `Uncaught error in ${where}: ${formatError(error).stack ?? formatError(error).message}`);
}

export const timerGlobals = {
  setTimeout: (fn: unknown, ms?: unknown, ...args: unknown[]) => add(fn, ms, args, false),
  setInterval: (fn: unknown, ms?: unknown, ...args: unknown[]) => add(fn, ms, args, true),
  clearTimeout: clear,
  clearInterval: clear,
  queueMicrotask: (fn: unknown) => {
    if (typeof fn !== "function") throw new TypeErrorCtor("The callback must be a function");
    enqueueMicrotask(() => {
      try {
        (fn as () => void)();
      } catch (error) {
        reportUncaught("a microtask", error);
      }
    });
  },
};
