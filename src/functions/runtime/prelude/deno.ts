// The parts of the `Deno` namespace functions use: `Deno.serve(handler)` registers the handler the
// runtime calls with the execution's Request; `Deno.env` reads the project's secrets.
import { execution, type ServeHandler } from "./execution.js";
import { ErrorCtor, freeze, PromiseCtor, TypeErrorCtor } from "./intrinsics.js";

function serve(a: unknown, b?: unknown) {
  const handler =
    typeof a === "function"
      ? a
      : typeof b === "function"
        ? b
        : a && typeof a === "object" && typeof (a as { handler?: unknown }).handler === "function"
          ? (a as { handler: unknown }).handler
          : undefined;
  if (!handler)
    throw new TypeErrorCtor("Deno.serve needs a handler function: Deno.serve(async (req) => ...)");
  execution.served = handler as ServeHandler;
  return freeze({
    finished: new PromiseCtor<void>(() => {}),
    addr: freeze({ transport: "tcp", hostname: "0.0.0.0", port: 80 }),
    shutdown: async () => {},
    ref: () => {},
    unref: () => {},
  });
}

function currentEnv(): Record<string, string> {
  return execution.input?.env ?? {};
}

const readOnly = () => {
  throw new ErrorCtor("Deno.env is read-only inside a function: set secrets with `backend secrets set`");
};

export function makeDeno() {
  return freeze({
    serve,
    env: freeze({
      get: (name: string) => {
        const env = currentEnv();
        return Object.hasOwn(env, name) ? env[name] : undefined;
      },
      has: (name: string) => Object.hasOwn(currentEnv(), name),
      toObject: () => ({ ...currentEnv() }),
      set: readOnly,
      delete: readOnly,
    }),
  });
}
