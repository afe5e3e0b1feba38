// function.jsonc validation and what a config implies (pure: no server needed).
import { describe, expect, it } from "vitest";
import { configSchema } from "../../config/config.js";
import { accessOf, normalizeTriggers, parseFunctionConfig } from "./functionConfig.js";

const limits = configSchema.parse({}).functions;
const parse = (input: unknown) => parseFunctionConfig(input, limits);

describe("function.jsonc", () => {
  it("accepts every field of SPEC §10, short and long trigger forms", () => {
    const config = parse({
      name: "nightly",
      entry: "entry.ts",
      access: "admin",
      timeout: 60_000,
      memory: 256,
      triggers: {
        events: [
          "POST_USER_CREATE",
          {
            event: "order_placed",
            priority: 1,
            active: false,
            filter: { collection: "orders" },
            on_error: "allow",
          },
        ],
        schedules: [
          "0 9 * * 1",
          {
            schedule: "daily at 9 AM",
            timezone: "Europe/Paris",
            catch_up: "all",
            overlap: true,
            payload: { a: 1 },
            name: "morning",
          },
        ],
      },
    });
    expect(normalizeTriggers(config)).toEqual({
      events: [
        { event: "POST_USER_CREATE" },
        {
          event: "order_placed",
          priority: 1,
          active: false,
          filter: { collection: "orders" },
          on_error: "allow",
        },
      ],
      schedules: [
        { schedule: "0 9 * * 1" },
        {
          schedule: "daily at 9 AM",
          timezone: "Europe/Paris",
          catch_up: "all",
          overlap: true,
          payload: { a: 1 },
          name: "morning",
        },
      ],
    });
    expect(parse(undefined)).toEqual({});
  });

  it("defaults access to user, to admin when events or schedules start the function", () => {
    expect(accessOf(parse({}))).toBe("user");
    expect(accessOf(parse({ triggers: { events: [] } }))).toBe("user");
    expect(accessOf(parse({ triggers: { events: ["user_registered"] } }))).toBe("admin");
    expect(accessOf(parse({ triggers: { schedules: ["every hour"] } }))).toBe("admin");
    expect(accessOf(parse({ access: "public", triggers: { schedules: ["every hour"] } }))).toBe("public");
  });

  it("names the field at fault", () => {
    const cases: [unknown, string][] = [
      [{ timeout: "10s" }, "function.jsonc: timeout must be a number of milliseconds"],
      [{ timeout: 1.5 }, "function.jsonc: timeout must be a whole number of milliseconds"],
      [{ timeout: 0 }, "function.jsonc: timeout must be at least 1 ms"],
      [{ memory: 4 }, "function.jsonc: memory must be at least 8 MB"],
      [{ memory: 100_000 }, "function.jsonc: memory must be at most 1024 MB"],
      [
        { triggers: { events: [{ event: "x", priority: "high" }] } },
        "function.jsonc: triggers.events[0].priority must be a number",
      ],
      [
        { triggers: { schedules: [{ schedule: "every hour", catch_up: "some" }] } },
        "function.jsonc: triggers.schedules[0]",
      ],
      [{ triggers: { events: ["has space"] } }, "function.jsonc: triggers.events[0]"],
      [{ triggers: { cron: [] } }, "function.jsonc: triggers.cron is not a known field (events, schedules)"],
      [
        { trigers: {}, timeout: "1s" },
        "function.jsonc: timeout must be a number of milliseconds; " +
          "trigers is not a known field (name, entry, access, timeout, memory, triggers)",
      ],
    ];
    for (const [input, message] of cases) {
      expect(() => parse(input), JSON.stringify(input)).toThrow(message);
    }
  });

  it("bounds timeout by functions.maxTimeoutMs", () => {
    expect(() => parseFunctionConfig({ timeout: 20_000 }, { ...limits, maxTimeoutMs: 10_000 })).toThrow(
      "function.jsonc: timeout must be at most 10000 ms (functions.maxTimeoutMs)",
    );
  });
});
