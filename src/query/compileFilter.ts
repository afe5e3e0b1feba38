// Turns a validated filter tree into a parameterised SQL condition on a JSON document column, with
// the same meaning on SQLite and PostgreSQL:
// - a comparison only matches values of the same kind (numbers with numbers, strings with strings);
// - strings that are ISO-8601 dates (src/query/dates.ts), and Date values, compare as instants;
// - strings order bytewise (SQLite BINARY, PostgreSQL COLLATE "C");
// - $ne and $nin also match documents where the field is missing, as in MongoDB.
// Paths and values always travel as bound parameters.
import { type RawBuilder, type SqlBool, sql } from "kysely";
import type { DialectName } from "../storage/store.js";
import { postgresCompareDate, sqliteCompareDate } from "./dateSql.js";
import type { FilterNode, FilterValue } from "./filter.js";

type Condition = RawBuilder<SqlBool>;

const TRUE: Condition = sql<SqlBool>`1 = 1`;
const FALSE: Condition = sql<SqlBool>`1 = 0`;

export function compileFilter(node: FilterNode, dialect: DialectName, column = "data"): Condition {
  const json = dialect === "postgres" ? postgresJson(column) : sqliteJson(column);
  return compileNode(node, json);
}

function compileNode(node: FilterNode, json: JsonSql): Condition {
  switch (node.kind) {
    case "and":
      return node.nodes.length === 0
        ? TRUE
        : sql<SqlBool>`(${sql.join(
            node.nodes.map((n) => compileNode(n, json)),
            sql` AND `,
          )})`;
    case "or":
      return node.nodes.length === 0
        ? FALSE
        : sql<SqlBool>`(${sql.join(
            node.nodes.map((n) => compileNode(n, json)),
            sql` OR `,
          )})`;
    case "compare":
      return compileCompare(node, json);
  }
}

function compileCompare(node: Extract<FilterNode, { kind: "compare" }>, json: JsonSql): Condition {
  const { path, op, value } = node;
  switch (op) {
    case "exists":
      return value ? json.exists(path) : not(json.exists(path));
    case "eq":
      return equals(json, path, value as FilterValue);
    case "ne":
      return not(equals(json, path, value as FilterValue));
    case "in":
    case "nin": {
      const values = value as FilterValue[];
      const any =
        values.length === 0
          ? FALSE
          : sql<SqlBool>`(${sql.join(
              values.map((v) => equals(json, path, v)),
              sql` OR `,
            )})`;
      return op === "in" ? any : not(any);
    }
    default:
      return range(json, path, op, value as FilterValue);
  }
}

function equals(json: JsonSql, path: string[], value: FilterValue): Condition {
  if (value.type === "null") return json.isNull(path);
  const same = json.equals(path, value);
  const ms = value.type === "date" || value.type === "string" ? value.dateMs : undefined;
  if (ms === undefined) return same;
  // The same instant written differently ("…T10:00:00Z" and "…T10:00:00.000Z") is equal.
  return sql<SqlBool>`(${same} OR ${json.compareDate(path, "=", ms)})`;
}

const RANGE_SQL = { lt: "<", lte: "<=", gt: ">", gte: ">=" } as const;

function range(json: JsonSql, path: string[], op: string, value: FilterValue): Condition {
  const operator = RANGE_SQL[op as keyof typeof RANGE_SQL];
  if (value.type === "date") return json.compareDate(path, operator, value.dateMs);
  if (value.type === "string" && value.dateMs !== undefined)
    return json.compareDate(path, operator, value.dateMs);
  if (value.type === "number") return json.compareNumber(path, operator, value.value);
  if (value.type === "string") return json.compareString(path, operator, value.value);
  return FALSE;
}

function not(condition: Condition): Condition {
  return sql<SqlBool>`NOT ${condition}`;
}

/** Leaf conditions are wrapped so they are never SQL NULL: NOT then behaves like MongoDB's $ne. */
function safe(condition: RawBuilder<unknown>): Condition {
  return sql<SqlBool>`COALESCE(${condition}, FALSE)`;
}

interface JsonSql {
  exists(path: string[]): Condition;
  isNull(path: string[]): Condition;
  equals(path: string[], value: FilterValue): Condition;
  compareNumber(path: string[], op: string, value: number): Condition;
  compareString(path: string[], op: string, value: string): Condition;
  compareDate(path: string[], op: string, ms: number): Condition;
}

function sqliteJson(column: string): JsonSql {
  const col = sql.ref(column);
  const p = (path: string[]) => `$.${path.join(".")}`;
  const type = (path: string[]) => sql`json_type(${col}, ${p(path)})`;
  const extract = (path: string[]) => sql`json_extract(${col}, ${p(path)})`;
  return {
    exists: (path) => safe(sql`${type(path)} IS NOT NULL`),
    isNull: (path) => safe(sql`(${type(path)} IS NULL OR ${type(path)} = 'null')`),
    equals(path, value) {
      switch (value.type) {
        case "string":
        case "date":
          return safe(sql`(${type(path)} = 'text' AND ${extract(path)} = ${value.value})`);
        case "number":
          return safe(sql`(${type(path)} IN ('integer', 'real') AND ${extract(path)} = ${value.value})`);
        case "boolean":
          return safe(sql`${type(path)} = ${value.value ? "true" : "false"}`);
        case "json":
          return safe(
            sql`(${type(path)} IN ('object', 'array') AND (${col} -> ${p(path)}) = json(${JSON.stringify(value.value)}))`,
          );
        case "null":
          return safe(sql`(${type(path)} IS NULL OR ${type(path)} = 'null')`);
      }
    },
    compareNumber: (path, op, value) =>
      safe(sql`(${type(path)} IN ('integer', 'real') AND ${extract(path)} ${sql.raw(op)} ${value})`),
    compareString: (path, op, value) =>
      safe(sql`(${type(path)} = 'text' AND ${extract(path)} ${sql.raw(op)} ${value})`),
    compareDate: (path, op, ms) => safe(sqliteCompareDate(col, p(path), op, ms)),
  };
}

function postgresJson(column: string): JsonSql {
  const col = sql.ref(column);
  const value = (path: string[]) => sql`(${col} #> ${path}::text[])`;
  const text = (path: string[]) => sql`(${col} #>> ${path}::text[])`;
  const type = (path: string[]) => sql`jsonb_typeof(${value(path)})`;
  return {
    exists: (path) => safe(sql`${value(path)} IS NOT NULL`),
    isNull: (path) => safe(sql`(${value(path)} IS NULL OR ${type(path)} = 'null')`),
    equals(path, v) {
      if (v.type === "null") return safe(sql`(${value(path)} IS NULL OR ${type(path)} = 'null')`);
      return safe(sql`${value(path)} = ${JSON.stringify(v.value)}::jsonb`);
    },
    compareNumber: (path, op, v) =>
      safe(sql`(${type(path)} = 'number' AND ${value(path)} ${sql.raw(op)} ${JSON.stringify(v)}::jsonb)`),
    compareString: (path, op, v) =>
      safe(
        sql`(${type(path)} = 'string' AND ${text(path)} COLLATE "C" ${sql.raw(op)} ${v}::text COLLATE "C")`,
      ),
    compareDate: (path, op, ms) => safe(postgresCompareDate(col, path, op, ms)),
  };
}
