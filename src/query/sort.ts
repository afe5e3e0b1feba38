// Sorting by document fields with one order on both stores: missing/null first, then booleans,
// numbers (numerically), strings (bytewise), objects/arrays; ties broken by id.
// The `sort` parameter lists fields, `-` for descending: `sort=-createdAt,name`.
import { type RawBuilder, sql } from "kysely";
import { ValidationError } from "../core/errors.js";
import type { DialectName } from "../storage/store.js";
import { parseFieldPath } from "./filter.js";

export interface SortKey {
  path: string[];
  descending: boolean;
}

const MAX_SORT_FIELDS = 5;

export function parseSort(text: string | undefined): SortKey[] {
  if (text === undefined || text.trim() === "") return [];
  const parts = text.split(",").map((p) => p.trim());
  if (parts.length > MAX_SORT_FIELDS) throw new ValidationError(`Sort by at most ${MAX_SORT_FIELDS} fields`);
  return parts.map((part) => {
    const descending = part.startsWith("-");
    const field = part.replace(/^[-+]/, "");
    if (field === "") throw new ValidationError("Empty field in sort; write e.g. sort=-createdAt,name");
    return { path: parseFieldPath(field), descending };
  });
}

/** ORDER BY expressions for the keys; apply each with its direction. */
export function compileSort(
  keys: SortKey[],
  dialect: DialectName,
  column = "data",
): { expression: RawBuilder<unknown>; descending: boolean }[] {
  const out: { expression: RawBuilder<unknown>; descending: boolean }[] = [];
  for (const key of keys) {
    for (const expression of dialect === "postgres"
      ? postgresKeys(column, key.path)
      : sqliteKeys(column, key.path)) {
      out.push({ expression, descending: key.descending });
    }
  }
  return out;
}

function sqliteKeys(column: string, path: string[]): RawBuilder<unknown>[] {
  const col = sql.ref(column);
  const p = `$.${path.join(".")}`;
  const type = sql`json_type(${col}, ${p})`;
  const extract = sql`json_extract(${col}, ${p})`;
  return [
    sql`CASE ${type} WHEN 'true' THEN 1 WHEN 'false' THEN 1 WHEN 'integer' THEN 2 WHEN 'real' THEN 2 WHEN 'text' THEN 3 WHEN 'object' THEN 4 WHEN 'array' THEN 4 ELSE 0 END`,
    sql`CASE WHEN ${type} IN ('integer', 'real', 'true', 'false') THEN ${extract} END`,
    sql`CASE WHEN ${type} = 'text' THEN ${extract} END`,
  ];
}

function postgresKeys(column: string, path: string[]): RawBuilder<unknown>[] {
  const col = sql.ref(column);
  const value = sql`(${col} #> ${path}::text[])`;
  const text = sql`(${col} #>> ${path}::text[])`;
  const type = sql`jsonb_typeof(${value})`;
  return [
    sql`CASE ${type} WHEN 'boolean' THEN 1 WHEN 'number' THEN 2 WHEN 'string' THEN 3 WHEN 'object' THEN 4 WHEN 'array' THEN 4 ELSE 0 END`,
    sql`CASE ${type} WHEN 'number' THEN ${text}::float8 WHEN 'boolean' THEN (CASE WHEN ${text} = 'true' THEN 1 ELSE 0 END) END`,
    sql`CASE WHEN ${type} = 'string' THEN ${text} COLLATE "C" END`,
  ];
}
