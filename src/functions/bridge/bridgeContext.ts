// What every bridge operation knows about the execution it serves. The identity is fixed when the
// server starts the execution; nothing a function passes can change it.
import type { Principal } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import type { ActionContext } from "../../events/pipeline.js";
import type { InvocationResult, InvokeParams } from "../invoke/invokeFunction.js";

export interface ExecutionScope {
  executionId: string;
  /** Who called the function: what "caller" operations act as. */
  principal: Principal;
  /** How many calls between functions led to this execution. */
  depth: number;
  /** How many events led to this execution (0 from a request); what it causes is one deeper. */
  eventDepth: number;
  /** Starts another function (invokeFunction, passed in to keep the modules acyclic). */
  invoke: (params: InvokeParams) => Promise<InvocationResult>;
}

export interface OpCall {
  deps: Deps;
  scope: ExecutionScope;
  /** The identity this call acts as: the admin key for "service", the caller for "caller". */
  principal: Principal;
  args: unknown[];
}

export type Op = (call: OpCall) => Promise<unknown>;

/** Record and user writes made by a function are traced to its execution. */
export function causeOf(scope: ExecutionScope): { kind: string; id: string } {
  return { kind: "execution", id: scope.executionId };
}

/** The action context of a write or event a function makes: who, what caused it, how deep. */
export function actionContext(call: OpCall): ActionContext {
  return { principal: call.principal, cause: causeOf(call.scope), depth: call.scope.eventDepth };
}
