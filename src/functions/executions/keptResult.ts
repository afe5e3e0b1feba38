// What an execution keeps of what it answered, beside its error: a JSON document (stored by
// keptText.ts, cut at `functions.keepBytes`, secrets hidden).
//
//   a returned value    { "value": … }
//   nothing returned    {}
//   a Response          { "response": { "status", "headers", "bodyBytes", "body"? } }
//
// A run that failed keeps no result (its error is on the row), unless it answered with its own
// Response (an HTTP 401 it made is what the caller saw). Only as much of a large value is written
// as is kept (jsonHead.ts): the answer to the call already serializes it once.
import type { ExecutionOutcome } from "../runtime/types.js";
import { type HttpDocument, httpDocument } from "./httpDocument.js";
import { jsonHead } from "./jsonHead.js";
import { type Keep, keptText } from "./keptText.js";

export type ResultDocument = { value?: unknown } | { response: HttpDocument };

const OPEN_VALUE = '{"value":';
const OPEN_RESPONSE = '{"response":';
/** jsonHead (JS, about twice the cost per byte) pays off for values this many times the cap. */
const HEAD_ONLY_PAST = 4;

export function keptResult(outcome: ExecutionOutcome, keep: Keep): string | null {
  if (outcome.response) {
    const { status, headers, body } = outcome.response;
    const response = httpDocument({ status }, headers, body);
    return keptText(
      [OPEN_RESPONSE, ...response.pieces, "}"],
      OPEN_RESPONSE.length + response.bytes + 1,
      keep,
    );
  }
  if (outcome.status !== "success") return null;
  if (outcome.result === undefined) return "{}";
  // resultSize is the value's JSON size, measured in the sandbox: known before writing any of it.
  let json: string;
  let bytes = outcome.resultSize;
  // Up to a few times the cap, one JSON.stringify of the whole is cheaper than jsonHead's walk.
  if (bytes > HEAD_ONLY_PAST * keep.bytes) {
    try {
      json = jsonHead(outcome.result, keep.bytes + keep.reach);
    } catch {
      return null; // nested deeper than the stack: the answer itself could not be written either
    }
  } else {
    json = JSON.stringify(outcome.result) ?? "null";
    bytes = Buffer.byteLength(json);
  }
  return keptText([OPEN_VALUE, json, "}"], OPEN_VALUE.length + bytes + 1, keep);
}
