// Instants as the schedules commands print them: the wall-clock time in the schedule's time zone
// with its UTC offset ("Mon 2027-01-04 09:00 -05:00"), next to the instant in UTC, so a run near a
// DST change reads without doubt. Seconds are shown only when they are not zero.
import { CliError } from "../apiClient.js";

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        weekday: "short",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      });
    } catch {
      throw new CliError(`'${timeZone}' is not an IANA time zone such as Europe/Paris or UTC`);
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** "Mon 2027-01-04 09:00 -05:00": the wall-clock time of `iso` in `timeZone`, with its offset. */
export function localTime(iso: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const parts = Object.fromEntries(
    formatIn(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const seconds = parts.second === "00" ? "" : `:${parts.second}`;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  const offset = offsetText(Math.round((wall - Math.floor(at.getTime() / 1000) * 1000) / 60_000));
  return `${parts.weekday} ${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}${seconds} ${offset}`;
}

/** "2027-01-04T14:00:00Z": the instant in UTC, without milliseconds when they are zero. */
export function utcTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toISOString().replace(".000Z", "Z");
}

/** "Mon 2027-01-04 09:00 -05:00 (2027-01-04T14:00:00Z)", or only the UTC time for UTC. */
export function when(iso: string, timeZone: string): string {
  return timeZone === "UTC" ? utcTime(iso) : `${localTime(iso, timeZone)} (${utcTime(iso)})`;
}

function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** An instant typed on the command line: ISO-8601, read in this machine's time zone without an offset. */
export function parseInstant(text: string, what: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new CliError(
      `${what} must be a date-time such as 2027-01-04T09:00:00Z or 2027-01-04T09:00+01:00, not '${text}'`,
    );
  }
  return new Date(ms).toISOString();
}
