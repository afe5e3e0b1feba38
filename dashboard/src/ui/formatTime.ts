// Dates as admins read them: local time (or a given IANA zone, for a schedule's runs), to the
// minute; the full ISO value stays in the title.
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
