// The state of the one execution a context serves (a context is never reused for a second one).
import type { PreludeInput } from "./contract.js";

export type ServeHandler = (request: Request, info: unknown) => unknown;

export const execution: {
  input: PreludeInput | undefined;
  /** The handler a top-level `Deno.serve(handler)` registered. */
  served: ServeHandler | undefined;
  /** Characters of log output sent so far (a lower bound of its UTF-8 bytes). */
  logChars: number;
  /** Set once the handler's result is in: no timer or host callback runs function code after. */
  done: boolean;
} = { input: undefined, served: undefined, logChars: 0, done: false };
