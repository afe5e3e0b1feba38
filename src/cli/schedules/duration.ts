// Durations as people type them: "90s", "10m", "2h", "14d", "1h30m". `backend schedules create
// --after` and `backend clock advance` read them; the API takes milliseconds.
import { CliError } from "../apiClient.js";

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/** Milliseconds of a duration; `what` names it in the error ("--after"). */
export function parseDuration(text: string, what: string): number {
  const tidy = text.trim().toLowerCase();
  const parts = [...tidy.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (tidy === "" || parts.map((p) => p[0]).join("") !== tidy) {
    throw new CliError(`${what} must be a duration such as 90s, 10m, 2h, 14d or 1h30m, not '${text}'`);
  }
  return Math.round(parts.reduce((ms, [, n, unit]) => ms + Number(n) * UNIT_MS[unit!]!, 0));
}

/** "1d 2h 3m 4s" (the largest units, down to seconds; "0s" for nothing). */
export function formatDuration(ms: number): string {
  let rest = Math.round(Math.abs(ms) / 1000);
  const out: string[] = [];
  for (const [unit, seconds] of [
    ["d", 86_400],
    ["h", 3600],
    ["m", 60],
    ["s", 1],
  ] as const) {
    const n = Math.floor(rest / seconds);
    rest -= n * seconds;
    if (n > 0) out.push(`${n}${unit}`);
  }
  return out.length > 0 ? out.join(" ") : "0s";
}
