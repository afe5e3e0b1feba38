// The host functions behind the isolate's Web APIs (WEB's hostFunctions), called with arguments
// that came from function code: checked here, and every failure turned into an error envelope,
// because an exception thrown across isolated-vm would carry host stack frames into the isolate.
import type { HostEnvelope } from "../prelude/contract.js";
import { type HostContext, hostFunctions } from "./host/index.js";

function fail(error: unknown): HostEnvelope {
  const e = error as { name?: unknown; message?: unknown };
  return {
    ok: false,
    name: typeof e?.name === "string" ? e.name : "Error",
    message: typeof e?.message === "string" ? e.message : String(error),
  };
}

function bytes(value: unknown, what: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  throw new TypeError(`${what} must be a Uint8Array`);
}

export function hostSyncCall(name: unknown, args: unknown[]): HostEnvelope {
  try {
    switch (name) {
      case "urlParse":
        return {
          ok: true,
          value: hostFunctions.urlParse(String(args[0]), args.length > 1 ? String(args[1]) : undefined),
        };
      case "randomBytes":
        return { ok: true, value: hostFunctions.randomBytes(Number(args[0])) };
      case "randomUUID":
        return { ok: true, value: hostFunctions.randomUUID() };
      default:
        return { ok: false, name: "TypeError", message: `Unknown host function ${String(name)}` };
    }
  } catch (error) {
    return fail(error);
  }
}

export async function hostAsyncCall(ctx: HostContext, name: unknown, args: unknown[]): Promise<HostEnvelope> {
  try {
    switch (name) {
      case "digest":
        return { ok: true, value: await hostFunctions.digest(String(args[0]), bytes(args[1], "data")) };
      case "hmacSign":
        return {
          ok: true,
          value: await hostFunctions.hmacSign(String(args[0]), bytes(args[1], "key"), bytes(args[2], "data")),
        };
      case "fetch": {
        const req = args[0] as Parameters<typeof hostFunctions.fetch>[1];
        if (!req || typeof req !== "object") throw new TypeError("fetch: bad request");
        return { ok: true, value: await hostFunctions.fetch(ctx, req) };
      }
      default:
        return { ok: false, name: "TypeError", message: `Unknown host function ${String(name)}` };
    }
  } catch (error) {
    return fail(error);
  }
}
