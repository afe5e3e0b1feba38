// function.jsonc (SPEC §10): the schema, the messages that name the field at fault, and what a
// config implies (the entry file, the default access, the triggers in one shape).
import { z } from "zod";
import type { Config } from "../../config/config.js";
import { ValidationError } from "../../core/errors.js";

export const ACCESS_LEVELS = ["public", "user", "admin"] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** Memory a function may ask for, unless the server's default is already higher. */
const MEMORY_CEILING_MB = 1024;

const eventType = z
  .string()
  .min(1, "is empty")
  .max(100, "is longer than 100 characters")
  .regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, "must be an event type such as POST_USER_CREATE or order_placed");

const scheduleExpr = z
  .string()
  .trim()
  .min(1, "is empty")
  .max(200, "is longer than 200 characters")
  .describe('A cron expression ("0 9 * * *") or a phrase ("daily at 9 AM")');

const timeZone = z
  .string()
  .refine(isTimeZone, { error: "is not an IANA time zone such as Europe/Paris or UTC" });

const eventTrigger = z.strictObject({
  event: eventType,
  priority: z.number({ error: "must be a number" }).int("must be a whole number").optional(),
  active: z.boolean({ error: "must be true or false" }).optional(),
  filter: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional(),
  on_error: z.enum(["block", "allow"], { error: 'must be "block" or "allow"' }).optional(),
});

const scheduleTrigger = z.strictObject({
  schedule: scheduleExpr,
  timezone: timeZone.optional(),
  catch_up: z.enum(["none", "one", "all"], { error: 'must be "none", "one" or "all"' }).optional(),
  overlap: z.boolean({ error: "must be true or false" }).optional(),
  payload: z.unknown().optional(),
  name: z
    .string({ error: "must be a string" })
    .min(1, "is empty")
    .max(100, "is longer than 100 characters")
    .optional(),
});

export function functionConfigSchema(limits: Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">) {
  const maxMemory = Math.max(MEMORY_CEILING_MB, limits.memoryMb);
  return z.strictObject({
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
        schedules: z.array(z.union([scheduleExpr, scheduleTrigger])).optional(),
      })
      .optional(),
  });
}

export type FunctionConfig = z.infer<ReturnType<typeof functionConfigSchema>>;
export type EventTrigger = z.infer<typeof eventTrigger>;
export type ScheduleTrigger = z.infer<typeof scheduleTrigger>;

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
  return { problems: result.error.issues.flatMap((issue) => problemsOf(issue, [], fields)) };
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
}

function problemsOf(issue: Issue, prefix: (string | number)[], fields: string[]): ConfigProblem[] {
  const path = [...prefix, ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))];
  if (issue.code === "unrecognized_keys") {
    const known = path.length === 0 ? fields : knownFields(path);
    return (issue.keys ?? []).map((key) => ({
      path: [...path, key],
      field: fieldPath([...path, key]),
      message: `is not a known field${known ? ` (${known.join(", ")})` : ""}`,
    }));
  }
  if (issue.code === "invalid_union" && issue.errors) {
    // A trigger is a string or an object: explain the branch the value was meant for, the one that
    // got past the value's type.
    const meant = issue.errors.find(
      (branch) => !branch.some((e) => e.code === "invalid_type" && !e.path.length),
    );
    if (meant) return meant.flatMap((e) => problemsOf(e, path, fields));
    return [{ path, field: fieldPath(path), message: "must be a string or an object" }];
  }
  return [{ path, field: fieldPath(path), message: issue.message }];
}

/** The fields a nested object in function.jsonc may have, for "is not a known field" messages. */
function knownFields(path: (string | number)[]): string[] | undefined {
  const at = path.map((p) => (typeof p === "number" ? "#" : p)).join(".");
  if (at === "triggers") return ["events", "schedules"];
  if (at === "triggers.events.#") return Object.keys(eventTrigger.shape);
  if (at === "triggers.schedules.#") return Object.keys(scheduleTrigger.shape);
  return undefined;
}

/** triggers.events[0].priority */
export function fieldPath(path: PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out;
}

/** Triggers with every entry in object form (a bare string is the short form of `{ event }` / `{ schedule }`). */
export interface Triggers {
  events: EventTrigger[];
  schedules: ScheduleTrigger[];
}

export function normalizeTriggers(config: FunctionConfig): Triggers {
  return {
    events: (config.triggers?.events ?? []).map((e) => (typeof e === "string" ? { event: e } : e)),
    schedules: (config.triggers?.schedules ?? []).map((s) => (typeof s === "string" ? { schedule: s } : s)),
  };
}

/** SPEC §3: `user` by default, but a function started by events or schedules is for admins only. */
export function accessOf(config: FunctionConfig): Access {
  if (config.access) return config.access;
  const triggers = normalizeTriggers(config);
  return triggers.events.length > 0 || triggers.schedules.length > 0 ? "admin" : "user";
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
