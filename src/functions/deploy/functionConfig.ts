// function.jsonc (SPEC §10): the schema, the messages that name the field at fault, and what a
// config implies (the entry file, the default access, the triggers in one shape). Schedules are
// declared two ways, each in its own file: our `triggers.schedules` (src/schedules/scheduleTriggers.ts)
// and seed 001's Base44 `automations` (src/schedules/automations.ts).
import { z } from "zod";
import type { Config } from "../../config/config.js";
import { ValidationError } from "../../core/errors.js";
import { canonicalType } from "../../events/catalogue.js";
import {
  type Automation,
  automationSchema,
  automationTriggers,
  RECORD_EVENTS,
  scheduleNameOf,
  unknownAutomationField,
} from "../../schedules/automations.js";
import {
  fieldsValid,
  type ScheduleTrigger,
  scheduleExpression,
  scheduleTrigger,
  scheduleTriggerSpec,
} from "../../schedules/scheduleTriggers.js";
import type { ScheduleSpec } from "../../schedules/scheduleSpec.js";

export type { Automation, ScheduleTrigger };

export const ACCESS_LEVELS = ["public", "user", "admin"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** Memory a function may ask for, unless the server's default is already higher. */
const MEMORY_CEILING_MB = 1024;

const eventType = z
  .string()
  .min(1, "is empty")
  .max(100, "is longer than 100 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, "must be an event type such as POST_USER_CREATE or order_placed");

const eventTrigger = z.strictObject({
  event: eventType,
  priority: z.number({ error: "must be a number" }).int("must be a whole number").optional(),
  active: z.boolean({ error: "must be true or false" }).optional(),
  filter: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional(),
  on_error: z.enum(["block", "allow"], { error: 'must be "block" or "allow"' }).optional(),
});

export function functionConfigSchema(limits: Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">) {
  const maxMemory = Math.max(MEMORY_CEILING_MB, limits.memoryMb);
  return z
    .strictObject({
      name: z.string({ error: "must be a string" }).optional(),
      entry: z.string().min(1, "is empty").optional(),
      access: z.enum(ACCESS_LEVELS, { error: 'must be "public", "user" or "admin"' }).optional(),
      timeout: z
        .number({ error: "must be a number of milliseconds" })
        .int("must be a whole number of milliseconds")
        .min(1, "must be at least 1 ms")
        .max(limits.maxTimeoutMs, `must be at most ${limits.maxTimeoutMs} ms (functions.maxTimeoutMs)`)
        .optional(),
      memory: z
        .number({ error: "must be a number of megabytes" })
        .int("must be a whole number of megabytes")
        .min(8, "must be at least 8 MB")
        .max(maxMemory, `must be at most ${maxMemory} MB`)
        .optional(),
      triggers: z
        .strictObject({
          events: z.array(z.union([eventType, eventTrigger])).optional(),
          schedules: z.array(z.union([scheduleExpression, scheduleTrigger])).optional(),
        })
        .optional(),
      automations: z.array(automationSchema, { error: "must be an array of automations" }).optional(),
    })
    .superRefine(checkAcrossFields, fieldsValid);
}

export type FunctionConfig = z.infer<ReturnType<typeof functionConfigSchema>>;
export type EventTrigger = z.infer<typeof eventTrigger>;

interface Declared {
  triggers?: { events?: (string | { event: string })[]; schedules?: (string | { name?: string })[] };
  automations?: Automation[];
}

/**
 * What no single field shows: an event type named by both triggers.events and an entity automation
 * (a function has one subscription per event type), a schedule name used twice.
 */
function checkAcrossFields(config: Declared, ctx: z.RefinementCtx): void {
  const subscribed = new Map<string, string>();
  (config.triggers?.events ?? []).forEach((trigger, i) => {
    const type = canonicalType(typeof trigger === "string" ? trigger : trigger.event);
    if (!subscribed.has(type)) subscribed.set(type, `triggers.events[${i}]`);
  });
  // Names as the schedules get them: an automation's label becomes an identifier ("Daily-report").
  const named = new Map<string, string>();
  const nameOnce = (written: string | undefined, path: (string | number)[]) => {
    const name = written === undefined ? undefined : scheduleNameOf(written);
    if (name === undefined) return;
    const first = named.get(name);
    if (!first) return void named.set(name, fieldPath(path.slice(0, -1)));
    const message =
      name === written
        ? `"${name}" is already the name of ${first}`
        : `"${written}" names the schedule "${name}", as ${first} does`;
    ctx.addIssue({ code: "custom", path, message });
  };
  (config.triggers?.schedules ?? []).forEach((trigger, i) => {
    if (typeof trigger !== "string") nameOnce(trigger.name, ["triggers", "schedules", i, "name"]);
  });
  (config.automations ?? []).forEach((automation, i) => {
    if (automation.type !== "entity") return nameOnce(automation.name, ["automations", i, "name"]);
    automation.event_types.forEach((event, j) => {
      const type = RECORD_EVENTS[event];
      const other = subscribed.get(type);
      if (!other) return;
      ctx.addIssue({
        code: "custom",
        path: ["automations", i, "event_types", j],
        message:
          `"${event}" is ${type}, which ${other} subscribes to as well: a function has one subscription ` +
          "per event type, so keep one of them",
      });
    });
  });
}

/** One thing wrong with a config: where (`path`, and `field` as written: triggers.events[0]) and what. */
export interface ConfigProblem {
  path: (string | number)[];
  field: string;
  message: string;
}

/** Validates a function.jsonc object; the message names each field at fault. */
export function parseFunctionConfig(
  input: unknown,
  limits: Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">,
  where = "function.jsonc",
): FunctionConfig {
  const checked = checkFunctionConfig(input, limits);
  if (checked.config) return checked.config;
  const problems = checked.problems
    .slice(0, 10)
    .map((p) => (p.field ? `${p.field} ${p.message}` : p.message));
  throw new ValidationError(`${where}: ${problems.join("; ")}`, { problems: checked.problems });
}

/** The config, or every problem with it (the CLI places each one on its line of function.jsonc). */
export function checkFunctionConfig(
  input: unknown,
  limits: Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">,
): { config: FunctionConfig; problems: [] } | { config?: undefined; problems: ConfigProblem[] } {
  const schema = functionConfigSchema(limits);
  const result = schema.safeParse(input ?? {});
  if (result.success) return { config: result.data, problems: [] };
  const fields = Object.keys(schema.shape);
  return { problems: result.error.issues.flatMap((issue) => problemsOf(issue, [], fields, input)) };
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
}

function problemsOf(
  issue: Issue,
  prefix: (string | number)[],
  fields: string[],
  input: unknown,
): ConfigProblem[] {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))];
  if (issue.code === "unrecognized_keys") {
    return (issue.keys ?? []).map((key) => ({
      path: [...path, key],
      field: fieldPath([...path, key]),
      message: unknownField(path, key, fields, input),
    }));
  }
  // A discriminated union (an automation's type, schedule_mode, schedule_type) has no branches to
  // explain: its own message says which values it takes.
  if (issue.code === "invalid_union" && issue.errors?.length) {
    // A trigger is a string or an object: explain the branch the value was meant for, the one that
    // got past the value's type.
    const meant = issue.errors.find(
      (branch) => !branch.some((e) => e.code === "invalid_type" && !e.path.length),
    );
    if (meant) return meant.flatMap((e) => problemsOf(e, path, fields, input));
    return [{ path, field: fieldPath(path), message: "must be a string or an object" }];
  }
  return [{ path, field: fieldPath(path), message: issue.message }];
}

/** Why `key` is refused in the object at `path`, with the fields that object may have. */
function unknownField(path: (string | number)[], key: string, fields: string[], input: unknown): string {
  const at = path.map((p) => (typeof p === "number" ? "#" : p)).join(".");
  if (at === "automations.#") return unknownAutomationField(valueAt(input, path), key);
  const known: Record<string, string[]> = {
    "": fields,
    triggers: ["events", "schedules"],
    "triggers.events.#": Object.keys(eventTrigger.shape),
    "triggers.schedules.#": Object.keys(scheduleTrigger.shape),
  };
  return `is not a known field${known[at] ? ` (${known[at].join(", ")})` : ""}`;
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let value = input;
  for (const part of path) value = (value as Record<string | number, unknown> | undefined)?.[part];
  return value;
}

/** triggers.events[0].priority */
export function fieldPath(path: PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out;
}

/** What starts the function, in one shape whichever way it was declared. */
export interface Triggers {
  /** triggers.events (a bare string is the short form of `{ event }`), then the entity automations'. */
  events: EventTrigger[];
  /** triggers.schedules, then the scheduled automations. */
  schedules: ScheduleSpec[];
}

/**
 * `now` places an automation's start written as a time of day ("09:00") on the day it is read;
 * `timezone` is the server's default for schedules that name none (Base44 automations are UTC).
 */
export function normalizeTriggers(config: FunctionConfig, now = new Date(), timezone?: string): Triggers {
  const automations = automationTriggers(config.automations ?? [], now);
  return {
    events: [
      ...(config.triggers?.events ?? []).map((e) => (typeof e === "string" ? { event: e } : e)),
      ...automations.events,
    ],
    schedules: [
      ...(config.triggers?.schedules ?? []).map((s) => scheduleTriggerSpec(s, timezone)),
      ...automations.schedules,
    ],
  };
}

/** SPEC §3: `user` by default, but a function started by events, schedules or automations is for admins only. */
export function accessOf(config: FunctionConfig): Access {
  if (config.access) return config.access;
  const declared = [config.triggers?.events, config.triggers?.schedules, config.automations];
  return declared.some((list) => (list?.length ?? 0) > 0) ? "admin" : "user";
}
