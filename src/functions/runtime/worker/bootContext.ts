// Prepares a context in an isolate: runs the compiled prelude, hands `boot` the host callbacks, and
// keeps the dispatcher it answers. A context then serves one execution after another for one
// function version (runJob.ts decides when it must be replaced by a fresh one). The callbacks find
// the execution through the context's slot, and only answer the execution the slot holds now: each
// callback carries the number the prelude got for its execution, so a late callback of an execution
// that has ended (a promise callback it left queued) is ignored, never run as the next execution.
import ivm from "isolated-vm";
import type { BootArgs, Dispatcher } from "../prelude/contract.js";
import type { BridgeClient } from "./bridgeClient.js";
import { hostSyncCall } from "./hostCalls.js";
import type { RunningExecution } from "./runningExecution.js";

export interface BootedContext {
  context: ivm.Context;
  dispatch: ivm.Reference<Dispatcher>;
  /** The execution served now, and its number in this context. */
  slot: { execution?: RunningExecution; seq: number };
  /** The bundle's top-level code has run in this context. */
  loaded: boolean;
  /** The secrets the context loaded with (its `env` global); set with `loaded`. */
  env?: Record<string, string>;
}

const ENDED = JSON.stringify({ ok: false, message: "The execution has ended" });

export interface BootHooks {
  /** Function code in this context made a backend call. */
  bridgeUsed(): void;
}

export async function bootContext(
  isolate: ivm.Isolate,
  prelude: ivm.Script,
  bridge: BridgeClient,
  hooks: BootHooks,
): Promise<BootedContext> {
  const context = await isolate.createContext();
  try {
    const slot: BootedContext["slot"] = { seq: 0 };
    const live = (seq: unknown) => {
      const execution = slot.execution;
      return execution && !execution.ended && seq === slot.seq ? execution : undefined;
    };

    const addLog = (level: unknown, message: unknown, time: unknown, seq: unknown) =>
      live(seq)?.logs.add(level, message, time);
    const setTimer = (op: unknown, id: unknown, ms: unknown, seq: unknown) => {
      const execution = live(seq);
      if (!execution || typeof id !== "number") return;
      if (op === "set") execution.setTimer(id, typeof ms === "number" && ms >= 0 ? ms : 0);
      else execution.clearTimer(id);
    };
    // Queued: the isolate's thread does not wait for the worker's. The "now" pair serves contexts
    // running on the worker's own thread, where a queued callback would only arrive after the call.
    const log = new ivm.Callback(addLog, { ignored: true });
    const timer = new ivm.Callback(setTimer, { ignored: true });
    const logNow = new ivm.Callback(addLog);
    const timerNow = new ivm.Callback(setTimer);
    const hostSync = new ivm.Callback((name: unknown, args: unknown) =>
      hostSyncCall(name, Array.isArray(args) ? args : []),
    );
    const hostAsync = new ivm.Callback(
      (id: unknown, name: unknown, args: unknown, seq: unknown) => {
        if (typeof id === "number") live(seq)?.hostCall(id, name, Array.isArray(args) ? args : []);
      },
      { ignored: true },
    );
    // The one Reference in the isolate: applySyncPromise lets `backend.query(...)` block the isolate
    // (not the worker) until the server answers. Its function never rejects.
    const bridgeRef = new ivm.Reference(
      async (op: unknown, argsJson: unknown, as: unknown, seq: unknown): Promise<string> => {
        const execution = live(seq);
        if (!execution) return ENDED;
        hooks.bridgeUsed();
        if (typeof op !== "string" || typeof argsJson !== "string" || (as !== "service" && as !== "caller")) {
          return JSON.stringify({ ok: false, message: "Malformed backend call" });
        }
        let args: unknown;
        try {
          args = JSON.parse(argsJson);
        } catch {
          return JSON.stringify({ ok: false, message: "Malformed backend call arguments" });
        }
        return bridge.call(execution.id, op, Array.isArray(args) ? args : [], as);
      },
    );

    const boot = (await prelude.run(context, { reference: true })) as ivm.Reference<
      (
        ...args: [
          BootArgs["log"],
          BootArgs["timer"],
          BootArgs["logNow"],
          BootArgs["timerNow"],
          BootArgs["hostSync"],
          BootArgs["hostAsync"],
          unknown,
        ]
      ) => Dispatcher
    >;
    const dispatch = (await boot.apply(
      undefined,
      [log, timer, logNow, timerNow, hostSync, hostAsync, bridgeRef] as never,
      {
        result: { reference: true },
      },
    )) as unknown as ivm.Reference<Dispatcher>;
    boot.release();
    return { context, dispatch, slot, loaded: false };
  } catch (error) {
    context.release();
    throw error;
  }
}

export function releaseContext(booted: BootedContext): void {
  booted.slot.execution = undefined;
  try {
    booted.dispatch.release();
    booted.context.release();
  } catch {
    // The isolate is already disposed.
  }
}

/** The same secrets, name for name (a context keeps the `env` it loaded with). */
export function sameEnv(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (!a) return false;
  let count = 0;
  for (const name in a) {
    if (!Object.hasOwn(b, name) || a[name] !== b[name]) return false;
    count++;
  }
  return count === Object.keys(b).length;
}
