// The IPC channel between the server and a sandbox worker carries JSON: about half the CPU per
// message of the structured clone ("advanced" serialization), which on a busy worker is a tenth of
// the cost of a call. JSON cannot hold bytes, so the two byte fields that cross it (the body of the
// request an HTTP call hands the function, the body of the Response it answers) cross as base64,
// and are turned back into bytes on arrival. Everything else that crosses is JSON already: bridge
// arguments come out of the isolate as JSON, and bridge answers reach the isolate as JSON.
import type { ExecutionInput, ExecutionOutcome, HttpRequestData, HttpResponseData } from "./types.js";

/** How the worker is forked (also by tests that talk to a worker directly). */
export const IPC_SERIALIZATION = "json";

/** A byte field on the wire. */
export interface WireBytes {
  base64: string;
}

/** `body` as it crosses the channel: base64 instead of bytes. */
type OnWire<T extends { body?: Uint8Array }> = Omit<T, "body"> & { body?: WireBytes };

export type WireRequest = OnWire<HttpRequestData>;
export type WireOutcome = Omit<ExecutionOutcome, "response"> & { response?: OnWire<HttpResponseData> };

function toWire(bytes: Uint8Array): WireBytes {
  return { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64") };
}

function fromWire(bytes: WireBytes | undefined): Uint8Array {
  if (!bytes || typeof bytes.base64 !== "string") return new Uint8Array();
  const buffer = Buffer.from(bytes.base64, "base64");
  // A plain Uint8Array: a Buffer would carry Node's prototype into what the isolate is given.
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function requestToWire(request: HttpRequestData): WireRequest {
  const { body, ...rest } = request;
  return body ? { ...rest, body: toWire(body) } : rest;
}

export function requestFromWire(request: WireRequest): HttpRequestData {
  const { body, ...rest } = request;
  return body ? { ...rest, body: fromWire(body) } : rest;
}

export function outcomeToWire(outcome: ExecutionOutcome): WireOutcome {
  if (!outcome.response) return outcome as WireOutcome;
  return { ...outcome, response: { ...outcome.response, body: toWire(outcome.response.body) } };
}

export function outcomeFromWire(outcome: WireOutcome): ExecutionOutcome {
  if (!outcome.response) return outcome as ExecutionOutcome;
  return { ...outcome, response: { ...outcome.response, body: fromWire(outcome.response.body) } };
}

/** A job's input as it crosses the channel. */
export type WireInput = Omit<ExecutionInput, "request"> & { request?: WireRequest };

export function inputToWire(input: ExecutionInput): WireInput {
  return input.request ? { ...input, request: requestToWire(input.request) } : (input as WireInput);
}

export function inputFromWire(input: WireInput): ExecutionInput {
  return input.request ? { ...input, request: requestFromWire(input.request) } : (input as ExecutionInput);
}
