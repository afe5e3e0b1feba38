// The SQL twins of dateMs (src/query/dates.ts): epoch milliseconds of a stored JSON string when it
// is a date by the same rules, else NULL. Never an error, so one odd value cannot fail a query.
// Both compute whole seconds from the text without its fraction, then add the first three
// fraction digits, which is exactly JavaScript's truncation to milliseconds.
import { type RawBuilder, sql } from "kysely";
import { ISO_DATE_POSIX, MAX_DATE_MS } from "./dates.js";

type Ref = RawBuilder<unknown>;

/**
 * SQLite has no regular expressions, so the shape is checked with GLOB piece by piece:
 * `x` the text, `mid` what follows HH:MM up to the offset (":SS" and ".fraction"), `tz` the offset.
 * unixepoch() returns NULL past 9999-12-31, like MAX_DATE_MS.
 */
export function sqliteDateMs(col: Ref, path: string): RawBuilder<number | null> {
  return sql<number | null>`(SELECT CASE WHEN
      substr(x, 1, 10) GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'
      AND substr(x, 1, 4) <> '0000'
      AND date(substr(x, 1, 10)) = substr(x, 1, 10)
      AND (length(x) = 10 OR (
        substr(x, 11, 6) GLOB '[T ][0-9][0-9]:[0-9][0-9]'
        AND substr(x, 12, 2) <= '23' AND substr(x, 15, 2) <= '59'
        AND (mid = '' OR (
          mid GLOB ':[0-9][0-9]*' AND substr(mid, 2, 2) <= '59'
          AND (length(mid) = 3 OR (
            substr(mid, 4, 1) = '.' AND length(mid) BETWEEN 5 AND 13 AND substr(mid, 5) NOT GLOB '*[^0-9]*'))))
        AND (tz = '' OR tz = 'Z' OR (
          tz GLOB '[+-][0-9][0-9]:[0-9][0-9]'
          AND ((substr(tz, 2, 2) < '14' AND substr(tz, 5, 2) <= '59') OR substr(tz, 2, 5) = '14:00')))))
    THEN unixepoch(substr(x, 1, 10) || CASE WHEN length(x) = 10 THEN '' ELSE 'T' || substr(x, 12, 5) || substr(mid, 1, 3) || tz END) * 1000
      + CASE WHEN length(mid) > 4 THEN CAST(substr(substr(mid, 5) || '00', 1, 3) AS INTEGER) ELSE 0 END
    END
    FROM (SELECT x, substr(tail, 1, length(tail) - tzlen) AS mid, substr(tail, length(tail) - tzlen + 1) AS tz
      FROM (SELECT x, substr(x, 17) AS tail,
          CASE WHEN substr(x, 17) GLOB '*Z' THEN 1
               WHEN substr(x, 17) GLOB '*[+-][0-9][0-9]:[0-9][0-9]' THEN 6 ELSE 0 END AS tzlen
        FROM (SELECT json_extract(${col}, ${path}) AS x WHERE json_type(${col}, ${path}) = 'text'))))`;
}

/**
 * PostgreSQL checks the shape with the same regular expression as JavaScript, then the calendar
 * (a cast of 2026-02-30 would raise an error, and CASE keeps the cast from seeing it). A missing
 * offset is made explicit so the session's time zone never matters.
 */
export function postgresDateMs(col: Ref, path: string[]): RawBuilder<number | null> {
  const month = sql`substr(t, 6, 2)::int`;
  const day = sql`substr(t, 9, 2)::int`;
  const year = sql`substr(t, 1, 4)::int`;
  const leap = sql`((${year} % 4 = 0 AND ${year} % 100 <> 0) OR ${year} % 400 = 0)`;
  const daysInMonth = sql`CASE ${month} WHEN 2 THEN CASE WHEN ${leap} THEN 29 ELSE 28 END
    WHEN 4 THEN 30 WHEN 6 THEN 30 WHEN 9 THEN 30 WHEN 11 THEN 30 ELSE 31 END`;
  const whole = sql`regexp_replace(t, '\\.\\d+', '')`;
  const explicit = sql`CASE WHEN length(t) = 10 THEN t || 'T00:00:00Z'
    WHEN ${whole} ~ '(Z|[+-]\\d\\d:\\d\\d)$' THEN ${whole} ELSE ${whole} || 'Z' END`;
  const fraction = sql`rpad(coalesce(substring(t FROM '\\.(\\d{1,3})'), ''), 3, '0')::bigint`;
  return sql<number | null>`(SELECT CASE WHEN t ~ ${ISO_DATE_POSIX} THEN
      CASE WHEN ${year} >= 1 AND ${month} BETWEEN 1 AND 12 AND ${day} BETWEEN 1 AND ${daysInMonth} THEN
        (SELECT CASE WHEN ms <= ${MAX_DATE_MS}::bigint THEN ms END
          FROM (SELECT extract(epoch FROM (${explicit})::timestamptz)::bigint * 1000 + ${fraction} AS ms) AS m)
      END
    END
    FROM (SELECT (${col} #>> ${path}::text[]) AS t WHERE jsonb_typeof(${col} #> ${path}::text[]) = 'string') AS s)`;
}

/** 0001-01-01T00:00:00.000Z: the first instant with a four-digit-year ISO string. */
const MIN_CANONICAL_MS = -62135596800000;

/**
 * The string toISOString() writes for an instant: for dates stored that way (createdAt, and what
 * most apps store) comparing the text is comparing the instants, which spares the parse. Days 29
 * to 31 take the full path, which knows which months have them.
 */
function canonicalIso(ms: number): string | undefined {
  return ms < MIN_CANONICAL_MS || ms > MAX_DATE_MS ? undefined : new Date(ms).toISOString();
}

const SQLITE_CANONICAL =
  "[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9].[0-9][0-9][0-9]Z";

/** `stored <op> ms` on SQLite, where `stored` counts only when it is a date. */
export function sqliteCompareDate(col: Ref, path: string, op: string, ms: number): RawBuilder<unknown> {
  const full = sql`${sqliteDateMs(col, path)} ${sql.raw(op)} ${ms}`;
  const canonical = canonicalIso(ms);
  if (canonical === undefined) return full;
  const x = sql`json_extract(${col}, ${path})`;
  return sql`CASE WHEN json_type(${col}, ${path}) = 'text' AND ${x} GLOB ${SQLITE_CANONICAL}
      AND substr(${x}, 6, 2) BETWEEN '01' AND '12' AND substr(${x}, 9, 2) BETWEEN '01' AND '28'
      AND substr(${x}, 12, 2) <= '23' AND substr(${x}, 1, 4) <> '0000'
    THEN ${x} ${sql.raw(op)} ${canonical} ELSE ${full} END`;
}

const POSTGRES_CANONICAL =
  "^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\\d|2[0-8])T([01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d\\.\\d{3}Z$";

/** `stored <op> ms` on PostgreSQL, where `stored` counts only when it is a date. */
export function postgresCompareDate(col: Ref, path: string[], op: string, ms: number): RawBuilder<unknown> {
  const full = sql`${postgresDateMs(col, path)} ${sql.raw(op)} ${ms}::bigint`;
  const canonical = canonicalIso(ms);
  if (canonical === undefined) return full;
  const t = sql`(${col} #>> ${path}::text[])`;
  return sql`CASE WHEN jsonb_typeof(${col} #> ${path}::text[]) = 'string' AND ${t} ~ ${POSTGRES_CANONICAL}
      AND left(${t}, 4) <> '0000'
    THEN ${t} COLLATE "C" ${sql.raw(op)} ${canonical}::text COLLATE "C" ELSE ${full} END`;
}
