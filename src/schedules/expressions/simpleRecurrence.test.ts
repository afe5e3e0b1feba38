import { describe, expect, it } from "vitest";
import type { Recurrence, SimpleRecurrence } from "../scheduleSpec.js";
import { nextRun, nextRuns, runsBetween } from "./recurrence.js";

function simple(timezone: string, spec: SimpleRecurrence): Recurrence {
  return { kind: "simple", timezone, ...spec };
}

function runs(rec: Recurrence, after: string, count: number): string[] {
  return nextRuns(rec, new Date(after), count).map((date) => date.toISOString().replace(".000", ""));
}

const LONG_AGO = "2020-01-01T00:00:00Z";

describe("simple recurrences every N minutes or hours", () => {
  it("run every 90 minutes of real time from start, through a DST change", () => {
    // 22:00 EST on March 7th; the clocks go forward at 07:00Z on the 8th.
    const rec = simple("America/New_York", { unit: "minutes", interval: 90, start: "2026-03-07T22:00" });
    expect(runs(rec, LONG_AGO, 5)).toEqual([
      "2026-03-08T03:00:00Z",
      "2026-03-08T04:30:00Z",
      "2026-03-08T06:00:00Z",
      "2026-03-08T07:30:00Z", // 03:30 EDT
      "2026-03-08T09:00:00Z",
    ]);
  });

  it("run every 3 hours of real time, the same from a local start and from one with an offset", () => {
    const local = simple("Europe/Berlin", { unit: "hours", interval: 3, start: "2026-10-24T23:00" });
    const withOffset = simple("Europe/Berlin", {
      unit: "hours",
      interval: 3,
      start: "2026-10-24T23:00+02:00",
    });
    const expected = [
      "2026-10-24T21:00:00Z",
      "2026-10-25T00:00:00Z",
      "2026-10-25T03:00:00Z",
      "2026-10-25T06:00:00Z",
    ];
    expect(runs(local, LONG_AGO, 4)).toEqual(expected);
    expect(runs(withOffset, LONG_AGO, 4)).toEqual(expected);
    expect(runs(local, "2026-10-25T01:00:00Z", 1)).toEqual(["2026-10-25T03:00:00Z"]);
  });

  it("with days, run only on those local weekdays", () => {
    // From Sunday 22:00 EST, every 90 minutes: Monday 01:00 to 23:30, then Monday a week later.
    const rec = simple("America/New_York", {
      unit: "minutes",
      interval: 90,
      start: "2026-01-04T22:00",
      days: [1],
    });
    const monday = runs(rec, LONG_AGO, 17);
    expect(monday[0]).toBe("2026-01-05T06:00:00Z");
    expect(monday[15]).toBe("2026-01-06T04:30:00Z"); // Monday 23:30 EST
    expect(monday[16]).toBe("2026-01-12T06:00:00Z");
  });

  it("with days, skip the days left out at once, not minute by minute", () => {
    // Six days of minutes (8640) before the first Monday: more candidates than a search looks at.
    const rec = simple("Asia/Kolkata", {
      unit: "minutes",
      interval: 1,
      start: "2026-01-06T00:00",
      days: [1],
    });
    expect(runs(rec, LONG_AGO, 1)).toEqual(["2026-01-11T18:30:00Z"]); // Monday 00:00 IST
  });
});

describe("simple recurrences every N days", () => {
  const rec = simple("Europe/Berlin", { unit: "days", interval: 2, start: "2026-01-05T09:00", days: [1, 4] });

  it("run every second day from start, only when it is a Monday or a Thursday", () => {
    expect(runs(rec, LONG_AGO, 5)).toEqual([
      "2026-01-05T08:00:00Z", // Monday
      "2026-01-15T08:00:00Z", // Thursday
      "2026-01-19T08:00:00Z",
      "2026-01-29T08:00:00Z",
      "2026-02-02T08:00:00Z",
    ]);
  });

  it("keep start's local time after a DST change", () => {
    expect(runs(rec, "2026-03-20T00:00:00Z", 3)).toEqual([
      "2026-03-26T08:00:00Z",
      "2026-03-30T07:00:00Z", // 09:00 CEST
      "2026-04-09T07:00:00Z",
    ]);
  });

  it("read a start with an offset as that instant, at its local time in the zone", () => {
    for (const start of ["2026-01-05T09:00+01:00", "2026-01-05T08:00:00Z"]) {
      const same = simple("Europe/Berlin", { unit: "days", interval: 2, start, days: [1, 4] });
      expect(runs(same, LONG_AGO, 5)).toEqual(runs(rec, LONG_AGO, 5));
    }
  });

  it("run a start inside the spring-forward gap at the end of the gap, then at the written time", () => {
    const gap = simple("America/New_York", { unit: "days", interval: 1, start: "2026-03-08T02:30" });
    expect(runs(gap, LONG_AGO, 2)).toEqual(["2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"]);
  });

  it("are strictly after the given instant", () => {
    expect(nextRun(rec, new Date("2026-01-15T08:00:00Z"))?.toISOString()).toBe("2026-01-19T08:00:00.000Z");
    expect(nextRun(rec, new Date("2026-01-15T07:59:59Z"))?.toISOString()).toBe("2026-01-15T08:00:00.000Z");
  });
});

describe("simple recurrences every N weeks", () => {
  const rec = simple("America/New_York", {
    unit: "weeks",
    interval: 2,
    start: "2026-01-07T18:30",
    days: [1, 4],
  });

  it("run on the days of every second week from start's week, never before start", () => {
    // Start is a Wednesday: that week's Monday is before it, its Thursday is the first run.
    expect(runs(rec, LONG_AGO, 5)).toEqual([
      "2026-01-08T23:30:00Z",
      "2026-01-19T23:30:00Z",
      "2026-01-22T23:30:00Z",
      "2026-02-02T23:30:00Z",
      "2026-02-05T23:30:00Z",
    ]);
  });

  it("keep start's local time after a DST change", () => {
    expect(runs(rec, "2026-03-03T00:00:00Z", 3)).toEqual([
      "2026-03-05T23:30:00Z",
      "2026-03-16T22:30:00Z", // 18:30 EDT
      "2026-03-19T22:30:00Z",
    ]);
  });

  it("run on start's weekday without days", () => {
    const wednesdays = simple("America/New_York", { unit: "weeks", interval: 2, start: "2026-01-07T18:30" });
    expect(runs(wednesdays, LONG_AGO, 3)).toEqual([
      "2026-01-07T23:30:00Z",
      "2026-01-21T23:30:00Z",
      "2026-02-04T23:30:00Z",
    ]);
  });
});

describe("simple recurrences every N months", () => {
  it("run on day 31, or the last day of shorter months", () => {
    const rec = simple("America/New_York", {
      unit: "months",
      interval: 1,
      start: "2027-12-15T09:00",
      dayOfMonth: 31,
    });
    expect(runs(rec, LONG_AGO, 5)).toEqual([
      "2027-12-31T14:00:00Z",
      "2028-01-31T14:00:00Z",
      "2028-02-29T14:00:00Z", // a leap year
      "2028-03-31T13:00:00Z", // 09:00 EDT
      "2028-04-30T13:00:00Z",
    ]);
  });

  it("default to start's day, and fall to the 28th in February", () => {
    const rec = simple("America/New_York", { unit: "months", interval: 1, start: "2026-01-31T09:00" });
    expect(runs(rec, LONG_AGO, 3)).toEqual([
      "2026-01-31T14:00:00Z",
      "2026-02-28T14:00:00Z",
      "2026-03-31T13:00:00Z",
    ]);
  });

  it("count every N months from start's month, never before start", () => {
    const rec = simple("Asia/Kolkata", {
      unit: "months",
      interval: 3,
      start: "2026-01-15T09:00",
      dayOfMonth: 1,
    });
    expect(runs(rec, LONG_AGO, 3)).toEqual([
      "2026-04-01T03:30:00Z",
      "2026-07-01T03:30:00Z",
      "2026-10-01T03:30:00Z",
    ]);
  });
});

describe("runsBetween on a simple recurrence", () => {
  it("returns the missed ticks of a downtime, at most max", () => {
    const rec = simple("Asia/Kolkata", { unit: "hours", interval: 6, start: "2026-01-01T00:00" });
    const from = new Date("2026-01-01T00:00:00Z");
    const until = new Date("2026-01-02T12:30:00Z"); // 18:00 IST on Jan 2nd is a tick (12:30Z)
    const ticks = runsBetween(rec, from, until, 100).map((date) => date.toISOString());
    expect(ticks).toEqual([
      "2026-01-01T00:30:00.000Z",
      "2026-01-01T06:30:00.000Z",
      "2026-01-01T12:30:00.000Z",
      "2026-01-01T18:30:00.000Z",
      "2026-01-02T00:30:00.000Z",
      "2026-01-02T06:30:00.000Z",
      "2026-01-02T12:30:00.000Z",
    ]);
    expect(runsBetween(rec, from, until, 3)).toHaveLength(3);
  });
});
