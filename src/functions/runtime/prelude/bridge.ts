// `backend.*` calls: arguments go to the server as JSON (so Dates arrive as ISO strings), the isolate
// waits for the answer, and a server-side error is thrown here as an Error with the same message.
import { MAX_BRIDGE_ARGS_CHARS } from "./contract.js";
import { callBridge } from "./host.js";
import { ErrorCtor, parse, RangeErrorCtor, stringify } from "./intrinsics.js";

export type Role = "service" | "caller";

export function bridge(op: string, args: unknown[], as: Role): unknown {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const json = stringify(n === args.length ? args : args.slice(0, n));
  if (json.length > MAX_BRIDGE_ARGS_CHARS) {
    throw new RangeErrorCtor(
      `The arguments of ${op} are too large (limit ${MAX_BRIDGE_ARGS_CHARS} characters)`,
    );
  }
  const answer = parse(callBridge(op, json, as)) as
    { ok: true; value?: unknown } | { ok: false; name?: string; message: string; code?: string };
  if (answer.ok) return answer.value;
  const error = new ErrorCtor(answer.message) as Error & { code?: string };
  if (answer.code) error.code = answer.code;
  throw error;
}
