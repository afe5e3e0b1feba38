// The core prelude: the code that runs in every fresh context before a function's own code. The
// worker bundles it into one script (worker/preludeBundle.ts) whose value is `boot`. The worker
// calls boot with the host callbacks; boot installs the Web APIs and the runtime's globals and
// answers one dispatcher, the worker's only handle into the context. Nothing of the host stays
// reachable from function code: the callbacks live in module closures, never on globals.

import { installWebApis } from "../web/index.js";
import type { BootArgs, Dispatcher, HostEnvelope, PreludeInput, RunResult } from "./contract.js";
import { execution } from "./execution.js";
import { installGlobals, lockedGlobal } from "./globals.js";
import { connectHost, settleHostCall } from "./host.js";
import { freeze } from "./intrinsics.js";
import { invoke, useWebClasses } from "./invoke.js";
import { fireTimer } from "./timers.js";
import { makeWebHost } from "./webHost.js";

export function boot(
  log: BootArgs["log"],
  timer: BootArgs["timer"],
  hostSync: BootArgs["hostSync"],
  hostAsync: BootArgs["hostAsync"],
  bridge: BootArgs["bridge"],
): Dispatcher {
  connectHost({ log, timer, hostSync, hostAsync, bridge });
  const g = globalThis;
  installWebApis(g, makeWebHost());
  useWebClasses(g.Request, g.Response);
  installGlobals(g);

  function dispatch(kind: string, a?: unknown, b?: unknown): unknown {
    switch (kind) {
      case "begin": {
        const input = a as PreludeInput;
        execution.input = input;
        lockedGlobal(g, "env", freeze({ ...input.env }));
        return undefined;
      }
      case "invoke": {
        const mod = (g as { __backendModule?: unknown }).__backendModule as Parameters<typeof invoke>[0];
        return invoke(mod) as Promise<RunResult>;
      }
      // A timer or host call the worker delivered just as the execution ended must not run
      // function code in an isolate that is no longer watched.
      case "fire":
        if (!execution.done) fireTimer(a as number);
        return undefined;
      case "settle":
        if (!execution.done) settleHostCall(a as number, b as HostEnvelope);
        return undefined;
      default:
        return undefined;
    }
  }
  return dispatch as Dispatcher;
}
