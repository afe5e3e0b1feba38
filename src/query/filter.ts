// The filter language shared by records and users: a JSON object in the style of MongoDB.
//   { isPaid: false, trialEndsAt: { $lte: "2026-01-01T00:00:00Z" }, $or: [{ plan: "pro" }, { seats: { $gt: 5 } }] }
// parseFilter validates untrusted input into a small tree; compileFilter turns the tree into SQL.
// Field names are checked here, so nothing from the caller is ever spliced into SQL text.
import { ValidationError } from "../core/errors.js";
import { dateMs } from "./dates.js";
import { isFieldName, MAX_PATH_DEPTH, truncate } from "./fieldName.js";

export { dateMs } from "./dates.js";

export type Scalar = string | number | boolean | null;
export type FilterInput = Record<string, unknown>;

export type ComparisonOp = "eq" | "ne" | "lt" | "lte" | "gt" | "gte" | "in" | "nin" | "exists";

export type FilterNode =
  | { kind: "and"; nodes: FilterNode[] }
  | { kind: "or"; nodes: FilterNode[] }
  | { kind: "compare"; path: string[]; op: ComparisonOp; value: FilterValue | FilterValue[] | boolean };

/** A value after validation: JSON values, with dates recognised and kept as epoch milliseconds. */
export type FilterValue =
  | { type: "string"; value: string; dateMs?: number }
  | { type: "number"; value: number }
  | { type: "boolean"; value: boolean }
  | { type: "null" }
  | { type: "date"; value: string; dateMs: number }
  | { type: "json"; value: unknown };

const OPERATORS: Record<string, ComparisonOp> = {
  $eq: "eq",
  $ne: "ne",
  $lt: "lt",
  $lte: "lte",
  $gt: "gt",
  $gte: "gte",
  $in: "in",
  $nin: "nin",
  $exists: "exists",
};

const MAX_DEPTH = 8;
const MAX_IN = 1000;
const MAX_CONDITIONS = 200;

/** Validates a field path such as `address.city`; throws a 400 naming the bad part. */
export function parseFieldPath(field: string): string[] {
  const segments = field.split(".");
  if (!segments.every(isFieldName)) {
    throw new ValidationError(
      `Invalid field name '${truncate(field)}': use letters, digits and _ (not starting with a digit, at most 64), with '.' between nested fields`,
    );
  }
  if (segments.length > MAX_PATH_DEPTH) {
    throw new ValidationError(
      `The field path '${truncate(field)}' is too deep: at most ${MAX_PATH_DEPTH} nested fields`,
    );
  }
  return segments;
}

export function parseFilter(input: unknown): FilterNode {
  if (input === undefined || input === null) return { kind: "and", nodes: [] };
  const counter = { conditions: 0 };
  return parseObject(input, 0, counter);
}

/** Parses the `filter` query parameter: a JSON object in a string. */
export function parseFilterParam(text: string | undefined): FilterNode {
  if (text === undefined || text.trim() === "") return parseFilter(undefined);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(
      `The filter is not valid JSON (${(error as Error).message}); send a JSON object, e.g. filter={"status":"open"}`,
    );
  }
  return parseFilter(value);
}

function parseObject(input: unknown, depth: number, counter: { conditions: number }): FilterNode {
  if (!isPlainObject(input)) throw new ValidationError("A filter must be a JSON object");
  if (depth > MAX_DEPTH) throw new ValidationError(`Filters may nest at most ${MAX_DEPTH} levels`);
  const nodes: FilterNode[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (key === "$and" || key === "$or") {
      if (!Array.isArray(value) || value.length === 0) {
        throw new ValidationError(`${key} takes a non-empty array of filters`);
      }
      const children = value.map((v) => parseObject(v, depth + 1, counter));
      nodes.push({ kind: key === "$and" ? "and" : "or", nodes: children });
      continue;
    }
    if (key.startsWith("$"))
      throw new ValidationError(
        `Unknown operator '${truncate(key)}' at the top of a filter: only $and and $or may appear there`,
      );
    const path = parseFieldPath(key);
    nodes.push(...parseField(path, value, counter));
  }
  return nodes.length === 1 ? nodes[0]! : { kind: "and", nodes };
}

function parseField(path: string[], value: unknown, counter: { conditions: number }): FilterNode[] {
  const field = path.join(".");
  const isOperatorObject = isPlainObject(value) && Object.keys(value).some((k) => k.startsWith("$"));
  if (!isOperatorObject) return [compare(path, "eq", toValue(value, field), counter)];

  const nodes: FilterNode[] = [];
  for (const [key, operand] of Object.entries(value as Record<string, unknown>)) {
    // Own keys only: `constructor` or `toString` must not find Object.prototype's members.
    const op = Object.hasOwn(OPERATORS, key) ? OPERATORS[key] : undefined;
    if (!op) {
      throw new ValidationError(
        `Unknown operator '${truncate(key)}' on '${field}'; use one of ${Object.keys(OPERATORS).join(" ")}`,
      );
    }
    nodes.push(parseOperand(path, op, operand, counter));
  }
  return nodes;
}

function parseOperand(path: string[], op: ComparisonOp, operand: unknown, counter: { conditions: number }) {
  const field = path.join(".");
  switch (op) {
    case "exists":
      if (typeof operand !== "boolean")
        throw new ValidationError(`$exists on '${field}' takes true or false`);
      return compare(path, op, operand, counter);
    case "in":
    case "nin": {
      if (!Array.isArray(operand)) throw new ValidationError(`$${op} on '${field}' takes an array`);
      if (operand.length > MAX_IN) throw new ValidationError(`$${op} takes at most ${MAX_IN} values`);
      return compare(
        path,
        op,
        operand.map((v) => toValue(v, field)),
        counter,
      );
    }
    case "lt":
    case "lte":
    case "gt":
    case "gte": {
      const value = toValue(operand, field);
      if (value.type !== "number" && value.type !== "string" && value.type !== "date") {
        throw new ValidationError(`$${op} on '${field}' takes a number, a string or a date`);
      }
      return compare(path, op, value, counter);
    }
    default:
      return compare(path, op, toValue(operand, field), counter);
  }
}

function compare(
  path: string[],
  op: ComparisonOp,
  value: FilterValue | FilterValue[] | boolean,
  counter: { conditions: number },
): FilterNode {
  counter.conditions += 1;
  if (counter.conditions > MAX_CONDITIONS) {
    throw new ValidationError(`A filter may hold at most ${MAX_CONDITIONS} conditions`);
  }
  return { kind: "compare", path, op, value };
}

function toValue(value: unknown, field: string): FilterValue {
  if (value === null) return { type: "null" };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ValidationError(`Invalid date for '${field}'`);
    return { type: "date", value: value.toISOString(), dateMs: value.getTime() };
  }
  switch (typeof value) {
    case "string": {
      const ms = dateMs(value);
      return ms === undefined ? { type: "string", value } : { type: "string", value, dateMs: ms };
    }
    case "number":
      if (!Number.isFinite(value)) throw new ValidationError(`Invalid number for '${field}'`);
      return { type: "number", value };
    case "boolean":
      return { type: "boolean", value };
    case "object":
      // Only arrays of plain values: whole objects would compare by key order on SQLite but not on
      // PostgreSQL, so the same filter could match differently.
      if (containsObject(value)) {
        throw new ValidationError(
          `Comparing whole objects is not supported on '${field}': filter on their fields instead, e.g. {"${field}.name": "..."}`,
        );
      }
      return { type: "json", value };
    default:
      throw new ValidationError(`Unsupported value for '${field}'`);
  }
}

function containsObject(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(containsObject);
  return typeof value === "object" && value !== null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
