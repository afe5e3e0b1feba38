// client.functions: calling deployed functions. `invoke(name, payload)` POSTs the payload to
// /api/functions/<name>/invoke and resolves to the function's result (for a Deno.serve function, the
// JSON body of its Response); a failed run rejects with a BackendError whose code says how it ended:
// function_error (it threw), function_timeout, function_resource_limit, function_result_too_large,
// function_crashed, or the HTTP error of the call itself (unauthorized, forbidden, not_found).
//
// Name your functions' payloads and results once, and every call is typed:
//   declare module "backend" {
//     interface Functions { sendWelcomeEmail: { payload: { name: string }; result: { message: string } } }
//   }
import type { Transport } from "./http.js";

/** Your functions' payload and result types, by name; add yours with `declare module`. */
export interface Functions {} // eslint-disable-line @typescript-eslint/no-empty-object-type

/**
 * Settings of typed calls. `backend types generate` sets `strictNames: true`, so that a name the
 * project does not have is a type error (names outside `Functions` are otherwise accepted).
 */
export interface FunctionsTyping {} // eslint-disable-line @typescript-eslint/no-empty-object-type

type Known = keyof Functions & string;
/** The names `invoke` accepts: any, or only the declared ones once `strictNames` is set. */
type FunctionName = FunctionsTyping extends { strictNames: true } ? Known : string;
/** A known function's payload type; anything for other names. */
type PayloadFor<N extends string> = N extends Known
  ? Functions[N] extends { payload: infer P }
    ? P
    : unknown
  : unknown;
/** A known function's result type; unknown for other names. */
type ResultFor<N extends string> = N extends Known
  ? Functions[N] extends { result: infer R }
    ? R
    : unknown
  : unknown;

export interface InvokeOptions {
  /**
   * Admins only: run the function as a handler of this event type, with the payload as the event
   * data (`context.event_type`, `context.event_data`), e.g. to try a PRE_USER_CREATE handler.
   */
  event?: string;
}

export interface FunctionsApi {
  /**
   * Runs a function and resolves to its result. The types come from `Functions` for names declared
   * there; otherwise name the result type: `invoke<{ total: number }>("quote", payload)`.
   */
  invoke<R = never, N extends FunctionName = FunctionName>(
    name: N,
    payload?: PayloadFor<N>,
    options?: InvokeOptions,
  ): Promise<[R] extends [never] ? ResultFor<N> : R>;
}

export function functionsApi(http: Transport): FunctionsApi {
  return {
    invoke: <R>(name: string, payload?: unknown, options: InvokeOptions = {}) =>
      http.request<R>("POST", invokePath(name), {
        // No payload still sends a body, so the function always gets a JSON object or value.
        body: payload === undefined ? {} : payload,
        query: { event: options.event },
        acceptText: true,
      }),
  };
}

/** `/api/functions/email/send/invoke`: each part of a nested name encoded on its own. */
function invokePath(name: string): string {
  return `/api/functions/${name.split("/").map(encodeURIComponent).join("/")}/invoke`;
}
