// The policies of a due schedule, without a clock or a database: on time, late, missed while down
// (catch_up none, one, all), overlap, ends and run counts.
import { describe, expect, it } from "vitest";
import type { Recurrence } from "../scheduleSpec.js";
import { planTicks, type DueSchedule } from "./planTicks.js";

const daily9: Recurrence = { kind: "cron", cron: "0 9 * * *", timezone: "UTC" };
const everySecond: Recurrence = { kind: "cron", cron: "* * * * * *", timezone: "UTC" };
const options = { missedAfterMs: 60_000, maxCatchUp: 100, busy: false };
const limits = { endsAt: null, maxRuns: null, runs: 0 };

function due(partial: Partial<DueSchedule> = {}): DueSchedule {
  return { recurrence: daily9, due: "2027-01-04T09:00:00.000Z", catchUp: "one", limits, ...partial };
}

describe("planTicks", () => {
  it("runs a tick on time, or a little late, as a normal run and moves to the next", () => {
    for (const now of ["2027-01-04T09:00:00.000Z", "2027-01-04T09:00:59.000Z"]) {
      expect(planTicks(due(), new Date(now), options)).toEqual({
        runs: [{ scheduledAt: "2027-01-04T09:00:00.000Z", catchUp: false, missed: 0 }],
        records: [],
        nextRunAt: "2027-01-05T09:00:00.000Z",
        latest: "2027-01-04T09:00:00.000Z",
      });
    }
  });

  it("treats a tick later than missedAfterMs as missed: one catch-up run under one", () => {
    const plan = planTicks(due(), new Date("2027-01-04T09:05:00Z"), options);
    expect(plan.runs).toEqual([{ scheduledAt: "2027-01-04T09:00:00.000Z", catchUp: true, missed: 0 }]);
  });

  it("after two missed ticks: one run under one, none under none, both under all", () => {
    const now = new Date("2027-01-06T08:30:00Z");
    expect(planTicks(due({ catchUp: "one" }), now, options)).toMatchObject({
      runs: [{ scheduledAt: "2027-01-05T09:00:00.000Z", catchUp: true, missed: 1 }],
      records: [],
      nextRunAt: "2027-01-06T09:00:00.000Z",
    });
    expect(planTicks(due({ catchUp: "none" }), now, options)).toMatchObject({
      runs: [],
      records: [{ scheduledAt: "2027-01-05T09:00:00.000Z", status: "missed", missed: 1 }],
      nextRunAt: "2027-01-06T09:00:00.000Z",
    });
    expect(planTicks(due({ catchUp: "all" }), now, options)).toMatchObject({
      runs: [
        { scheduledAt: "2027-01-04T09:00:00.000Z", catchUp: true },
        { scheduledAt: "2027-01-05T09:00:00.000Z", catchUp: true },
      ],
      records: [],
    });
  });

  it("runs the on-time tick normally under none and all, beside the missed ones", () => {
    const now = new Date("2027-01-06T09:00:01Z");
    expect(planTicks(due({ catchUp: "none" }), now, options)).toMatchObject({
      runs: [{ scheduledAt: "2027-01-06T09:00:00.000Z", catchUp: false }],
      records: [{ scheduledAt: "2027-01-05T09:00:00.000Z", status: "missed", missed: 1 }],
    });
    expect(
      planTicks(due({ catchUp: "all" }), now, options).runs.map((r) => [r.scheduledAt, r.catchUp]),
    ).toEqual([
      ["2027-01-04T09:00:00.000Z", true],
      ["2027-01-05T09:00:00.000Z", true],
      ["2027-01-06T09:00:00.000Z", false],
    ]);
    // Under one, the single run stands for the missed ticks and the on-time one.
    expect(planTicks(due({ catchUp: "one" }), now, options).runs).toEqual([
      { scheduledAt: "2027-01-06T09:00:00.000Z", catchUp: true, missed: 2 },
    ]);
  });

  it("bounds catch_up all by maxCatchUp and records the older ones as missed", () => {
    const plan = planTicks(
      due({ recurrence: everySecond, due: "2027-01-04T09:00:00.000Z", catchUp: "all" }),
      new Date("2027-01-04T10:00:00.000Z"),
      { ...options, maxCatchUp: 3 },
    );
    expect(plan.runs.map((r) => r.scheduledAt)).toEqual([
      "2027-01-04T09:59:57.000Z",
      "2027-01-04T09:59:58.000Z",
      "2027-01-04T09:59:59.000Z",
      "2027-01-04T10:00:00.000Z",
    ]);
    expect(plan.records).toHaveLength(1);
    expect(plan.records[0]).toMatchObject({ status: "missed" });
    expect(plan.nextRunAt).toBe("2027-01-04T10:00:01.000Z");
  });

  it("finds the latest tick after a downtime longer than it counts", () => {
    const plan = planTicks(
      due({ recurrence: everySecond, due: "2027-01-04T00:00:00.000Z", catchUp: "one" }),
      new Date("2027-01-05T00:00:00.500Z"),
      options,
    );
    expect(plan.runs).toEqual([
      { scheduledAt: "2027-01-05T00:00:00.000Z", catchUp: true, missed: expect.any(Number) },
    ]);
    expect(plan.nextRunAt).toBe("2027-01-05T00:00:01.000Z");
  });

  it("records due ticks as skipped while a run is going", () => {
    const plan = planTicks(due(), new Date("2027-01-04T09:00:00Z"), { ...options, busy: true });
    expect(plan).toMatchObject({
      runs: [],
      records: [{ scheduledAt: "2027-01-04T09:00:00.000Z", status: "skipped" }],
      nextRunAt: "2027-01-05T09:00:00.000Z",
    });
  });

  it("stops at max_runs and at the end date", () => {
    const last = planTicks(
      due({ limits: { endsAt: null, maxRuns: 3, runs: 2 } }),
      new Date("2027-01-04T09:00:00Z"),
      options,
    );
    expect(last.runs).toHaveLength(1);
    expect(last.nextRunAt).toBeNull();
    const ended = planTicks(
      due({ limits: { endsAt: "2027-01-05T00:00:00.000Z", maxRuns: null, runs: 0 } }),
      new Date("2027-01-04T09:00:00Z"),
      options,
    );
    expect(ended.runs).toHaveLength(1);
    expect(ended.nextRunAt).toBeNull();
  });

  it("runs a one-off once, even late, and then never again", () => {
    const plan = planTicks(
      due({ recurrence: { kind: "once", at: "2027-01-04T09:00:00.000Z" } }),
      new Date("2027-01-04T12:00:00Z"),
      options,
    );
    expect(plan.runs).toEqual([{ scheduledAt: "2027-01-04T09:00:00.000Z", catchUp: true, missed: 0 }]);
    expect(plan.nextRunAt).toBeNull();
  });
});
