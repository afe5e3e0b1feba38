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
  priority: z.number().int("must be a whole number").optional(),
  active: z.boolean().optional(),
  filter: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional(),
  on_error: z.enum(["block", "allow"], { error: 'must be "block" or "allow"' }).optional(),
});

const scheduleTrigger = z.strictObject({
  schedule: scheduleExpr,
  timezone: timeZone.optional(),
  catch_up: z.enum(["none", "one", "all"], { error: 'must be "none", "one" or "all"' }).optional(),
  overlap: z.boolean().optional(),
  payload: z.unknown().optional(),
  name: z.string().min(1).max(100).optional(),
});

export function functionConfigSchema(limits: Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">) {
  const maxMemory = Math.max(MEMORY_CEILING_MB, limits.memoryMb);
  return z.strictObject({
    name: z.string().optional(),
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

/** Validates a function.jsonc object; the message names each field at fault. */
export function parseFunctionConfig(
  input: unknown,
  limits: Pick<Config["functions"], "maxTimeoutMs" | "memoryMb">,
  where = "function.jsonc",
): FunctionConfig {
  const result = functionConfigSchema(limits).safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 10).map((issue) => {
    const field = fieldPath(issue.path);
    return field ? `${field} ${issue.message}` : issue.message;
  });
  throw new ValidationError(`${where}: ${problems.join("; ")}`, { issues: result.error.issues });
}

/** triggers.events[0].priority */
function fieldPath(path: PropertyKey[]): string {
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
