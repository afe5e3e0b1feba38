// The state of the execution a context serves now. A warm context serves one execution after
// another (never two at once): `beginExecution` resets everything that belongs to one execution,
// while the handler a top-level `Deno.serve(handler)` registered stays with the context, like the
// rest of the module's top-level state.
import type { PreludeInput } from "./contract.js";

export type ServeHandler = (request: Request, info: unknown) => unknown;

export const execution: {
  input: PreludeInput | undefined;
  /** The worker's number for this execution; every host callback carries it. */
  seq: number;
  /** The handler a top-level `Deno.serve(handler)` registered. */
  served: ServeHandler | undefined;
  /** Characters of log output sent so far (a lower bound of its UTF-8 bytes). */
  logChars: number;
  /** Set once the handler's result is in: no timer or host callback runs function code after. */
  done: boolean;
} = { input: undefined, seq: 0, served: undefined, logChars: 0, done: false };

const resets: (() => void)[] = [];

/** `reset` runs at the start of every execution (pending timers, host calls, console counters). */
export function onExecutionStart(reset: () => void): void {
  resets[resets.length] = reset;
}

export function beginExecution(input: PreludeInput, seq: number): void {
  execution.input = input;
  execution.seq = seq;
  execution.logChars = 0;
  execution.done = false;
  for (let i = 0; i < resets.length; i++) resets[i]!();
}
