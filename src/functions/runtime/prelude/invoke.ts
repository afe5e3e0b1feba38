// Calls the function's handler the way its form asks (SPEC §3), with the `event` and `context` of
// the contract, and turns what it returns into a RunResult: a Response is passed through as bytes,
// anything else becomes JSON. Never rejects: a throw becomes a `{ kind: "error" }` result.
import type { PreludeInput, RunResult } from "./contract.js";
import { formatError } from "./errors.js";
import { execution } from "./execution.js";
import { httpEvent } from "./httpEvent.js";
import { ErrorCtor, freeze, stringify, TypeErrorCtor } from "./intrinsics.js";

type RequestClass = typeof Request;
type ResponseClass = typeof Response;
let RequestCtor: RequestClass | undefined;
let ResponseCtor: ResponseClass | undefined;

/** The Web classes as installed at boot, before function code could replace the globals. */
export function useWebClasses(request: RequestClass | undefined, response: ResponseClass | undefined): void {
  RequestCtor = request;
  ResponseCtor = response;
}

type Module = { default?: unknown; handler?: unknown } | undefined;

export async function invoke(mod: Module): Promise<RunResult> {
  const input = execution.input;
  if (!input) return { kind: "error", message: "The execution was not started" };
  try {
    const value = await callHandler(input, mod);
    return await toRunResult(value, input);
  } catch (error) {
    const { message, stack } = formatError(error);
    return { kind: "error", message, ...(stack ? { stack } : {}) };
  } finally {
    execution.done = true;
  }
}

async function callHandler(input: PreludeInput, mod: Module): Promise<unknown> {
  if (input.form === "deno") {
    const served = execution.served;
    if (!served) throw new ErrorCtor("The function did not call Deno.serve(handler) at its top level");
    const value = await served(
      makeRequest(input),
      freeze({ remoteAddr: { transport: "tcp", hostname: "", port: 0 } }),
    );
    if (!isResponse(value)) {
      throw new TypeErrorCtor(`The Deno.serve handler must return a Response, got ${describe(value)}`);
    }
    return value;
  }
  const fn = input.form === "handler" ? (mod?.handler ?? mod?.default) : mod?.default;
  if (typeof fn !== "function") {
    throw new ErrorCtor(
      input.form === "handler"
        ? "The function has no `handler` to call"
        : "The function has no default export to call (export default async function (event, context) { ... })",
    );
  }
  return await fn(eventOf(input), contextOf(input));
}

function eventOf(input: PreludeInput): unknown {
  if (input.trigger === "http" && input.request) return httpEvent(input.request);
  if (input.trigger === "event" && input.event) return input.event.data;
  return input.payload;
}

function contextOf(input: PreludeInput): Record<string, unknown> {
  const context: Record<string, unknown> = {
    trigger: input.trigger,
    user: input.caller,
    executionId: input.executionId,
    functionName: input.functionName,
    env: input.env,
  };
  if (input.event) {
    context.event_type = input.event.type;
    context.event_data = input.event.data;
    context.event_id = input.event.id;
    // POST handlers: the same id on every retry of this delivery, to make side effects idempotent.
    if (input.event.deliveryId !== undefined) {
      context.delivery_id = input.event.deliveryId;
      context.attempt = input.event.attempt;
    }
  }
  if (input.schedule) {
    context.schedule_id = input.schedule.id;
    context.schedule_name = input.schedule.name;
    context.scheduled_time = input.schedule.scheduledTime;
    context.catch_up = input.schedule.catchUp;
    context.missed_ticks = input.schedule.missed;
    context.tick_id = input.schedule.tickId;
    context.manual = input.schedule.manual;
  }
  if (input.request) context.request = makeRequest(input);
  return context;
}

function makeRequest(input: PreludeInput): Request {
  if (!RequestCtor) throw new ErrorCtor("Request is not available in this runtime");
  const req = input.request;
  if (req) {
    const method = req.method.toUpperCase();
    const hasBody = method !== "GET" && method !== "HEAD" && req.body && req.body.byteLength > 0;
    return new RequestCtor(req.url, { method, headers: req.headers, ...(hasBody ? { body: req.body } : {}) });
  }
  // A call, event or schedule run of a Deno.serve function: the payload (or event data) as a JSON
  // POST to the function's own URL.
  const data = eventOf(input);
  const body = data === undefined ? undefined : stringify(data);
  const headers: [string, string][] = [["content-type", "application/json"]];
  // A Deno.serve handler learns which event it runs for from these headers.
  const event = input.event;
  if (event) {
    headers.push(["x-backend-event-type", event.type], ["x-backend-event-id", event.id]);
    if (event.deliveryId !== undefined) headers.push(["x-backend-delivery-id", event.deliveryId]);
  }
  // ...and which tick it runs for from these.
  const tick = input.schedule;
  if (tick) {
    headers.push(
      ["x-backend-schedule", tick.name],
      ["x-backend-scheduled-time", tick.scheduledTime],
      ["x-backend-catch-up", String(tick.catchUp)],
      ["x-backend-tick-id", tick.tickId],
    );
  }
  return new RequestCtor(`http://localhost/functions/${input.functionName}`, {
    method: "POST",
    headers,
    ...(body === undefined ? {} : { body }),
  });
}

function isResponse(value: unknown): value is Response {
  return ResponseCtor !== undefined && value instanceof ResponseCtor;
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object")
    return (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
  return typeof value;
}

async function toRunResult(value: unknown, input: PreludeInput): Promise<RunResult> {
  const max = input.maxResultBytes;
  if (isResponse(value)) {
    const body = new Uint8Array(await value.arrayBuffer());
    if (body.byteLength > max) {
      return { kind: "too_large", message: tooLarge("response body", body.byteLength, max) };
    }
    const headers: [string, string][] = [];
    for (const [name, v] of value.headers) headers.push([name, v]);
    return { kind: "response", status: value.status, headers, body };
  }
  if (value === undefined) return { kind: "value" };
  let json: string | undefined;
  try {
    json = stringify(value);
  } catch (error) {
    return {
      kind: "error",
      message: `The result could not be turned into JSON: ${formatError(error).message}`,
    };
  }
  if (json === undefined) return { kind: "value" };
  // UTF-8 takes at least one byte per character, so a string this long is certainly too large.
  if (json.length > max) return { kind: "too_large", message: tooLarge("result", json.length, max, true) };
  return { kind: "value", json };
}

export function tooLarge(what: string, size: number, max: number, atLeast = false): string {
  return `The ${what} is too large: ${atLeast ? "at least " : ""}${size} bytes, over the limit of ${max} bytes`;
}
