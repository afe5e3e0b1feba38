import { describe, expect, it } from "vitest";
import { retryDelayMs } from "./retryDelay.js";

describe("the delay before a delivery's next attempt", () => {
  it("doubles with each attempt, between half and all of the ceiling, and never passes the maximum", () => {
    expect(retryDelayMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(retryDelayMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(retryDelayMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(retryDelayMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
