// The bridge of one execution: every `backend.*` call the function makes arrives here as
// (op, args, as) and is carried out by the domain code that serves HTTP, as the identity the server
// gave the execution: the admin key for "service" (global `backend`, `asServiceRole`), the caller
// for "caller" (`createClientFromRequest(req)`). Errors reach the function with their message;
// unexpected ones are logged here and reach it without internals.
import { adminKey } from "../../auth/principal.js";
import { AppError, ValidationError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import type { BridgeHandler } from "../runtime/types.js";
import { authOps } from "./authOps.js";
import { channelOps } from "./channelOps.js";
import type { ExecutionScope, Op } from "./bridgeContext.js";
import { emailOps } from "./emailOps.js";
import { eventOps } from "./eventOps.js";
import { scheduleOps } from "./scheduleOps.js";
import { functionOps } from "./functionOps.js";
import { recordOps } from "./recordOps.js";

const OPS: ReadonlyMap<string, Op> = new Map(
  Object.entries({
    ...recordOps,
    ...authOps,
    ...emailOps,
    ...functionOps,
    ...eventOps,
    ...scheduleOps,
    ...channelOps,
  }),
);

export function createBridge(deps: Deps, scope: ExecutionScope): BridgeHandler {
  return async (op, args, as) => {
    const run = OPS.get(op);
    if (!run) throw new ValidationError(`Unknown operation '${String(op).slice(0, 60)}'`);
    if (as !== "service" && as !== "caller") throw new ValidationError("Unknown identity for the operation");
    if (!Array.isArray(args)) throw new ValidationError(`The arguments of '${op}' must be a list`);
    const principal = as === "service" ? adminKey : scope.principal;
    try {
      return await run({ deps, scope, principal, args });
    } catch (error) {
      if (error instanceof AppError) throw error;
      deps.log.error({ err: error, op, executionId: scope.executionId }, "function bridge operation failed");
      // Only the message crosses to the sandbox; the cause stays here, in the server's log.
      throw new Error(`The operation '${op}' failed on the server`, { cause: error });
    }
  };
}
