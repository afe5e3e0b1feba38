import { describe, expect, it } from "vitest";
import { parseFilter } from "./filter.js";
import { matchFilter } from "./matchFilter.js";

const matches = (filter: Record<string, unknown>, doc: unknown) => matchFilter(parseFilter(filter), doc);

describe("matching a filter in memory", () => {
  const order = {
    collection: "orders",
    record: { total: 120, status: "paid", placedAt: "2026-12-01T10:00:00Z", tags: ["a"] },
  };

  it("matches equality on nested paths and only values of the same kind", () => {
    expect(matches({ collection: "orders" }, order)).toBe(true);
    expect(matches({ "record.status": "paid" }, order)).toBe(true);
    expect(matches({ "record.total": "120" }, order)).toBe(false);
    expect(matches({ collection: "invoices" }, order)).toBe(false);
  });

  it("compares numbers, strings and ISO dates as SQL does", () => {
    expect(matches({ "record.total": { $gt: 100, $lte: 120 } }, order)).toBe(true);
    expect(matches({ "record.total": { $lt: 100 } }, order)).toBe(false);
    expect(matches({ "record.placedAt": { $gte: "2026-12-01T09:00:00.000Z" } }, order)).toBe(true);
    expect(matches({ "record.placedAt": "2026-12-01T10:00:00.000Z" }, order)).toBe(true);
    expect(matches({ "record.status": { $gt: "a" } }, order)).toBe(true);
  });

  it("treats a missing field as matching $ne, $nin and null, and not $exists", () => {
    expect(matches({ "record.coupon": { $ne: "X" } }, order)).toBe(true);
    expect(matches({ "record.coupon": { $nin: ["X"] } }, order)).toBe(true);
    expect(matches({ "record.coupon": null }, order)).toBe(true);
    expect(matches({ "record.coupon": { $exists: true } }, order)).toBe(false);
    expect(matches({ "record.total": { $exists: true } }, order)).toBe(true);
  });

  it("combines conditions with $and, $or and $in, and never reads inherited properties", () => {
    expect(
      matches({ $or: [{ collection: "x" }, { "record.status": { $in: ["paid", "sent"] } }] }, order),
    ).toBe(true);
    expect(matches({ $and: [{ collection: "orders" }, { "record.total": { $gt: 500 } }] }, order)).toBe(
      false,
    );
    expect(matches({ "record.toString": { $exists: true } }, order)).toBe(false);
    expect(matches({ "record.tags": ["a"] }, order)).toBe(true);
  });
});
