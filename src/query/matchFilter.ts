// Evaluates a validated filter tree against a value in memory, with the meaning compileFilter gives it
// in SQL: comparisons only match values of the same kind, ISO-8601 date strings compare as instants,
// strings order by code unit, and $ne / $nin also match a missing field. Subscriptions use it to
// match an event's payload without a database round trip.
import { dateMs } from "./dates.js";
import type { FilterNode, FilterValue } from "./filter.js";

export function matchFilter(node: FilterNode, doc: unknown): boolean {
  switch (node.kind) {
    case "and":
      return node.nodes.every((n) => matchFilter(n, doc));
    case "or":
      return node.nodes.some((n) => matchFilter(n, doc));
    case "compare": {
      const found = lookup(doc, node.path);
      switch (node.op) {
        case "exists":
          return (found !== undefined) === node.value;
        case "eq":
          return equals(found, node.value as FilterValue);
        case "ne":
          return !equals(found, node.value as FilterValue);
        case "in":
          return (node.value as FilterValue[]).some((v) => equals(found, v));
        case "nin":
          return !(node.value as FilterValue[]).some((v) => equals(found, v));
        default:
          return range(found, node.op, node.value as FilterValue);
      }
    }
  }
}

function lookup(doc: unknown, path: string[]): unknown {
  let at: unknown = doc;
  for (const key of path) {
    if (typeof at !== "object" || at === null || Array.isArray(at) || !Object.hasOwn(at, key))
      return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

function equals(found: unknown, value: FilterValue): boolean {
  switch (value.type) {
    case "null":
      return found === undefined || found === null;
    case "number":
    case "boolean":
      return found === value.value;
    case "string":
    case "date": {
      if (typeof found !== "string") return false;
      if (found === value.value) return true;
      const ms = value.dateMs;
      return ms !== undefined && dateMs(found) === ms;
    }
    case "json":
      return (
        typeof found === "object" && found !== null && JSON.stringify(found) === JSON.stringify(value.value)
      );
  }
}

function range(found: unknown, op: string, value: FilterValue): boolean {
  let a: number | string;
  let b: number | string;
  const ms = value.type === "date" || value.type === "string" ? value.dateMs : undefined;
  if (ms !== undefined) {
    const foundMs = typeof found === "string" ? dateMs(found) : undefined;
    if (foundMs === undefined) return false;
    [a, b] = [foundMs, ms];
  } else if (value.type === "number" && typeof found === "number") {
    [a, b] = [found, value.value];
  } else if (value.type === "string" && typeof found === "string") {
    [a, b] = [found, value.value];
  } else {
    return false;
  }
  switch (op) {
    case "lt":
      return a < b;
    case "lte":
      return a <= b;
    case "gt":
      return a > b;
    default:
      return a >= b;
  }
}
