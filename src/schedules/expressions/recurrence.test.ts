import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/errors.js";
import type { Recurrence } from "../scheduleSpec.js";
import { parseExpression } from "./parseExpression.js";
import { checkRecurrence, cronOf, nextRun, nextRuns, previousRun, runsBetween } from "./recurrence.js";

function phrase(text: string, timezone: string): Recurrence {
  return { kind: "cron", cron: parseExpression(text).cron, timezone };
}

/** The runs within one local day, given the instants it starts and ends at. */
function runsWithin(rec: Recurrence, startsAt: string, endsAt: string): string[] {
  const before = (iso: string) => new Date(new Date(iso).getTime() - 1);
  return runsBetween(rec, before(startsAt), before(endsAt), 100).map((date) => date.toISOString());
}

// Each transition day, as the instants its local day starts and ends (23 or 25 hours apart).
const DAYS = {
  newYorkSpring: ["2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z"],
  newYorkFall: ["2026-11-01T04:00:00Z", "2026-11-02T05:00:00Z"],
  berlinSpring: ["2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"],
  berlinFall: ["2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"],
} as const;

describe("cron recurrences across DST changes", () => {
  it("run a time that the spring-forward gap skips once, at the end of the gap", () => {
    const [nyStart, nyEnd] = DAYS.newYorkSpring;
    expect(runsWithin(phrase("daily at 2:30 AM", "America/New_York"), nyStart, nyEnd)).toEqual([
      "2026-03-08T07:00:00.000Z", // 03:00 EDT
    ]);
    const [berlinStart, berlinEnd] = DAYS.berlinSpring;
    expect(runsWithin(phrase("daily at 2:30 AM", "Europe/Berlin"), berlinStart, berlinEnd)).toEqual([
      "2026-03-29T01:00:00.000Z", // 03:00 CEST
    ]);
  });

  it("run a time that the fall-back repeats once, at its first occurrence", () => {
    const [nyStart, nyEnd] = DAYS.newYorkFall;
    expect(runsWithin(phrase("every day at 1:30", "America/New_York"), nyStart, nyEnd)).toEqual([
      "2026-11-01T05:30:00.000Z", // 01:30 EDT
    ]);
    const [berlinStart, berlinEnd] = DAYS.berlinFall;
    expect(runsWithin(phrase("every day at 2:30", "Europe/Berlin"), berlinStart, berlinEnd)).toEqual([
      "2026-10-25T00:30:00.000Z", // 02:30 CEST
    ]);
  });

  it("run every real hour: 23 on the spring-forward day, 25 on the fall-back day", () => {
    const count = (timezone: string, [start, end]: readonly [string, string]) =>
      runsWithin(phrase("every hour", timezone), start, end).length;
    expect(count("America/New_York", DAYS.newYorkSpring)).toBe(23);
    expect(count("America/New_York", DAYS.newYorkFall)).toBe(25);
    expect(count("Europe/Berlin", DAYS.berlinSpring)).toBe(23);
    expect(count("Europe/Berlin", DAYS.berlinFall)).toBe(25);
  });

  it("keep the local time on the days around the change", () => {
    const runs = nextRuns(
      phrase("daily at 2:30 AM", "America/New_York"),
      new Date("2026-03-07T00:00:00Z"),
      3,
    );
    expect(runs.map((date) => date.toISOString())).toEqual([
      "2026-03-07T07:30:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:30:00.000Z",
    ]);
  });
});

describe("nextRun", () => {
  const daily: Recurrence = { kind: "cron", cron: "0 9 * * *", timezone: "Asia/Kolkata" };

  it("is strictly after the given instant", () => {
    expect(nextRun(daily, new Date("2026-01-01T03:29:59.999Z"))?.toISOString()).toBe(
      "2026-01-01T03:30:00.000Z",
    );
    expect(nextRun(daily, new Date("2026-01-01T03:30:00.000Z"))?.toISOString()).toBe(
      "2026-01-02T03:30:00.000Z",
    );
  });

  it("runs a once at its instant, then never", () => {
    const once: Recurrence = { kind: "once", at: "2026-05-01T10:00:00+02:00" };
    expect(nextRun(once, new Date("2026-05-01T07:59:59Z"))?.toISOString()).toBe("2026-05-01T08:00:00.000Z");
    expect(nextRun(once, new Date("2026-05-01T08:00:00Z"))).toBeNull();
    expect(nextRuns(once, new Date("2026-01-01T00:00:00Z"), 5)).toHaveLength(1);
  });

  it("reads a once without an offset as UTC", () => {
    const once: Recurrence = { kind: "once", at: "2026-05-01T10:00" };
    expect(nextRun(once, new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe("2026-05-01T10:00:00.000Z");
  });
});

describe("runsBetween", () => {
  const hourly: Recurrence = { kind: "cron", cron: "0 * * * *", timezone: "UTC" };
  const from = new Date("2026-01-01T00:00:00Z");
  const until = new Date("2026-01-01T05:00:00Z");

  it("returns the ticks after the first instant up to and including the second", () => {
    expect(runsBetween(hourly, from, until, 100).map((date) => date.getUTCHours())).toEqual([1, 2, 3, 4, 5]);
  });

  it("returns the first `max` of them", () => {
    expect(runsBetween(hourly, from, until, 2).map((date) => date.getUTCHours())).toEqual([1, 2]);
    expect(runsBetween(hourly, from, until, 0)).toEqual([]);
  });

  it("returns nothing for an empty or reversed window", () => {
    expect(runsBetween(hourly, until, from, 10)).toEqual([]);
    expect(
      runsBetween(hourly, new Date("2026-01-01T00:00:01Z"), new Date("2026-01-01T00:59:59Z"), 10),
    ).toEqual([]);
  });

  it("returns a once inside the window, and nothing after it ran", () => {
    const once: Recurrence = { kind: "once", at: "2026-01-01T03:00:00Z" };
    expect(runsBetween(once, from, until, 10)).toEqual([new Date("2026-01-01T03:00:00Z")]);
    expect(runsBetween(once, new Date("2026-01-01T03:00:00Z"), until, 10)).toEqual([]);
  });
});

describe("previousRun", () => {
  const at = (iso: string) => new Date(iso);

  it("is the last run at or before the given instant", () => {
    const hourly: Recurrence = { kind: "cron", cron: "0 * * * *", timezone: "UTC" };
    expect(previousRun(hourly, at("2026-01-01T05:30:00Z"))).toEqual(at("2026-01-01T05:00:00Z"));
    expect(previousRun(hourly, at("2026-01-01T05:00:00Z"))).toEqual(at("2026-01-01T05:00:00Z"));
    expect(previousRun(hourly, at("2026-01-01T04:59:59.999Z"))).toEqual(at("2026-01-01T04:00:00Z"));
  });

  it("sees both runs of an hour repeated by the fall-back", () => {
    const hourly = phrase("every hour", "America/New_York");
    expect(previousRun(hourly, at("2026-11-01T05:59:59Z"))).toEqual(at("2026-11-01T05:00:00Z")); // 01:00 EDT
    expect(previousRun(hourly, at("2026-11-01T06:30:00Z"))).toEqual(at("2026-11-01T06:00:00Z")); // 01:00 EST
  });

  it("finds rare runs and simple recurrences, and nothing before the first run", () => {
    const leapDays: Recurrence = { kind: "cron", cron: "0 0 29 2 *", timezone: "UTC" };
    expect(previousRun(leapDays, at("2027-06-01T00:00:00Z"))).toEqual(at("2024-02-29T00:00:00Z"));
    const weeks: Recurrence = {
      kind: "simple",
      unit: "weeks",
      interval: 2,
      start: "2026-01-07T18:30",
      days: [1, 4],
      timezone: "America/New_York",
    };
    expect(previousRun(weeks, at("2026-02-01T00:00:00Z"))).toEqual(at("2026-01-22T23:30:00Z"));
    expect(previousRun(weeks, at("2026-01-08T23:29:59Z"))).toBeNull();
    const once: Recurrence = { kind: "once", at: "2026-01-01T03:00:00Z" };
    expect(previousRun(once, at("2026-06-01T00:00:00Z"))).toEqual(at("2026-01-01T03:00:00Z"));
    expect(previousRun(once, at("2026-01-01T02:59:59Z"))).toBeNull();
  });
});

describe("checkRecurrence", () => {
  it.each<[Recurrence, RegExp]>([
    [{ kind: "cron", cron: "0 9 * *", timezone: "UTC" }, /has 4 fields/],
    [{ kind: "cron", cron: "0 0 30 2 *", timezone: "UTC" }, /never runs/],
    [
      { kind: "cron", cron: "0 9 * * *", timezone: "Mars/Olympus_Mons" },
      /Unknown time zone "Mars\/Olympus_Mons"/,
    ],
    [{ kind: "once", at: "next tuesday" }, /at "next tuesday" is not an ISO-8601 date-time/],
    [{ kind: "once", at: "2026-02-30T10:00:00Z" }, /is not an ISO-8601 date-time/],
    [{ kind: "simple", unit: "days", interval: 0, start: "2026-01-01T09:00", timezone: "UTC" }, /interval/],
    [{ kind: "simple", unit: "days", interval: 1.5, start: "2026-01-01T09:00", timezone: "UTC" }, /interval/],
    [{ kind: "simple", unit: "days", interval: 1, start: "soon", timezone: "UTC" }, /start "soon"/],
    [{ kind: "simple", unit: "weeks", interval: 1, start: "2026-01-01", days: [7], timezone: "UTC" }, /days/],
    [
      { kind: "simple", unit: "months", interval: 1, start: "2026-01-01", dayOfMonth: 32, timezone: "UTC" },
      /dayOfMonth/,
    ],
    [
      { kind: "simple", unit: "days", interval: 1, start: "2026-01-01", timezone: "Nowhere" },
      /Unknown time zone/,
    ],
    [
      { kind: "simple", unit: "fortnights" as "weeks", interval: 1, start: "2026-01-01", timezone: "UTC" },
      /unit/,
    ],
    // every 7 days from a Monday is always a Monday
    [
      { kind: "simple", unit: "days", interval: 7, start: "2026-01-05T09:00", days: [2], timezone: "UTC" },
      /Never runs/,
    ],
    [
      {
        kind: "simple",
        unit: "minutes",
        interval: 10080,
        start: "2026-01-05T09:00",
        days: [2],
        timezone: "UTC",
      },
      /Never runs/,
    ],
  ])("refuses %j", (rec, message) => {
    expect(() => checkRecurrence(rec)).toThrow(ValidationError);
    expect(() => checkRecurrence(rec)).toThrow(message);
  });

  it.each<Recurrence>([
    { kind: "cron", cron: "0 9 * * MON#1", timezone: "Europe/Berlin" },
    { kind: "once", at: "2000-01-01T00:00:00Z" }, // in the past: nextRun says null, but it is well formed
    {
      kind: "simple",
      unit: "months",
      interval: 1,
      start: "2026-01-31T09:00",
      dayOfMonth: 31,
      timezone: "UTC",
    },
    { kind: "simple", unit: "days", interval: 2, start: "2026-01-05T09:00", days: [1, 4], timezone: "UTC" },
  ])("accepts %j", (rec) => {
    expect(() => checkRecurrence(rec)).not.toThrow();
  });
});

describe("cronOf", () => {
  it("is the pattern of a cron recurrence and null otherwise", () => {
    expect(cronOf({ kind: "cron", cron: "0 9 * * 1-5", timezone: "UTC" })).toBe("0 9 * * 1-5");
    expect(cronOf({ kind: "once", at: "2026-01-01T00:00:00Z" })).toBeNull();
    expect(
      cronOf({ kind: "simple", unit: "days", interval: 1, start: "2026-01-01", timezone: "UTC" }),
    ).toBeNull();
  });
});
