// function.jsonc validation and what a config implies (pure: no server needed).
import { describe, expect, it } from "vitest";
import { configSchema } from "../../config/config.js";
import { accessOf, checkFunctionConfig, normalizeTriggers, parseFunctionConfig } from "./functionConfig.js";

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
        { expression: "0 9 * * 1", recurrence: { kind: "cron", cron: "0 9 * * 1", timezone: "UTC" } },
        {
          name: "morning",
          expression: "daily at 9 AM",
          recurrence: { kind: "cron", cron: "0 9 * * *", timezone: "Europe/Paris" },
          catchUp: "all",
          overlap: "allow",
          payload: { a: 1 },
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
    const automation = { type: "entity", name: "on order", entity_name: "orders", event_types: ["create"] };
    expect(accessOf(parse({ automations: [] }))).toBe("user");
    expect(accessOf(parse({ automations: [automation] }))).toBe("admin");
    expect(accessOf(parse({ access: "user", automations: [automation] }))).toBe("user");
  });

  it("reads a schedule's policies, its end and its name into the ScheduleSpec", () => {
    const config = parse({
      triggers: {
        schedules: [
          {
            schedule: "  every 30 seconds ",
            name: "tick:fast_1.a-b",
            description: "Polls the queue",
            active: false,
            overlap: "allow",
            ends_at: "2027-01-01T00:00:00+01:00",
            max_runs: 10,
          },
          { schedule: "0 18 * * 5", timezone: "Europe/Paris", overlap: false, ends_at: "2026-12-31T18:00" },
          { schedule: "@daily", overlap: "skip", ends_at: "2026-07-14", timezone: "America/New_York" },
          { schedule: "hourly", payload: null, overlap: true },
        ],
      },
    });
    expect(normalizeTriggers(config).schedules).toEqual([
      {
        name: "tick:fast_1.a-b",
        description: "Polls the queue",
        expression: "every 30 seconds",
        recurrence: { kind: "cron", cron: "*/30 * * * * *", timezone: "UTC" },
        overlap: "allow",
        active: false,
        endsAt: "2026-12-31T23:00:00.000Z",
        maxRuns: 10,
      },
      {
        expression: "0 18 * * 5",
        recurrence: { kind: "cron", cron: "0 18 * * 5", timezone: "Europe/Paris" },
        overlap: "skip",
        // Without an offset, in the schedule's time zone (CET is UTC+1 in December).
        endsAt: "2026-12-31T17:00:00.000Z",
      },
      {
        expression: "@daily",
        recurrence: { kind: "cron", cron: "0 0 * * *", timezone: "America/New_York" },
        overlap: "skip",
        // A date alone: through the end of that day there (EDT is UTC-4 in July).
        endsAt: "2026-07-15T03:59:59.999Z",
      },
      {
        expression: "hourly",
        recurrence: { kind: "cron", cron: "0 * * * *", timezone: "UTC" },
        payload: null,
        overlap: "allow",
      },
    ]);
  });

  it("reports a schedule that is neither a cron nor a phrase on its field", () => {
    const problems = (input: unknown) => {
      const checked = checkFunctionConfig(input, limits);
      return checked.problems.map((p) => `${p.field} ${p.message}`);
    };
    expect(problems({ triggers: { schedules: [{ schedule: "evry day" }] } })).toEqual([
      expect.stringMatching(
        /^triggers\.schedules\[0\]\.schedule "evry day" is not a schedule: write a cron expression .*"daily at 9 AM"/,
      ),
    ]);
    expect(problems({ triggers: { schedules: ["0 9 * * 1", "evry day"] } })).toEqual([
      expect.stringMatching(/^triggers\.schedules\[1\] "evry day" is not a schedule: /),
    ]);
    expect(problems({ triggers: { schedules: ["0 0 30 2 *"] } })).toEqual([
      'triggers.schedules[0] "0 0 30 2 *" never runs: no date matches it',
    ]);
    expect(problems({ triggers: { schedules: [{ schedule: "61 * * * *", name: "x" }] } })).toEqual([
      'triggers.schedules[0].schedule "61 * * * *" is not a valid cron expression: Invalid value for minute: 61',
    ]);
  });

  it("refuses each kind of mistake in a schedule's new fields", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ overlap: "queue" }, 'triggers.schedules[0].overlap must be "skip" or "allow"'],
      [{ overlap: 1 }, 'triggers.schedules[0].overlap must be "skip" or "allow"'],
      [{ active: "yes" }, "triggers.schedules[0].active must be true or false"],
      [{ description: 5 }, "triggers.schedules[0].description must be a string"],
      [
        { ends_at: "next year" },
        "triggers.schedules[0].ends_at must be an ISO date-time such as 2026-12-31T18:00:00Z or a date such as 2026-12-31",
      ],
      [{ ends_at: "2026-02-30T10:00" }, "triggers.schedules[0].ends_at must be an ISO date-time"],
      [{ max_runs: 0 }, "triggers.schedules[0].max_runs must be at least 1"],
      [{ max_runs: 2.5 }, "triggers.schedules[0].max_runs must be a whole number of runs"],
      [{ max_runs: "3" }, "triggers.schedules[0].max_runs must be a number of runs"],
      [{ name: "" }, "triggers.schedules[0].name is empty"],
      [
        { name: "nightly report" },
        "triggers.schedules[0].name must be letters, digits, _ . : - (starting with a letter or digit)",
      ],
      [{ name: "-x" }, "triggers.schedules[0].name must be letters, digits"],
      [{ name: "x".repeat(101) }, "triggers.schedules[0].name is longer than 100 characters"],
      [
        { until: "2027-01-01" },
        "triggers.schedules[0].until is not a known field (schedule, timezone, catch_up, overlap, payload, " +
          "name, description, active, ends_at, max_runs)",
      ],
    ];
    for (const [fields, message] of cases) {
      expect(() => parse({ triggers: { schedules: [{ schedule: "hourly", ...fields }] } }), message).toThrow(
        `function.jsonc: ${message}`,
      );
    }
    expect(() =>
      parse({
        triggers: {
          schedules: [
            { schedule: "hourly", name: "a" },
            { schedule: "daily", name: "a" },
          ],
        },
      }),
    ).toThrow('function.jsonc: triggers.schedules[1].name "a" is already the name of triggers.schedules[0]');
    expect(parse({ triggers: { schedules: [{ schedule: "hourly", name: "9am" }] } })).toBeTruthy();
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
          "trigers is not a known field (name, entry, access, timeout, memory, triggers, automations)",
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
