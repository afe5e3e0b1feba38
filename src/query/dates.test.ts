// Dates in filters: ISO-8601 strings compare as instants, whatever offset they are written with,
// and SQLite, PostgreSQL and JavaScript agree on which strings are dates.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { dateMs } from "./dates.js";

const EVENTS: Record<string, unknown> = {
  A: "2026-01-01T10:00:00+02:00", // 08:00Z
  B: "2026-01-01T08:00:00Z",
  C: "2026-01-01T07:59:59.999Z",
  D: "2026-01-01 08:00:00.0009Z", // sub-millisecond digits are cut: 08:00:00.000Z
  E: "2026-01-01", // midnight UTC
  F: "2026-01-02T00:00:00-05:00", // Jan 2, 05:00Z
  G: "2026-02-30T00:00:00Z", // no such day: a plain string
  H: "not a date",
  I: 1767254400000, // a number is never a date
  J: "2026-01-01T08:00", // no offset: UTC
};

const DATE_CASES: [string, Record<string, unknown>, string[]][] = [
  ["$lte with an ISO date-time", { $lte: "2026-01-01T08:00:00Z" }, ["A", "B", "C", "D", "E", "J"]],
  [
    "$lte with an offset compares the instant",
    { $lte: "2026-01-01T09:00:00+01:00" },
    ["A", "B", "C", "D", "E", "J"],
  ],
  ["$lt", { $lt: "2026-01-01T08:00:00Z" }, ["C", "E"]],
  ["$gt", { $gt: "2026-01-01T08:00:00Z" }, ["F"]],
  ["$gte with a bare date", { $gte: "2026-01-01" }, ["A", "B", "C", "D", "E", "F", "J"]],
  [
    "$eq finds the same instant written differently",
    { $eq: "2026-01-01T08:00:00.000Z" },
    ["A", "B", "D", "J"],
  ],
  ["$in with dates", { $in: ["2026-01-01T00:00:00Z", "2026-01-02T05:00:00.000+00:00"] }, ["E", "F"]],
  [
    "$ne keeps non-dates and missing fields",
    { $ne: "2026-01-01T08:00:00Z" },
    ["C", "E", "F", "G", "H", "I", "none"],
  ],
  ["$nin with dates", { $nin: ["2026-01-01T08:00:00Z", "2026-01-01"] }, ["C", "F", "G", "H", "I", "none"]],
  [
    "non-dates are outside every date range",
    { $gte: "0001-01-01", $lte: "9999-12-31" },
    ["A", "B", "C", "D", "E", "F", "J"],
  ],
];

/** Strings at the edges of the date rules; the stores must agree with dateMs on each. */
const SAMPLES = [
  "2026-01-01",
  "2026-01-01T08:00",
  "2026-01-01 08:00",
  "2026-01-01T08:00:00Z",
  "2026-01-01T10:00:00+02:00",
  "2026-01-01T08:00:00.5",
  "2026-01-01T08:00:00.123456789Z",
  "2026-01-01T08:00:00.1234567891Z",
  "2026-01-01T08:00:00.9999Z",
  "2026-01-01T08:00:00.0005Z",
  "1969-12-31T23:59:59.9999Z",
  "2024-02-29",
  "2026-02-29",
  "2026-02-30",
  "2026-04-31",
  "2000-02-29T12:00:00Z",
  "1900-02-29",
  "0000-01-01",
  "0001-01-01",
  "0001-01-01T00:00:00+14:00",
  "9999-12-31T23:59:59.999Z",
  "9999-12-31T23:00:00-01:00",
  "2026-00-10",
  "2026-13-01",
  "2026-01-00",
  "2026-01-01T24:00:00Z",
  "2026-01-01T23:59:60Z",
  "2026-01-01T08:60:00Z",
  "2026-01-01T08:00:00z",
  "2026-01-01t08:00:00Z",
  "2026-01-01 08:00:00 +02:00",
  "2026-01-01T08:00:00+14:00",
  "2026-01-01T08:00:00+14:01",
  "2026-01-01T08:00:00-12:00",
  "2026-01-01T08:00:00+13:59",
  "2026-01-01T08:00:00+15:00",
  "2026-01-01T08:00:00+02:60",
  "2026-01-01T08:00:00+02",
  "2026-01-01T08:00:00+0200",
  "2026-01-01T08",
  "2026-1-01",
  "2026-01-01T08:00:00.",
  "2026-01-01T08:00:00.Z",
  " 2026-01-01",
  "2026-01-01 ",
  "2026-01-01T",
  "20260101",
  // toISOString's form, which takes a shortcut in SQL: the shortcut must agree with the rules.
  "2026-01-01T08:00:00.000Z",
  "2026-02-28T23:59:59.999Z",
  "2024-02-29T00:00:00.000Z",
  "2026-02-29T00:00:00.000Z",
  "2026-02-30T00:00:00.000Z",
  "2026-04-31T12:00:00.000Z",
  "2026-13-01T00:00:00.000Z",
  "2026-00-01T00:00:00.000Z",
  "2026-01-01T24:00:00.000Z",
  "0000-01-01T00:00:00.000Z",
  "0001-01-01T00:00:00.000Z",
];

forEachStore((store) => {
  describe("dates in filters", () => {
    let server: TestServer;
    let token: string;
    const clock = new ManualClock(new Date("2030-06-01T12:00:00.000Z"));

    const query = (collection: string, filter: unknown) =>
      server.api("POST", `/api/records/${collection}/query`, { token, body: { filter, limit: 1000 } });

    beforeAll(async () => {
      server = await startServer(store, { clock });
      token = (await createUser(server)).token;
      for (const [name, at] of Object.entries(EVENTS)) {
        await server.api("POST", "/api/records/events", { token, body: { name, at } });
      }
      await server.api("POST", "/api/records/events", { token, body: { name: "none" } });
      for (const [i, v] of SAMPLES.entries()) {
        await server.api("POST", "/api/records/samples", { token, body: { i, v } });
      }
    });
    afterAll(async () => server?.close());

    for (const [title, condition, expected] of DATE_CASES) {
      it(`${title}: ${JSON.stringify(condition)}`, async () => {
        const res = await query("events", { at: condition });
        expect(res.status).toBe(200);
        expect(res.body.items.map((r: { name: string }) => r.name).sort()).toEqual(expected);
      });
    }

    it("a Date sent by the SDK (JSON: an ISO string) filters the system timestamps", async () => {
      const before = await query("events", { createdAt: { $lte: new Date("2030-06-01T12:00:00Z") } });
      expect(before.body.total).toBe(11);
      const after = await query("events", { createdAt: { $gt: "2030-06-01T13:00:00+02:00" } });
      expect(after.body.total).toBe(11);
      const later = await query("events", { createdAt: { $gt: "2030-06-01T12:00:00Z" } });
      expect(later.body.total).toBe(0);
    });

    it("SQLite, PostgreSQL and JavaScript agree on which strings are dates", async () => {
      // Every date is either before or not before one date; non-dates are neither.
      const res = await query("samples", {
        $or: [{ v: { $lt: "2000-01-01" } }, { v: { $gte: "2000-01-01" } }],
      });
      const stored = res.body.items.map((r: { v: string }) => r.v).sort();
      const expected = SAMPLES.filter((s) => dateMs(s) !== undefined).sort();
      expect(stored).toEqual(expected);
      // The rules are the documented ones, not whatever a parser happens to accept.
      expect(expected).toEqual(
        [
          "0001-01-01",
          "0001-01-01T00:00:00+14:00",
          "0001-01-01T00:00:00.000Z",
          "2024-02-29T00:00:00.000Z",
          "2026-01-01T08:00:00.000Z",
          "2026-02-28T23:59:59.999Z",
          "1969-12-31T23:59:59.9999Z",
          "2000-02-29T12:00:00Z",
          "2024-02-29",
          "2026-01-01",
          "2026-01-01 08:00",
          "2026-01-01T08:00",
          "2026-01-01T08:00:00+13:59",
          "2026-01-01T08:00:00+14:00",
          "2026-01-01T08:00:00-12:00",
          "2026-01-01T08:00:00.0005Z",
          "2026-01-01T08:00:00.123456789Z",
          "2026-01-01T08:00:00.5",
          "2026-01-01T08:00:00.9999Z",
          "2026-01-01T08:00:00Z",
          "2026-01-01T10:00:00+02:00",
          "9999-12-31T23:59:59.999Z",
        ].sort(),
      );
    });

    it("SQLite, PostgreSQL and JavaScript agree on the instant of every date (to the millisecond)", async () => {
      const dates = SAMPLES.filter((s) => dateMs(s) !== undefined);
      for (const probe of dates) {
        const ms = dateMs(probe)!;
        for (const [op, keep] of [
          ["$lte", (x: number) => x <= ms],
          ["$gte", (x: number) => x >= ms],
          ["$eq", (x: number) => x === ms],
        ] as const) {
          const res = await query("samples", { v: { [op]: probe } });
          const got = res.body.items.map((r: { v: string }) => r.v).sort();
          const want = dates.filter((s) => keep(dateMs(s)!)).sort();
          expect(got, `${op} ${probe}`).toEqual(want);
        }
      }
    });
  });
});

describe("dateMs", () => {
  it("reads offsets, missing offsets as UTC, and cuts to milliseconds", () => {
    expect(dateMs("2026-01-01T10:00:00+02:00")).toBe(Date.UTC(2026, 0, 1, 8));
    expect(dateMs("2026-01-01T08:00")).toBe(Date.UTC(2026, 0, 1, 8));
    expect(dateMs("2026-01-01")).toBe(Date.UTC(2026, 0, 1));
    expect(dateMs("2026-01-01T08:00:00.9999Z")).toBe(Date.UTC(2026, 0, 1, 8, 0, 0, 999));
  });

  it("refuses impossible days and times", () => {
    for (const s of ["2026-02-30", "2026-02-29", "2026-01-01T24:00Z", "2026-01-01T23:59:60Z", "0000-01-01"]) {
      expect(dateMs(s), s).toBeUndefined();
    }
  });
});
