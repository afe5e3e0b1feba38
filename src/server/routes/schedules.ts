// /api/schedules (admins): schedules and one-off runs, their next runs, "run now", and their history
// of ticks. Domain code in src/schedules.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { createSchedule } from "../../schedules/createSchedule.js";
import { getSchedule, listSchedules, listTicks } from "../../schedules/listSchedules.js";
import { previewSchedule } from "../../schedules/previewSchedule.js";
import { runScheduleNow } from "../../schedules/runScheduleNow.js";
import { deleteSchedule, updateSchedule } from "../../schedules/updateSchedule.js";
import type { App } from "../app.js";

const tags = ["schedules"];
const refParams = z.object({ ref: z.string().min(1).max(200) });
const expression = z
  .string({ error: 'schedule must be a cron ("0 9 * * *") or a phrase ("daily at 9 AM")' })
  .min(1, "schedule is empty")
  .max(200, "schedule is longer than 200 characters");
const timezone = z
  .string({ error: "timezone must be an IANA time zone such as Europe/Paris" })
  .max(100)
  .optional();
const policies = {
  catch_up: z
    .enum(["none", "one", "all"], { error: 'catch_up must be "none", "one" or "all"' })
    .optional()
    .describe("What runs for ticks missed while no node ran: none, one run (default), or all of them"),
  overlap: z
    .enum(["skip", "allow"], { error: 'overlap must be "skip" or "allow"' })
    .optional()
    .describe("Whether a tick runs while the previous run is still going (default skip)"),
  active: z.boolean({ error: "active must be true or false" }).optional(),
  description: z.string({ error: "description must be a string" }).max(500).optional(),
};
const count = z.coerce
  .number({ error: "next must be a number" })
  .int("next must be a whole number")
  .min(0, "next must be 0 or more")
  .max(100, "next must be at most 100");

export function scheduleRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.get(
    "/schedules",
    {
      schema: {
        tags,
        summary: "Schedules and one-off runs, with their next run (and the next N with ?next=N)",
        querystring: z.object({
          function: z.string().max(200).optional(),
          kind: z.enum(["recurring", "once"], { error: 'kind must be "recurring" or "once"' }).optional(),
          next: count.optional(),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => ({ items: await listSchedules(deps, request.principal, request.query) }),
  );

  app.post(
    "/schedules",
    {
      schema: {
        tags,
        summary: "Schedule a function: recurring (schedule) or once (at, after_ms)",
        body: z.object({
          function: z.string({ error: "function must be a function name" }).min(1).max(200),
          name: z.string({ error: "name must be a string" }).max(100).optional(),
          schedule: expression.optional(),
          at: z.string({ error: "at must be an ISO-8601 date-time" }).max(100).optional(),
          after_ms: z
            .number({ error: "after_ms must be a number of milliseconds" })
            .int("after_ms must be a whole number")
            .min(0, "after_ms must be 0 or more")
            .optional(),
          timezone,
          payload: z.unknown().optional(),
          ends_at: z.string({ error: "ends_at must be an ISO-8601 date-time" }).max(100).optional(),
          max_runs: z
            .number({ error: "max_runs must be a number" })
            .int("max_runs must be a whole number")
            .min(1, "max_runs must be at least 1")
            .optional(),
          ...policies,
        }),
      },
      preValidation: adminOnly,
    },
    async (request, reply) =>
      reply.status(201).send(await createSchedule(deps, request.principal, request.body)),
  );

  app.post(
    "/schedules/preview",
    {
      schema: {
        tags,
        summary: "What a cron or phrase means (its cron) and its next runs, without saving anything",
        body: z.object({
          schedule: expression,
          timezone,
          count: count.optional(),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => previewSchedule(request.body, deps.clock.now(), deps.config.schedules.timezone),
  );

  app.get(
    "/schedules/:ref",
    {
      schema: {
        tags,
        summary: "One schedule (by name or id) with its next runs",
        params: refParams,
        querystring: z.object({ next: count.optional() }),
      },
      preValidation: adminOnly,
    },
    async (request) => getSchedule(deps, request.principal, request.params.ref, request.query.next ?? 5),
  );

  app.patch(
    "/schedules/:ref",
    {
      schema: {
        tags,
        summary: "Change a schedule: switch it on or off, its payload, timing or policies",
        params: refParams,
        body: z.object({
          name: z.string({ error: "name must be a string" }).max(100).optional(),
          schedule: expression.optional(),
          timezone,
          payload: z.unknown().optional(),
          ends_at: z
            .string({ error: "ends_at must be an ISO-8601 date-time" })
            .max(100)
            .nullable()
            .optional(),
          max_runs: z
            .number({ error: "max_runs must be a number" })
            .int("max_runs must be a whole number")
            .min(1, "max_runs must be at least 1")
            .nullable()
            .optional(),
          ...policies,
          description: z.string({ error: "description must be a string" }).max(500).nullable().optional(),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => updateSchedule(deps, request.principal, request.params.ref, request.body),
  );

  app.delete(
    "/schedules/:ref",
    {
      schema: { tags, summary: "Delete a schedule (cancels a one-off run)", params: refParams },
      preValidation: adminOnly,
    },
    async (request, reply) => {
      await deleteSchedule(deps, request.principal, request.params.ref);
      return reply.status(204).send();
    },
  );

  app.post(
    "/schedules/:ref/run",
    {
      schema: {
        tags,
        summary: "Run a schedule's function now, with its payload; answered when it ends",
        params: refParams,
      },
      preValidation: adminOnly,
    },
    async (request) => runScheduleNow(deps, request.principal, request.params.ref),
  );

  app.get(
    "/schedules/:ref/ticks",
    {
      schema: {
        tags,
        summary: "A schedule's history: every tick taken (run, skipped, missed), newest first",
        params: refParams,
        querystring: z.object({
          status: z
            .enum(["pending", "running", "done", "failed", "interrupted", "skipped", "missed"], {
              error: "status must be pending, running, done, failed, interrupted, skipped or missed",
            })
            .optional(),
          limit: z.coerce
            .number({ error: "limit must be a number" })
            .int("limit must be a whole number")
            .min(1, "limit must be at least 1")
            .max(1000, "limit must be at most 1000")
            .optional(),
          before: z.string({ error: "before must be an ISO-8601 date-time" }).max(100).optional(),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => ({
      items: await listTicks(deps, request.principal, request.params.ref, request.query),
    }),
  );
}
