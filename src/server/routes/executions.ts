// Executions and their logs (admins only): list and filter runs, read one with its log lines, list
// log lines across runs, and follow new lines as server-sent events. Domain in
// src/functions/executions.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { EXECUTION_STATUSES, TRIGGERS } from "../../functions/executions/execution.js";
import { getExecution } from "../../functions/executions/getExecution.js";
import { listExecutions } from "../../functions/executions/listExecutions.js";
import { DEFAULT_LOG_LIMIT, listLogs } from "../../functions/executions/listLogs.js";
import { LOG_LEVELS } from "../../functions/executions/logLevels.js";
import { streamLogs } from "../../functions/executions/streamLogs.js";
import { dateMs } from "../../query/dates.js";
import { MAX_LIMIT, pageSchema } from "../../query/page.js";
import type { App } from "../app.js";

const tags = ["executions"];

/** An ISO-8601 date, answered in the one form the tables store (so text comparison is exact). */
const isoDate = z
  .string()
  .refine((v) => dateMs(v) !== undefined, "must be an ISO-8601 date such as 2030-01-01T09:00:00Z")
  .transform((v) => new Date(dateMs(v)!).toISOString());

const functionName = z.string().min(1).max(200);

const executionQuery = pageSchema.extend({
  function: functionName.optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  trigger: z.enum(TRIGGERS).optional(),
  cause: z.string().min(1).max(200).optional().describe("Runs caused by this request or execution id"),
  since: isoDate.optional().describe("Started at or after"),
  until: isoDate.optional().describe("Started before"),
});

const logQuery = z.object({
  function: functionName.optional(),
  execution: z.string().min(1).max(200).optional(),
  level: z.enum(LOG_LEVELS).optional().describe("This level and above"),
  since: isoDate.optional(),
  until: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LOG_LIMIT),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

const streamQuery = z.object({ function: functionName.optional(), level: z.enum(LOG_LEVELS).optional() });

/** A reader that stopped reading is dropped rather than buffered for without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export function executionRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };
  const open = new Set<() => void>();
  // Streams never end by themselves: close them so the server can stop.
  app.addHook("preClose", async () => {
    for (const close of open) close();
  });

  app.get(
    "/executions",
    {
      schema: { tags, summary: "Executions, newest first", querystring: executionQuery },
      preValidation: adminOnly,
    },
    async (request) => {
      const { cause, ...query } = request.query;
      return listExecutions(deps, request.principal, { ...query, ...(cause ? { causeId: cause } : {}) });
    },
  );

  app.get(
    "/executions/:id",
    {
      schema: {
        tags,
        summary: "One execution with its log lines",
        params: z.object({ id: z.string().min(1).max(200) }),
      },
      preValidation: adminOnly,
    },
    async (request) => getExecution(deps, request.principal, request.params.id),
  );

  app.get(
    "/logs",
    {
      schema: { tags, summary: "Log lines of executions, newest first", querystring: logQuery },
      preValidation: adminOnly,
    },
    async (request) => {
      const { execution, ...query } = request.query;
      return listLogs(deps, request.principal, {
        ...query,
        ...(execution ? { executionId: execution } : {}),
      });
    },
  );

  app.get(
    "/logs/stream",
    {
      schema: {
        tags,
        summary: "New log lines as server-sent events (one JSON log line per `data:`)",
        querystring: streamQuery,
      },
      preValidation: adminOnly,
    },
    async (request, reply) => {
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      });
      // A comment first: the client knows the stream is open before any line arrives.
      res.write(": connected\n\n");
      const stop = streamLogs(deps, request.principal, request.query, (line) => {
        res.write(`id: ${line.id}\ndata: ${JSON.stringify(line)}\n\n`);
        if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
      });
      const heartbeat = setInterval(() => res.write(": ping\n\n"), HEARTBEAT_MS);
      heartbeat.unref();
      const close = () => {
        stop();
        clearInterval(heartbeat);
        open.delete(close);
        if (!res.writableEnded) res.end();
      };
      open.add(close);
      res.on("close", close);
    },
  );
}
