// Describes whatever a function threw (an Error, a string, an object with hostile getters) as a
// message and stack, without letting the description itself throw.
import { stringify } from "./intrinsics.js";

const MAX_MESSAGE = 8_192;
const MAX_STACK = 16_384;

export function formatError(error: unknown): { message: string; stack?: string } {
  try {
    if (error !== null && typeof error === "object" && "message" in error) {
      const e = error as { name?: unknown; message?: unknown; stack?: unknown };
      const name = typeof e.name === "string" ? e.name : "Error";
      const text = String(e.message);
      const message = name && name !== "Error" ? `${name}: ${text}` : text;
      const stack = typeof e.stack === "string" ? e.stack.slice(0, MAX_STACK) : undefined;
      return { message: message.slice(0, MAX_MESSAGE), ...(stack ? { stack } : {}) };
    }
    let shown: string;
    if (typeof error === "string") shown = stringify(error);
    else if (error !== null && typeof error === "object") shown = stringify(error) ?? String(error);
    else shown = String(error);
    return { message: `The function threw a non-Error value: ${shown}`.slice(0, MAX_MESSAGE) };
  } catch {
    return { message: "The function threw a value that cannot be described" };
  }
}
