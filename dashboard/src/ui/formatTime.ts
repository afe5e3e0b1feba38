// Dates and durations as admins read them: local time (or a given IANA zone, for a schedule's runs),
// to the minute, or to the second where runs a few seconds apart must read apart; the full ISO value
// stays in the title. Durations in ms, or s from a second up.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

const inZone = new Map<string, Intl.DateTimeFormat>();

export function formatTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (!timeZone) return format.format(date);
  let zoned = inZone.get(timeZone);
  if (!zoned) {
    try {
      zoned = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short", timeZone });
    } catch {
      return format.format(date);
    }
    inZone.set(timeZone, zoned);
  }
  return zoned.format(date);
}

/** Local time to the second: runs a few seconds apart must read apart. */
const precise = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : precise.format(date);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
