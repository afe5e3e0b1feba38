// Seed 001's `automations` (Base44's function.jsonc), accepted as written beside our `triggers`: the
// schema, with messages that name the field at fault, and what each automation declares in our
// terms — a scheduled one a ScheduleSpec, an entity one POST record event triggers. Unlike Base44's,
// these schedules keep seconds, may name a time zone (UTC by default) and have no 5-minute minimum.
import { z } from "zod";
import { ValidationError } from "../core/errors.js";
import { checkCollectionName } from "../records/collection.js";
import { parseExpression } from "./expressions/parseExpression.js";
import { checkRecurrence } from "./expressions/recurrence.js";
import type { RepeatUnit, ScheduleSpec } from "./scheduleSpec.js";
import {
  cronRecurrence,
  DEFAULT_TIMEZONE,
  dateTime,
  definedOnly,
  description,
  endDate,
  endInstant,
  fieldsValid,
  instantIn,
  localDate,
  needed,
  problemOf,
  SCHEDULE_NAME,
  timeZone,
} from "./scheduleTriggers.js";

export const REPEAT_UNITS = ["minutes", "hours", "days", "weeks", "months"] as const;

/** An entity automation's event types, as the record events they are (src/events/catalogue.ts). */
export const RECORD_EVENTS = {
  create: "POST_RECORD_CREATE",
  update: "POST_RECORD_UPDATE",
  delete: "POST_RECORD_DELETE",
} as const;

type EntityEvent = keyof typeof RECORD_EVENTS;
export type RecordEventType = (typeof RECORD_EVENTS)[EntityEvent];

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d)?$/;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const wholeNumber = (what: string, min: number, max?: number) => {
  const range = max === undefined ? `at least ${min}` : `${min} to ${max}`;
  const number = z
    .number({ error: needed(`must be ${what}`) })
    .int(`must be a whole number, ${range}`)
    .min(min, `must be ${range}`);
  return max === undefined ? number : number.max(max, `must be ${range}`);
};

const common = {
  name: z
    .string({ error: needed("must be a string") })
    .min(1, "is empty")
    .max(100, "is longer than 100 characters"),
  description: description.nullable().optional(),
  /** The payload each run gets: any JSON. */
  function_args: z.unknown().optional(),
  is_active: z.boolean({ error: "must be true or false" }).optional(),
};

const ends = {
  ends_type: z.enum(["never", "on", "after"], { error: 'must be "never", "on" or "after"' }).optional(),
  ends_on_date: endDate.nullable().optional(),
  ends_after_count: wholeNumber("a number of runs", 1).nullable().optional(),
};

const oneTime = z.strictObject({
  type: z.literal("scheduled"),
  schedule_mode: z.literal("one-time"),
  ...common,
  timezone: timeZone.optional(),
  one_time_date: dateTime,
});

const cron = z
  .strictObject({
    type: z.literal("scheduled"),
    schedule_mode: z.literal("recurring"),
    schedule_type: z.literal("cron"),
    ...common,
    timezone: timeZone.optional(),
    cron_expression: z
      .string({ error: needed('must be a cron expression such as "0 9 * * *"') })
      .trim()
      .superRefine((text, ctx) => {
        const problem = cronProblem(text);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    ...ends,
  })
  .superRefine(checkEnds, fieldsValid);

const simple = z
  .strictObject({
    type: z.literal("scheduled"),
    schedule_mode: z.literal("recurring"),
    schedule_type: z.literal("simple"),
    ...common,
    timezone: timeZone.optional(),
    repeat_unit: z.enum(REPEAT_UNITS, { error: needed(`must be one of ${REPEAT_UNITS.join(", ")}`) }),
    repeat_interval: wholeNumber("a whole number", 1).optional(),
    start_time: z
      .string()
      .refine((text) => TIME_OF_DAY.test(text) || dateTime.safeParse(text).success, {
        error:
          'must be an ISO date-time such as 2026-12-07T09:00:00Z (without an offset: in the time zone) or a time of day such as "09:00"',
      })
      .nullable()
      .optional(),
    repeat_on_days: z
      .array(wholeNumber("a weekday, 0 (Sunday) to 6 (Saturday)", 0, 6), {
        error: "must be an array of weekdays",
      })
      .nullable()
      .optional(),
    repeat_on_day_of_month: wholeNumber("a day of the month", 1, 31).nullable().optional(),
    ...ends,
  })
  .superRefine(checkEnds, fieldsValid)
  .superRefine((automation, ctx) => {
    if (automation.repeat_on_day_of_month != null && automation.repeat_unit !== "months") {
      ctx.addIssue({
        code: "custom",
        path: ["repeat_on_day_of_month"],
        message: 'is only read when repeat_unit is "months"',
      });
      return;
    }
    // Whether it ever runs can depend on the weekday it starts; a time of day starts the day it is
    // read, so only a start with a date can be judged here.
    if (!automation.start_time || TIME_OF_DAY.test(automation.start_time)) return;
    const problem = problemOf(() => checkRecurrence(simpleRecurrence(automation, new Date(0))));
    if (problem) ctx.addIssue({ code: "custom", message: problem.replace(/^Never/, "never") });
  }, fieldsValid);

const entity = z.strictObject({
  type: z.literal("entity"),
  ...common,
  entity_name: z.string({ error: needed("must be a collection name") }).superRefine((name, ctx) => {
    const problem = problemOf(() => checkCollectionName(name));
    if (problem) ctx.addIssue({ code: "custom", message: `is not a collection name: ${problem}` });
  }),
  event_types: z
    .array(z.enum(["create", "update", "delete"], { error: "must be one of create, update, delete" }), {
      error: needed("must be an array of create, update, delete"),
    })
    .min(1, "must name at least one of create, update, delete")
    .superRefine((types, ctx) => {
      types.forEach((type, i) => {
        if (types.indexOf(type) !== i) {
          ctx.addIssue({ code: "custom", path: [i], message: `names "${type}" a second time` });
        }
      });
    }),
});

/** The messages of a discriminated union: its discriminator is missing or holds something else. */
const choices = (values: string) => ({
  error: (issue: { code?: string; input?: unknown; discriminator?: string }) => {
    if (issue.code === "invalid_type") return "must be an object";
    const given = issue.discriminator ? (issue.input as Record<string, unknown>)[issue.discriminator] : 1;
    return given === undefined ? `is required: ${values}` : `must be ${values}`;
  },
});

export const automationSchema = z.discriminatedUnion(
  "type",
  [
    z.discriminatedUnion(
      "schedule_mode",
      [oneTime, z.discriminatedUnion("schedule_type", [cron, simple], choices('"cron" or "simple"'))],
      choices('"one-time" or "recurring"'),
    ),
    entity,
  ],
  choices('"scheduled" or "entity"'),
);

export type Automation = z.infer<typeof automationSchema>;
export type ScheduledAutomation = Exclude<Automation, { type: "entity" }>;
export type EntityAutomation = Extract<Automation, { type: "entity" }>;
type SimpleAutomation = z.infer<typeof simple>;

/** A record event trigger an entity automation declares (the shape of function.jsonc's triggers.events). */
export interface AutomationEvent {
  event: RecordEventType;
  filter: { collection: string | { $in: string[] } };
  active: boolean;
}

/** What the automations declare: their schedules in order, and one trigger per record event type. */
export function automationTriggers(
  automations: Automation[],
  now: Date,
): { events: AutomationEvent[]; schedules: ScheduleSpec[] } {
  const schedules: ScheduleSpec[] = [];
  const entities: EntityAutomation[] = [];
  for (const automation of automations) {
    if (automation.type === "entity") entities.push(automation);
    else schedules.push(automationSchedule(automation, now));
  }
  return { events: automationEvents(entities), schedules };
}

/** `now` places a start written as a time of day ("09:00"): on the day the config is read. */
export function automationSchedule(automation: ScheduledAutomation, now: Date): ScheduleSpec {
  const timezone = automation.timezone ?? DEFAULT_TIMEZONE;
  const declared = {
    name: scheduleNameOf(automation.name),
    description: automation.description ?? undefined,
    payload: automation.function_args ?? undefined,
    active: automation.is_active ?? true,
  };
  if (automation.schedule_mode === "one-time") {
    return definedOnly<ScheduleSpec>({
      ...declared,
      expression: `once at ${automation.one_time_date}`,
      recurrence: { kind: "once", at: instantIn(automation.one_time_date, timezone) },
    });
  }
  const endsOn = automation.ends_type === "on" ? automation.ends_on_date : undefined;
  const end = {
    endsAt: endsOn ? endInstant(endsOn, timezone) : undefined,
    maxRuns: automation.ends_type === "after" ? (automation.ends_after_count ?? undefined) : undefined,
  };
  if (automation.schedule_type === "cron") {
    return definedOnly<ScheduleSpec>({
      ...declared,
      expression: automation.cron_expression,
      recurrence: cronRecurrence(automation.cron_expression, timezone),
      ...end,
    });
  }
  const recurrence = simpleRecurrence(automation, now);
  return definedOnly<ScheduleSpec>({ ...declared, expression: summary(recurrence), recurrence, ...end });
}

/**
 * The name of an automation's schedule. Base44 names are labels ("Daily report"); a schedule's name
 * is an identifier (`backend schedules run <name>`), so other characters become "-". A name with
 * nothing left is no name: the function's name then names the schedule.
 */
export function scheduleNameOf(name: string): string | undefined {
  if (SCHEDULE_NAME.test(name)) return name;
  const cleaned = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9_.:-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+|-+$/g, "")
    .slice(0, 100);
  return cleaned || undefined;
}

/**
 * A function has one subscription per event type (src/events/subscriptions/syncConfigSubscriptions.ts):
 * entity automations that share one are merged, their collections in one filter. Inactive automations
 * only count when none on that type is active.
 */
export function automationEvents(automations: EntityAutomation[]): AutomationEvent[] {
  const byType = new Map<RecordEventType, { active: string[]; inactive: string[] }>();
  for (const automation of automations) {
    for (const type of automation.event_types) {
      const event = RECORD_EVENTS[type];
      const collections = byType.get(event) ?? { active: [], inactive: [] };
      collections[automation.is_active === false ? "inactive" : "active"].push(automation.entity_name);
      byType.set(event, collections);
    }
  }
  return [...byType].map(([event, { active, inactive }]) => {
    const names = [...new Set(active.length > 0 ? active : inactive)];
    const collection = names.length === 1 ? names[0]! : { $in: names };
    return { event, filter: { collection }, active: active.length > 0 };
  });
}

/** Why `key` is not a field of this automation: another kind's field, or no field at all. */
export function unknownAutomationField(automation: unknown, key: string): string {
  const given = (automation ?? {}) as Record<string, unknown>;
  const own = KINDS.find((kind) => kind.is.every((value, level) => given[DISCRIMINATORS[level]!] === value));
  const having = KINDS.filter((kind) => key in kind.schema.shape);
  // The narrowest kind every kind with this field is: schedule_type "simple", or type "scheduled".
  const shared = (level: number) => {
    const value = having[0]?.is[level];
    return value !== undefined && having.every((kind) => kind.is[level] === value);
  };
  let level = 0;
  while (shared(level)) level++;
  if (level > 0) {
    const discriminator = DISCRIMINATORS[level - 1]!;
    const ours = given[discriminator];
    const kind = `${discriminator} "${having[0]!.is[level - 1]}"`;
    return `is for ${kind} automations${typeof ours === "string" ? `, not "${ours}"` : ""}`;
  }
  return `is not a known field${own ? ` (${Object.keys(own.schema.shape).join(", ")})` : ""}`;
}

const DISCRIMINATORS = ["type", "schedule_mode", "schedule_type"];
const KINDS: { schema: { shape: object }; is: string[] }[] = [
  { schema: oneTime, is: ["scheduled", "one-time"] },
  { schema: cron, is: ["scheduled", "recurring", "cron"] },
  { schema: simple, is: ["scheduled", "recurring", "simple"] },
  { schema: entity, is: ["entity"] },
];

function simpleRecurrence(automation: SimpleAutomation, now: Date) {
  const timezone = automation.timezone ?? DEFAULT_TIMEZONE;
  const start = automation.start_time ?? "00:00";
  const days = automation.repeat_on_days ?? [];
  return definedOnly({
    kind: "simple" as const,
    unit: automation.repeat_unit,
    interval: automation.repeat_interval ?? 1,
    start: TIME_OF_DAY.test(start) ? `${localDate(now, timezone)}T${start}` : start,
    days: days.length > 0 ? days : undefined,
    dayOfMonth: automation.repeat_on_day_of_month ?? undefined,
    timezone,
  });
}

/** "every 2 days on Mon, Thu from 2026-12-07T09:00" */
function summary(recurrence: ReturnType<typeof simpleRecurrence>): string {
  const unit: RepeatUnit = recurrence.unit;
  const every = recurrence.interval === 1 ? unit.slice(0, -1) : `${recurrence.interval} ${unit}`;
  const on = recurrence.days
    ? ` on ${recurrence.days.map((d) => WEEKDAYS[d]).join(", ")}`
    : recurrence.dayOfMonth
      ? ` on day ${recurrence.dayOfMonth}`
      : "";
  return `every ${every}${on} from ${recurrence.start}`;
}

/** Why a cron_expression is refused: parseExpression's reason, or that it is one of our phrases. */
function cronProblem(text: string): string | undefined {
  let parsed: { cron: string; phrase: boolean };
  try {
    parsed = parseExpression(text);
  } catch (error) {
    if (error instanceof ValidationError) return error.message;
    throw error;
  }
  if (!parsed.phrase) return undefined;
  return `"${text}" is a phrase; cron_expression takes a cron expression ("${parsed.cron}" says the same)`;
}

/** ends_type picks which end field is read; the other one, set, is a mistake worth saying. */
function checkEnds(
  automation: { ends_type?: string; ends_on_date?: string | null; ends_after_count?: number | null },
  ctx: z.RefinementCtx,
): void {
  const endsType = automation.ends_type ?? "never";
  const fields = [
    ["ends_on_date", "on", automation.ends_on_date],
    ["ends_after_count", "after", automation.ends_after_count],
  ] as const;
  for (const [field, type, value] of fields) {
    const set = value !== undefined && value !== null;
    if (endsType === type && !set) {
      ctx.addIssue({ code: "custom", path: [field], message: `is required when ends_type is "${type}"` });
    } else if (endsType !== type && set) {
      ctx.addIssue({ code: "custom", path: [field], message: `is only read when ends_type is "${type}"` });
    }
  }
}
