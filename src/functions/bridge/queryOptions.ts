// The options of `backend.query(collection, filter, { sort, limit, offset })`. Functions usually want
// every match (seed 000 mails every user whose trial ended), so the limit defaults to the maximum
// page, not to the API's 50.
import { ValidationError } from "../../core/errors.js";
import { parseFilter } from "../../query/filter.js";
import { MAX_LIMIT } from "../../query/page.js";
import { parseSort } from "../../query/sort.js";
import { optionalObject } from "./args.js";

export function queryOf(args: unknown[]) {
  const options = optionalObject(args, 2, "The query options") ?? {};
  const sort = options.sort;
  if (sort !== undefined && typeof sort !== "string" && !isStringArray(sort)) {
    throw new ValidationError("sort must be a string such as '-createdAt,name' or an array of such keys");
  }
  return {
    filter: parseFilter(args[1]),
    sort: parseSort(Array.isArray(sort) ? sort.join(",") : sort),
    limit: whole(options.limit, "limit", 1, MAX_LIMIT) ?? MAX_LIMIT,
    offset: whole(options.offset, "offset", 0, 10_000_000) ?? 0,
  };
}

export function countOf(args: unknown[]) {
  return { filter: parseFilter(args[1]), limit: 1 };
}

function whole(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ValidationError(`${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
