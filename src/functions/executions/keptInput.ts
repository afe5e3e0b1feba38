// What an execution keeps of what it was given, for GET /api/executions/:id and the dashboard's run
// detail: a JSON document (stored by keptText.ts, cut at `functions.keepBytes`, secrets hidden).
//
//   call      { "payload": … }
//   event     { "event": { "type", "id", "deliveryId"?, "attempt"? }, "payload": <the event data> }
//   schedule  { "schedule": { "name", "scheduledTime", "catchUp", "missed", "manual", "id", "tickId" }, "payload"? }
//   http      { "request": { "method", "url", "headers", "bodyBytes", "body"? } }
//
// The payload, or the request's body, comes last: a cut keeps what the run was for.
import type { EventInput, HttpRequestData, ScheduleInput, Trigger } from "../runtime/types.js";
import { type HttpDocument, httpDocument } from "./httpDocument.js";
import { type Keep, keptText } from "./keptText.js";

export interface InputDocument {
  event?: { type: string; id: string; deliveryId?: string; attempt?: number };
  schedule?: ScheduleInput;
  request?: HttpDocument;
  payload?: unknown;
}

/** A value's JSON text and its size in UTF-8 bytes. */
export interface MeasuredJson {
  json: string;
  bytes: number;
}

export interface RunInput {
  trigger: Trigger;
  /** The payload (an event handler's: the event's data), as JSON made once by the caller. */
  payload: MeasuredJson | undefined;
  event: EventInput | undefined;
  schedule: ScheduleInput | undefined;
  /** The http trigger's request, as the function got it (other triggers' is not kept). */
  request: HttpRequestData | undefined;
}

export function keptInput(input: RunInput, keep: Keep): string {
  const context: InputDocument = {};
  if (input.event) {
    const { type, id, deliveryId, attempt } = input.event;
    context.event = { type, id, ...(deliveryId !== undefined ? { deliveryId, attempt } : {}) };
  }
  if (input.schedule) {
    const { name, scheduledTime, catchUp, missed, manual, id, tickId } = input.schedule;
    context.schedule = { name, scheduledTime, catchUp, missed, manual, id, tickId };
  }
  const head = JSON.stringify(context);
  // `{…}` opened again for the last field: `{"event":{…},` or `{`.
  const open = head === "{}" ? "{" : `${head.slice(0, -1)},`;
  if (input.trigger === "http" && input.request) {
    const { method, url, headers, body } = input.request;
    const request = httpDocument({ method, url }, headers, body);
    const start = `${open}"request":`;
    return keptText([start, ...request.pieces, "}"], Buffer.byteLength(start) + request.bytes + 1, keep);
  }
  if (input.payload) {
    const start = `${open}"payload":`;
    const { json, bytes } = input.payload;
    return keptText([start, json, "}"], Buffer.byteLength(start) + bytes + 1, keep);
  }
  return keptText([head], Buffer.byteLength(head), keep);
}
