// For tests: evaluates a deployed bundle in a bare node:vm context, with stand-ins for the sandbox
// globals, to check the shape the runtime relies on (`__backendModule` and its exports). The real
// sandbox is the runtime's; this only reads what deploy produced.
import vm from "node:vm";

export interface Evaluated {
  module: Record<string, unknown>;
  /** The handler a `Deno.serve(handler)` call registered, if any. */
  served?: unknown;
}

export function evaluateBundle(code: string, globals: Record<string, unknown> = {}): Evaluated {
  const result: Evaluated = { module: {} };
  const context = vm.createContext({
    backend: { marker: "backend-global" },
    createClientFromRequest: () => "client",
    Deno: {
      serve: (...args: unknown[]) => {
        result.served = args.find((a) => typeof a === "function") ?? (args[0] as { fetch?: unknown })?.fetch;
      },
    },
    ...globals,
  });
  vm.runInContext(code, context, { timeout: 1000 });
  result.module = vm.runInContext("globalThis.__backendModule", context) as Record<string, unknown>;
  return result;
}
