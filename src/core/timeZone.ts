// IANA time zone names, as the runtime's Intl knows them.

/** Zones already found valid: asking Intl costs tens of microseconds, and few zones are in use. */
const known = new Set<string>();

export function isTimeZone(value: string): boolean {
  if (known.has(value)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
  } catch {
    return false;
  }
  if (known.size < 1000) known.add(value);
  return true;
}
