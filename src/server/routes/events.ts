// /api/events: publish custom events (any signed-in user), the catalogue with subscriber counts, the
// stored events, replays and traces (admins). Domain code in src/events.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { listEventTypes } from "../../events/eventTypes.js";
import { getEvent, listEvents } from "../../events/listEvents.js";
import { publishEvent } from "../../events/publishEvent.js";
import { replayEvent } from "../../events/replay.js";
import { traceOf as traceChain } from "../../events/trace.js";
import { pageSchema } from "../../query/page.js";
import type { App } from "../app.js";
import { traceOf } from "../traceOf.js";

const tags = ["events"];
const idParams = z.object({ id: z.string().min(1).max(200) });
const eventType = z
  .string({ error: "type must be a string" })
  .describe("A custom event type such as order_placed (system types are fired by the platform)");
const data = z
  .record(z.string(), z.unknown(), { error: 'data must be a JSON object, e.g. { "orderId": 123 }' })
  .optional();

export function eventRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.post(
    "/events",
    {
      schema: {
        tags,
        summary: "Publish a custom event to its subscribers (any signed-in user)",
        body: z.object({ type: eventType, data }),
      },
    },
    async (request, reply) => {
      const { type, data: payload } = request.body;
      const published = await publishEvent(
        deps,
        { principal: request.principal, ...traceOf(request) },
        type,
        payload,
      );
      return reply.status(202).send(published);
    },
  );

  app.get(
    "/events/types",
    {
      schema: { tags, summary: "Every event type: description, payload, subscriber counts" },
      preValidation: adminOnly,
    },
    async (request) => ({ items: await listEventTypes(deps, request.principal) }),
  );

  app.get(
    "/events",
    {
      schema: {
        tags,
        summary: "Stored events, newest first",
        querystring: pageSchema.extend({
          type: z.string().max(100).optional(),
          cause: z.string().max(200).optional().describe("Events caused by this request or execution id"),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => {
      const { limit, offset, type, cause } = request.query;
      return {
        items: await listEvents(deps, request.principal, { limit, offset, type, cause }),
        limit,
        offset,
      };
    },
  );

  app.get(
    "/events/:id",
    {
      schema: { tags, summary: "One event with its deliveries", params: idParams },
      preValidation: adminOnly,
    },
    async (request) => getEvent(deps, request.principal, request.params.id),
  );

  app.post(
    "/events/:id/replay",
    {
      schema: {
        tags,
        summary: "Deliver a stored event again to every active subscription of its type (optionally edited)",
        params: idParams,
        body: z.object({ data }).nullable().optional(),
      },
      preValidation: adminOnly,
    },
    async (request, reply) => {
      const deliveries = await replayEvent(deps, request.principal, request.params.id, request.body?.data);
      return reply.status(201).send({ deliveries });
    },
  );

  app.get(
    "/traces/:id",
    {
      schema: {
        tags,
        summary: "The causal chain around a request, event, delivery or execution",
        params: idParams,
      },
      preValidation: adminOnly,
    },
    async (request) => traceChain(deps, request.principal, request.params.id),
  );
}
