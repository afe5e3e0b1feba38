// Seed 001's Base44 `automations` in function.jsonc: what is accepted as written, what is refused and
// how (file, field, reason), and the ScheduleSpecs and event triggers they become (pure: no server).
import { afterEach, describe, expect, it } from "vitest";
import { configSchema } from "../config/config.js";
import {
  checkFunctionConfig,
  normalizeTriggers,
  parseFunctionConfig,
} from "../functions/deploy/functionConfig.js";
import { loadProject } from "../project/loadProject.js";
import { type TempProject, tempProject } from "../project/testing/tempProject.js";
import { scheduleNameOf } from "./automations.js";

const limits = configSchema.parse({}).functions;
const parse = (input: unknown) => parseFunctionConfig(input, limits);
/** Every problem of a config as the CLI words it after `file:line:`. */
const problems = (input: unknown) =>
  checkFunctionConfig(input, limits).problems.map((p) => `${p.field} ${p.message}`);

const cron = {
  type: "scheduled",
  name: "nightly",
  schedule_mode: "recurring",
  schedule_type: "cron",
  cron_expression: "0 3 * * *",
};
const simple = {
  type: "scheduled",
  name: "every-2-days",
  schedule_mode: "recurring",
  schedule_type: "simple",
  repeat_unit: "days",
  repeat_interval: 2,
};
const oneTime = {
  type: "scheduled",
  name: "christmas",
  schedule_mode: "one-time",
  one_time_date: "2026-12-24T18:00:00Z",
};
const entity = { type: "entity", name: "orders", entity_name: "orders", event_types: ["create"] };

/** 2026-12-07 is a Monday. */
const now = new Date("2026-12-07T08:00:00Z");

describe("function.jsonc automations", () => {
  it("accepts every Base44 form as written: nothing is added to the stored config", () => {
    const automations = [
      { ...cron, name: "cron-1", description: "Cleans up", function_args: { mode: "full" }, is_active: true },
      {
        ...cron,
        name: "cron-2",
        cron_expression: "*/10 * * * * *",
        timezone: "Asia/Tokyo",
        ends_type: "never",
      },
      { ...cron, name: "cron-3", ends_type: "on", ends_on_date: "2027-06-30" },
      {
        ...cron,
        name: "cron-4",
        ends_type: "on",
        ends_on_date: "2027-06-30T12:00:00+02:00",
        ends_after_count: null,
      },
      { ...simple, name: "simple-5", repeat_on_days: [1, 4], start_time: "2026-12-07T09:00" },
      { ...simple, name: "simple-6", repeat_unit: "minutes", repeat_interval: 1, start_time: "09:00:30" },
      {
        ...simple,
        repeat_unit: "hours",
        start_time: "2026-12-07T09:00:00Z",
        ends_type: "after",
        ends_after_count: 3,
      },
      {
        ...simple,
        name: "simple-7",
        repeat_unit: "weeks",
        repeat_on_days: [],
        start_time: null,
        repeat_on_day_of_month: null,
      },
      {
        ...simple,
        name: "simple-8",
        repeat_unit: "months",
        repeat_on_day_of_month: 31,
        repeat_on_days: null,
      },
      { ...oneTime, name: "oneTime-9", description: null, function_args: null, is_active: false },
      { ...oneTime, name: "oneTime-10", one_time_date: "2026-12-24T18:00", timezone: "Europe/Paris" },
      { ...entity, name: "entity-11", event_types: ["create", "update", "delete"], description: "Order log" },
      { ...entity, name: "entity-12", is_active: false, function_args: ["any", "json"] },
      { ...simple, name: "Relatório diário — 9h" },
    ];
    const input = { name: "jobs", entry: "entry.ts", automations };
    expect(parse(input)).toEqual(input);
    expect(problems(input)).toEqual([]);
  });

  it("turns one automation of each Base44 kind into ScheduleSpecs and POST record event triggers", () => {
    const config = parse({
      name: "reports",
      automations: [
        {
          type: "scheduled",
          name: "Nightly cleanup",
          schedule_mode: "recurring",
          schedule_type: "cron",
          cron_expression: "0 3 * * *",
          function_args: { mode: "full" },
        },
        {
          type: "scheduled",
          name: "twice-weekly",
          description: "Mondays and Thursdays, every other day",
          schedule_mode: "recurring",
          schedule_type: "simple",
          repeat_unit: "days",
          repeat_interval: 2,
          repeat_on_days: [1, 4],
          start_time: "2026-12-07T09:00",
          timezone: "Europe/Paris",
        },
        {
          type: "scheduled",
          name: "christmas",
          schedule_mode: "one-time",
          one_time_date: "2026-12-24T18:00:00Z",
        },
        { type: "entity", name: "Order changes", entity_name: "orders", event_types: ["create", "update"] },
        {
          type: "scheduled",
          name: "three reminders",
          is_active: false,
          schedule_mode: "recurring",
          schedule_type: "simple",
          repeat_unit: "hours",
          start_time: "09:30",
          ends_type: "after",
          ends_after_count: 3,
        },
      ],
    });
    expect(normalizeTriggers(config, now)).toEqual({
      events: [
        { event: "POST_RECORD_CREATE", filter: { collection: "orders" }, active: true },
        { event: "POST_RECORD_UPDATE", filter: { collection: "orders" }, active: true },
      ],
      schedules: [
        {
          name: "Nightly-cleanup",
          expression: "0 3 * * *",
          recurrence: { kind: "cron", cron: "0 3 * * *", timezone: "UTC" },
          payload: { mode: "full" },
          active: true,
        },
        {
          name: "twice-weekly",
          description: "Mondays and Thursdays, every other day",
          expression: "every 2 days on Mon, Thu from 2026-12-07T09:00",
          recurrence: {
            kind: "simple",
            unit: "days",
            interval: 2,
            start: "2026-12-07T09:00",
            days: [1, 4],
            timezone: "Europe/Paris",
          },
          active: true,
        },
        {
          name: "christmas",
          expression: "once at 2026-12-24T18:00:00Z",
          recurrence: { kind: "once", at: "2026-12-24T18:00:00.000Z" },
          active: true,
        },
        {
          name: "three-reminders",
          expression: "every hour from 2026-12-07T09:30",
          recurrence: {
            kind: "simple",
            unit: "hours",
            interval: 1,
            start: "2026-12-07T09:30",
            timezone: "UTC",
          },
          active: false,
          maxRuns: 3,
        },
      ],
    });
  });

  it("reads times in the automation's time zone, and a time of day on the day the config is read", () => {
    const late = new Date("2026-12-06T23:30:00Z"); // already Monday the 7th in Tokyo
    const config = parse({
      automations: [
        {
          ...simple,
          repeat_unit: "minutes",
          repeat_interval: 1,
          start_time: "08:15:30",
          timezone: "Asia/Tokyo",
        },
        { ...simple, name: "no-start", repeat_unit: "weeks", repeat_interval: 1, repeat_on_days: [5] },
        { ...simple, name: "monthly", repeat_unit: "months", repeat_interval: 3, repeat_on_day_of_month: 31 },
        { ...oneTime, one_time_date: "2026-12-24T18:00", timezone: "Europe/Paris" },
        // 02:30 does not exist in Paris on 2027-03-28: the first instant after the gap, as cron does.
        { ...oneTime, name: "gap", one_time_date: "2027-03-28T02:30", timezone: "Europe/Paris" },
        { ...cron, timezone: "America/New_York", ends_type: "on", ends_on_date: "2027-01-31" },
      ],
    });
    const schedules = normalizeTriggers(config, late).schedules;
    expect(schedules.map((s) => [s.expression, s.recurrence, s.endsAt])).toEqual([
      [
        "every minute from 2026-12-07T08:15:30",
        {
          kind: "simple",
          unit: "minutes",
          interval: 1,
          start: "2026-12-07T08:15:30",
          timezone: "Asia/Tokyo",
        },
        undefined,
      ],
      [
        "every week on Fri from 2026-12-06T00:00",
        { kind: "simple", unit: "weeks", interval: 1, start: "2026-12-06T00:00", days: [5], timezone: "UTC" },
        undefined,
      ],
      [
        "every 3 months on day 31 from 2026-12-06T00:00",
        {
          kind: "simple",
          unit: "months",
          interval: 3,
          start: "2026-12-06T00:00",
          dayOfMonth: 31,
          timezone: "UTC",
        },
        undefined,
      ],
      ["once at 2026-12-24T18:00", { kind: "once", at: "2026-12-24T17:00:00.000Z" }, undefined],
      ["once at 2027-03-28T02:30", { kind: "once", at: "2027-03-28T01:00:00.000Z" }, undefined],
      [
        "0 3 * * *",
        { kind: "cron", cron: "0 3 * * *", timezone: "America/New_York" },
        // The last instant of January 31st in New York (EST, UTC-5).
        "2027-02-01T04:59:59.999Z",
      ],
    ]);
  });

  it("merges entity automations that share an event type into one subscription", () => {
    const config = parse({
      automations: [
        { ...entity, name: "a", entity_name: "orders", event_types: ["create", "delete"] },
        { ...entity, name: "b", entity_name: "invoices", event_types: ["create"] },
        { ...entity, name: "c", entity_name: "refunds", event_types: ["create", "update"], is_active: false },
        { ...entity, name: "d", entity_name: "orders", event_types: ["create"] },
      ],
    });
    expect(normalizeTriggers(config, now).events).toEqual([
      { event: "POST_RECORD_CREATE", filter: { collection: { $in: ["orders", "invoices"] } }, active: true },
      { event: "POST_RECORD_DELETE", filter: { collection: "orders" }, active: true },
      { event: "POST_RECORD_UPDATE", filter: { collection: "refunds" }, active: false },
    ]);
  });

  it("lists triggers.events first and keeps both kinds of schedules, triggers first", () => {
    const config = parse({
      triggers: { events: ["order_placed"], schedules: ["hourly"] },
      automations: [entity, oneTime],
    });
    const triggers = normalizeTriggers(config, now);
    expect(triggers.events.map((e) => e.event)).toEqual(["order_placed", "POST_RECORD_CREATE"]);
    expect(triggers.schedules.map((s) => s.expression)).toEqual(["hourly", "once at 2026-12-24T18:00:00Z"]);
  });

  it("names an automation's schedule with its label made an identifier", () => {
    expect(scheduleNameOf("nightly:cleanup_1.v2")).toBe("nightly:cleanup_1.v2");
    expect(scheduleNameOf("Daily report")).toBe("Daily-report");
    expect(scheduleNameOf("  Relatório diário — 9h ")).toBe("Relatorio-diario-9h");
    expect(scheduleNameOf("日報")).toBeUndefined();
    expect(scheduleNameOf("x".repeat(150) + " y")).toBe("x".repeat(100));
  });

  it("refuses each kind of mistake with the field at fault and the reason", () => {
    const cases: [unknown, string][] = [
      ["not a list", "automations must be an array of automations"],
      [["nightly"], "automations[0] must be an object"],
      [[{ name: "x" }], 'automations[0].type is required: "scheduled" or "entity"'],
      [[{ ...entity, type: "webhook" }], 'automations[0].type must be "scheduled" or "entity"'],
      [
        [{ type: "scheduled", name: "x" }],
        'automations[0].schedule_mode is required: "one-time" or "recurring"',
      ],
      [
        [{ ...cron, schedule_mode: "once" }],
        'automations[0].schedule_mode must be "one-time" or "recurring"',
      ],
      [[{ ...cron, schedule_type: "interval" }], 'automations[0].schedule_type must be "cron" or "simple"'],
      [[{ ...cron, name: undefined }], "automations[0].name is required"],
      [[{ ...cron, name: "" }], "automations[0].name is empty"],
      [[{ ...cron, is_active: "yes" }], "automations[0].is_active must be true or false"],
      [[{ ...cron, description: 3 }], "automations[0].description must be a string"],
      [
        [{ ...cron, timezone: "Mars/Olympus" }],
        "automations[0].timezone is not an IANA time zone such as Europe/Paris or UTC",
      ],
      // cron
      [[{ ...cron, cron_expression: undefined }], "automations[0].cron_expression is required"],
      [
        [{ ...cron, cron_expression: "evry day" }],
        'automations[0].cron_expression "evry day" is not a schedule: write a cron expression',
      ],
      [
        [{ ...cron, cron_expression: "61 * * * *" }],
        'automations[0].cron_expression "61 * * * *" is not a valid cron expression: Invalid value for minute: 61',
      ],
      [
        [{ ...cron, cron_expression: "0 0 30 2 *" }],
        'automations[0].cron_expression "0 0 30 2 *" never runs: no date matches it',
      ],
      [
        [{ ...cron, cron_expression: "daily at 9 AM" }],
        'automations[0].cron_expression "daily at 9 AM" is a phrase; cron_expression takes a cron expression ("0 9 * * *" says the same)',
      ],
      // simple
      [[{ ...simple, repeat_unit: undefined }], "automations[0].repeat_unit is required"],
      [
        [{ ...simple, repeat_unit: "years" }],
        "automations[0].repeat_unit must be one of minutes, hours, days, weeks, months",
      ],
      [[{ ...simple, repeat_interval: 0 }], "automations[0].repeat_interval must be at least 1"],
      [
        [{ ...simple, repeat_interval: 1.5 }],
        "automations[0].repeat_interval must be a whole number, at least 1",
      ],
      [[{ ...simple, repeat_interval: "2" }], "automations[0].repeat_interval must be a whole number"],
      [[{ ...simple, repeat_on_days: [1, 7] }], "automations[0].repeat_on_days[1] must be 0 to 6"],
      [[{ ...simple, repeat_on_days: "Mon" }], "automations[0].repeat_on_days must be an array of weekdays"],
      [
        [{ ...simple, repeat_unit: "months", repeat_on_day_of_month: 32 }],
        "automations[0].repeat_on_day_of_month must be 1 to 31",
      ],
      [
        [{ ...simple, repeat_on_day_of_month: 15 }],
        'automations[0].repeat_on_day_of_month is only read when repeat_unit is "months"',
      ],
      [
        [{ ...simple, start_time: "9am" }],
        "automations[0].start_time must be an ISO date-time such as 2026-12-07T09:00:00Z (without an offset: " +
          'in the time zone) or a time of day such as "09:00"',
      ],
      [[{ ...simple, start_time: "24:00" }], "automations[0].start_time must be an ISO date-time"],
      [
        // Every 7 days from a Monday never falls on a Thursday.
        [{ ...simple, repeat_interval: 7, repeat_on_days: [4], start_time: "2026-12-07T09:00" }],
        "automations[0] never runs: every 7 days from 2026-12-07T09:00 misses days 4",
      ],
      // one-time
      [[{ ...oneTime, one_time_date: undefined }], "automations[0].one_time_date is required"],
      [
        [{ ...oneTime, one_time_date: "tomorrow" }],
        "automations[0].one_time_date must be an ISO date-time such as 2026-12-24T18:00:00Z",
      ],
      [
        [{ ...oneTime, one_time_date: "2026-12-24" }],
        "automations[0].one_time_date must be an ISO date-time",
      ],
      // ends
      [[{ ...cron, ends_type: "someday" }], 'automations[0].ends_type must be "never", "on" or "after"'],
      [[{ ...cron, ends_type: "on" }], 'automations[0].ends_on_date is required when ends_type is "on"'],
      [
        [{ ...simple, ends_type: "after", ends_after_count: null }],
        'automations[0].ends_after_count is required when ends_type is "after"',
      ],
      [
        [{ ...simple, ends_after_count: 3 }],
        'automations[0].ends_after_count is only read when ends_type is "after"',
      ],
      [
        [{ ...cron, ends_type: "after", ends_after_count: 3, ends_on_date: "2027-01-01" }],
        'automations[0].ends_on_date is only read when ends_type is "on"',
      ],
      [
        [{ ...cron, ends_type: "after", ends_after_count: 0 }],
        "automations[0].ends_after_count must be at least 1",
      ],
      [
        [{ ...cron, ends_type: "on", ends_on_date: "soon" }],
        "automations[0].ends_on_date must be an ISO date-time such as 2026-12-31T18:00:00Z or a date such as 2026-12-31",
      ],
      // entity
      [[{ ...entity, entity_name: undefined }], "automations[0].entity_name is required"],
      [
        [{ ...entity, entity_name: "my orders" }],
        "automations[0].entity_name is not a collection name: Invalid collection name 'my orders': start with a letter",
      ],
      [
        [{ ...entity, entity_name: "users" }],
        "automations[0].entity_name is not a collection name: The collection name 'users' is reserved",
      ],
      [[{ ...entity, event_types: undefined }], "automations[0].event_types is required"],
      [
        [{ ...entity, event_types: [] }],
        "automations[0].event_types must name at least one of create, update, delete",
      ],
      [
        [{ ...entity, event_types: ["insert"] }],
        "automations[0].event_types[0] must be one of create, update, delete",
      ],
      [
        [{ ...entity, event_types: ["create", "create"] }],
        'automations[0].event_types[1] names "create" a second time',
      ],
      // A field of another kind of automation, and a field of none.
      [
        [{ ...simple, cron_expression: "0 3 * * *" }],
        'automations[0].cron_expression is for schedule_type "cron" automations, not "simple"',
      ],
      [
        [{ ...cron, repeat_unit: "days" }],
        'automations[0].repeat_unit is for schedule_type "simple" automations, not "cron"',
      ],
      [
        [{ ...oneTime, start_time: "09:00" }],
        'automations[0].start_time is for schedule_type "simple" automations',
      ],
      [
        [{ ...cron, one_time_date: "2026-12-24T18:00:00Z" }],
        'automations[0].one_time_date is for schedule_mode "one-time" automations, not "recurring"',
      ],
      [
        [{ ...oneTime, ends_type: "never" }],
        'automations[0].ends_type is for schedule_mode "recurring" automations, not "one-time"',
      ],
      [
        [{ ...cron, entity_name: "orders" }],
        'automations[0].entity_name is for type "entity" automations, not "scheduled"',
      ],
      [
        [{ ...entity, timezone: "UTC" }],
        'automations[0].timezone is for type "scheduled" automations, not "entity"',
      ],
      [
        [{ ...entity, priority: 1 }],
        "automations[0].priority is not a known field (type, name, description, function_args, is_active, " +
          "entity_name, event_types)",
      ],
      [
        [{ ...simple, every: "2 days" }],
        "automations[0].every is not a known field (type, schedule_mode, schedule_type, name, description, " +
          "function_args, is_active, timezone, repeat_unit, repeat_interval, start_time, repeat_on_days, " +
          "repeat_on_day_of_month, ends_type, ends_on_date, ends_after_count)",
      ],
      // Across automations.
      [
        [cron, { ...oneTime, name: "nightly" }],
        'automations[1].name "nightly" is already the name of automations[0]',
      ],
      [
        [
          { ...cron, name: "Daily-report" },
          { ...oneTime, name: "Daily report" },
        ],
        'automations[1].name "Daily report" names the schedule "Daily-report", as automations[0] does',
      ],
    ];
    for (const [automations, message] of cases) {
      const got = problems({ automations });
      expect(got, JSON.stringify(automations)).toHaveLength(1);
      expect(got[0], JSON.stringify(automations)).toContain(message);
      expect(() => parse({ automations })).toThrow(`function.jsonc: ${message}`);
    }
  });

  it("refuses an event type that both triggers.events and an automation subscribe to, naming both", () => {
    expect(
      problems({
        triggers: {
          events: ["user_registered", { event: "doc_created", filter: { collection: "invoices" } }],
        },
        automations: [{ ...entity, event_types: ["update", "create"] }],
      }),
    ).toEqual([
      'automations[0].event_types[1] "create" is POST_RECORD_CREATE, which triggers.events[1] subscribes to ' +
        "as well: a function has one subscription per event type, so keep one of them",
    ]);
    expect(
      problems({
        triggers: { schedules: [{ schedule: "hourly", name: "nightly" }] },
        automations: [cron],
      }),
    ).toEqual(['automations[0].name "nightly" is already the name of triggers.schedules[0]']);
  });

  describe("through the CLI's local loader", () => {
    let project: TempProject | undefined;
    afterEach(() => project?.remove());

    it("prints file:line: field reason for each problem", async () => {
      project = tempProject({
        "functions/x/entry.ts": "export default () => 1;\n",
        "functions/x/function.jsonc": [
          "{",
          '  "name": "x",',
          "  // Base44's automations, as written there",
          '  "automations": [',
          "    {",
          '      "type": "scheduled",',
          '      "name": "Weekly digest",',
          '      "schedule_mode": "recurring",',
          '      "schedule_type": "simple",',
          '      "repeat_unit": "fortnights",',
          '      "cron_expression": "0 9 * * 1",',
          "    },",
          '    { "type": "entity", "name": "on order", "entity_name": "orders", "event_types": ["insert"] },',
          "  ],",
          "}",
          "",
        ].join("\n"),
      });
      const loaded = await loadProject(project.root);
      const error = loaded.functions[0]!.error!;
      expect(error.message).toBe(
        [
          "functions/x/function.jsonc:10: automations[0].repeat_unit must be one of minutes, hours, days, weeks, months",
          'functions/x/function.jsonc:11: automations[0].cron_expression is for schedule_type "cron" automations, not "simple"',
          "functions/x/function.jsonc:13: automations[1].event_types[0] must be one of create, update, delete",
        ].join("\n"),
      );
      expect(error).toMatchObject({
        file: "functions/x/function.jsonc",
        line: 10,
        field: "automations[0].repeat_unit",
      });
    });
  });
});
