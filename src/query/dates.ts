// Which strings are dates, and the instant they name, in JavaScript. compileFilter's SQL
// (src/query/dateSql.ts) applies exactly the same rules on SQLite and PostgreSQL, so a filter
// value and a stored value agree on whether they are dates on every store:
// - ISO-8601 `YYYY-MM-DD`, optionally `T` or a space, `HH:MM`, `:SS`, `.fraction` (1-9 digits),
//   and an offset `Z` or `±HH:MM` (at most ±14:00); no offset means UTC;
// - a real calendar date (no 2026-02-30), hours 00-23, years 0001-9999;
// - compared with millisecond precision: further fraction digits are cut off, not rounded.

export const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ]([01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,9})?)?(?:Z|[+-](?:0\d|1[0-3]):[0-5]\d|[+-]14:00)?)?$/;

/** The same pattern for PostgreSQL's `~` (no named groups, `\d` is understood). */
export const ISO_DATE_POSIX =
  "^\\d{4}-\\d{2}-\\d{2}([T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-](0\\d|1[0-3]):[0-5]\\d|[+-]14:00)?)?$";

/** 9999-12-31T23:59:59.999Z: the last instant every store can represent. */
export const MAX_DATE_MS = 253402300799999;

/** Epoch milliseconds of an ISO-8601 date string, or undefined when the string is not a date. */
export function dateMs(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || !isCalendarDate(year, month, day)) return undefined;
  let iso = text.replace(" ", "T");
  // Date.parse reads a date-time without an offset as local time; here it is UTC.
  if (iso.length > 10 && !/(Z|[+-]\d{2}:\d{2})$/.test(iso)) iso += "Z";
  // Date.parse keeps milliseconds and drops further digits, which is the rule.
  const ms = Date.parse(iso);
  return Number.isNaN(ms) || ms > MAX_DATE_MS ? undefined : ms;
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
