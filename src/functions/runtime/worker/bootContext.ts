// Prepares a fresh context in an isolate: runs the compiled prelude, hands `boot` the host
// callbacks, and keeps the dispatcher it answers. Every execution gets its own context, so what one
// execution does to globals or built-in prototypes is gone for the next. The callbacks look up the
// execution through a slot filled in when the context is put to use, which lets contexts be booted
// ahead of time, before anyone asks.
import ivm from "isolated-vm";
import type { BootArgs, Dispatcher } from "../prelude/contract.js";
import type { BridgeClient } from "./bridgeClient.js";
import { hostSyncCall } from "./hostCalls.js";
import type { RunningExecution } from "./runningExecution.js";

export interface BootedContext {
  context: ivm.Context;
  dispatch: ivm.Reference<Dispatcher>;
  slot: { execution?: RunningExecution };
}

const ENDED = JSON.stringify({ ok: false, message: "The execution has ended" });

export async function bootContext(
  isolate: ivm.Isolate,
  prelude: ivm.Script,
  bridge: BridgeClient,
): Promise<BootedContext> {
  const context = await isolate.createContext();
  try {
    const slot: BootedContext["slot"] = {};
    const live = () => (slot.execution && !slot.execution.ended ? slot.execution : undefined);

    const log = new ivm.Callback(
      (level: unknown, message: unknown, time: unknown) => live()?.logs.add(level, message, time),
      {
        ignored: true,
      },
    );
    const timer = new ivm.Callback(
      (op: unknown, id: unknown, ms: unknown) => {
        const execution = live();
        if (!execution || typeof id !== "number") return;
        if (op === "set") execution.setTimer(id, typeof ms === "number" && ms >= 0 ? ms : 0);
        else execution.clearTimer(id);
      },
      { ignored: true },
    );
    const hostSync = new ivm.Callback((name: unknown, args: unknown) =>
      hostSyncCall(name, Array.isArray(args) ? args : []),
    );
    const hostAsync = new ivm.Callback(
      (id: unknown, name: unknown, args: unknown) => {
        if (typeof id === "number") live()?.hostCall(id, name, Array.isArray(args) ? args : []);
      },
      { ignored: true },
    );
    // The one Reference in the isolate: applySyncPromise lets `backend.query(...)` block the isolate
    // (not the worker) until the server answers. Its function never rejects.
    const bridgeRef = new ivm.Reference(
      async (op: unknown, argsJson: unknown, as: unknown): Promise<string> => {
        const execution = live();
        if (!execution) return ENDED;
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
        ...args: [BootArgs["log"], BootArgs["timer"], BootArgs["hostSync"], BootArgs["hostAsync"], unknown]
      ) => Dispatcher
    >;
    const dispatch = (await boot.apply(undefined, [log, timer, hostSync, hostAsync, bridgeRef] as never, {
      result: { reference: true },
    })) as unknown as ivm.Reference<Dispatcher>;
    boot.release();
    return { context, dispatch, slot };
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
