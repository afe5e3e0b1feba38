// Validates the fields a caller (or a PRE handler that rewrote them) asks to store. Every key, at
// every depth, must be a field name the filter language can address (src/query/fieldName.ts), so
// all stored data stays queryable and no key can smuggle JSON-path or SQL syntax.
// Runs in the domain, not only in routes, because functions write records without HTTP.
import { PayloadTooLargeError, ValidationError } from "../core/errors.js";
import { isFieldName, truncate } from "../query/fieldName.js";
import { SYSTEM_FIELDS } from "./record.js";

/** Deeper documents are refused: they are unqueryable and invite stack exhaustion. */
export const MAX_NESTING = 32;

/**
 * The fields of a new record or of a change set: a JSON object with valid names, system fields
 * dropped. `what` names the input in messages ("The record", "The changes").
 */
export function parseRecordFields(input: unknown, what: string): Record<string, unknown> {
  if (!isPlainObject(input)) {
    throw new ValidationError(`${what} must be a JSON object of fields, e.g. {"title": "Buy milk"}`);
  }
  const fields: Record<string, unknown> = {};
  const seen = { nonJson: false };
  for (const [key, value] of Object.entries(input)) {
    checkName(key, key);
    if (SYSTEM_FIELDS.has(key) || value === undefined) continue;
    checkValue(value, key, 1, seen);
    fields[key] = value;
  }
  // Dates (and undefined) from in-process callers: store and answer exactly what JSON keeps.
  return seen.nonJson ? (JSON.parse(JSON.stringify(fields)) as Record<string, unknown>) : fields;
}

/** Refuses a record whose own fields would exceed the request body limit once merged. */
export function checkRecordSize(fields: Record<string, unknown>, maxBytes: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(fields));
  if (bytes > maxBytes) {
    throw new PayloadTooLargeError(
      `The record would be ${bytes} bytes; records may hold at most ${maxBytes} bytes of fields`,
    );
  }
}

function checkName(key: string, path: string): void {
  if (!isFieldName(key)) {
    throw new ValidationError(
      `Invalid field name '${truncate(path)}': use letters, digits and _ (not starting with a digit), at most 64 characters`,
    );
  }
}

function checkValue(value: unknown, path: string, depth: number, seen: { nonJson: boolean }): void {
  if (value === undefined) {
    seen.nonJson = true;
    return;
  }
  if (typeof value !== "object" || value === null) {
    if (typeof value === "number" && !Number.isFinite(value)) {
      throw new ValidationError(`Invalid number in '${truncate(path)}'`);
    }
    if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
      throw new ValidationError(`'${truncate(path)}' does not hold a JSON value`);
    }
    return;
  }
  if (depth > MAX_NESTING) {
    throw new ValidationError(
      `'${truncate(path)}' nests too deep: records may nest at most ${MAX_NESTING} levels`,
    );
  }
  if (Array.isArray(value)) {
    for (const item of value) checkValue(item, `${path}[]`, depth + 1, seen);
    return;
  }
  if (!isPlainObject(value)) {
    // A Date from a function becomes its ISO string when stored, like JSON.stringify does.
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      seen.nonJson = true;
      return;
    }
    throw new ValidationError(`'${truncate(path)}' does not hold a JSON value`);
  }
  for (const [key, item] of Object.entries(value)) {
    const nested = `${path}.${key}`;
    checkName(key, nested);
    checkValue(item, nested, depth + 1, seen);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
