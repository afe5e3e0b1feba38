// The core prelude: the code that runs in every context before a function's own code. The worker
// bundles it into one script (worker/preludeBundle.ts) whose value is `boot`. The worker calls boot
// with the host callbacks; boot installs the Web APIs and the runtime's globals and answers one
// dispatcher, the worker's only handle into the context. Nothing of the host stays reachable from
// function code: the callbacks live in module closures, never on globals.
//
// A context serves one execution after another (never two at once). The first one loads the
// function: `begin`, the bundle's top-level code, `invoke`. Every later one is a single `run`,
// which first checks that no execution changed the built-ins since the module loaded (the worker
// then boots a fresh context instead), or the same as `start` + `take`: two synchronous calls from
// the worker's own thread, which skip the hand-over to an isolated-vm thread and back (most of the
// cost of a short execution). `start` calls the handler; by the time the worker's call returns,
// the promise jobs have run, and `take` answers the result, or PENDING (the worker then awaits
// `wait`), or BREACHED when a backend call was attempted meanwhile (see host.ts).

import { installWebApis } from "../web/index.js";
import { recordBuiltins, builtinsIntact, watchBuiltins } from "./builtinGuard.js";
import {
  type BootArgs,
  type Dispatcher,
  type HostEnvelope,
  type PreludeInput,
  BREACHED,
  PENDING,
  type RunResult,
  STALE,
  type TakenResult,
} from "./contract.js";
import { beginExecution, execution } from "./execution.js";
import { installGlobals, lockedGlobal } from "./globals.js";
import {
  connectHost,
  enterWorkerThread,
  hostCallsPending,
  leaveWorkerThread,
  settleHostCall,
} from "./host.js";
import { freeze } from "./intrinsics.js";
import { invoke, useWebClasses } from "./invoke.js";
import { fireTimer } from "./timers.js";
import { makeWebHost } from "./webHost.js";

type Module = Parameters<typeof invoke>[0];

export function boot(
  log: BootArgs["log"],
  timer: BootArgs["timer"],
  logNow: BootArgs["logNow"],
  timerNow: BootArgs["timerNow"],
  hostSync: BootArgs["hostSync"],
  hostAsync: BootArgs["hostAsync"],
  bridge: BootArgs["bridge"],
): Dispatcher {
  connectHost({ log, timer, logNow, timerNow, hostSync, hostAsync, bridge });
  const g = globalThis;
  installWebApis(g, makeWebHost());
  useWebClasses(g.Request, g.Response);
  installGlobals(g);
  watchBuiltins(g);
  let loaded = false;
  let mod: Module;
  /** The execution `start` began, and its result once it is in. */
  let running: Promise<RunResult> | undefined;
  let settled: RunResult | undefined;

  async function keepResult(seq: number): Promise<RunResult> {
    const result = await invoke(mod);
    if (execution.seq === seq) settled = result;
    return result;
  }

  function dispatch(kind: string, a?: unknown, b?: unknown, c?: unknown): unknown {
    switch (kind) {
      case "begin": {
        const input = a as PreludeInput;
        beginExecution(input, b as number);
        // The context keeps the secrets it loaded with; the worker boots another when they change.
        lockedGlobal(g, "env", freeze({ ...input.env }));
        return undefined;
      }
      case "invoke": {
        // The module's top-level code has run: its exports and the built-ins as it left them are
        // what every later execution in this context starts from.
        mod = (g as { __backendModule?: unknown }).__backendModule as Module;
        loaded = true;
        recordBuiltins();
        return invoke(mod) as Promise<RunResult>;
      }
      case "run": {
        if (!loaded || !builtinsIntact()) return STALE;
        beginExecution(a as PreludeInput, b as number);
        return invoke(mod) as Promise<RunResult>;
      }
      case "start": {
        if (!loaded || !builtinsIntact()) return STALE;
        beginExecution(a as PreludeInput, b as number);
        settled = undefined;
        enterWorkerThread();
        running = keepResult(b as number);
        return undefined;
      }
      case "take": {
        if (leaveWorkerThread()) return BREACHED;
        if (!settled) return PENDING;
        const result: TakenResult = settled;
        settled = undefined;
        running = undefined;
        if (hostCallsPending()) result.leftPending = true;
        return result;
      }
      case "wait":
        return running;
      // A timer or host call the worker delivered just as its execution ended must not run
      // function code in an isolate that is no longer watched, nor in the next execution.
      case "fire":
        if (!execution.done && b === execution.seq) fireTimer(a as number);
        return undefined;
      case "settle":
        if (!execution.done && c === execution.seq) settleHostCall(a as number, b as HostEnvelope);
        return undefined;
      default:
        return undefined;
    }
  }
  return dispatch as Dispatcher;
}
