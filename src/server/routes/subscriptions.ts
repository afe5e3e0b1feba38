// /api/subscriptions (admins): which functions run for which event types, in what order. Domain code
// in src/events/subscriptions.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { createSubscription } from "../../events/subscriptions/createSubscription.js";
import { listSubscriptions } from "../../events/subscriptions/listSubscriptions.js";
import { deleteSubscription, updateSubscription } from "../../events/subscriptions/updateSubscription.js";
import type { App } from "../app.js";

const tags = ["events"];
const idParams = z.object({ id: z.string().min(1).max(200) });

const settings = {
  priority: z
    .number({ error: "priority must be a number" })
    .int("priority must be a whole number")
    .optional(),
  active: z.boolean({ error: "active must be true or false" }).optional(),
  filter: z
    .record(z.string(), z.unknown(), {
      error: 'filter must be a filter object, e.g. { "collection": "orders" }',
    })
    .nullable()
    .optional()
    .describe("Matched against the event payload, in the filter language of records"),
  on_error: z
    .enum(["block", "allow"], { error: 'on_error must be "block" or "allow"' })
    .optional()
    .describe("PRE only: whether a handler that fails blocks the action (default) or lets it go on"),
};

export function subscriptionRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.get(
    "/subscriptions",
    {
      schema: {
        tags,
        summary: "Subscriptions, by event type and priority",
        querystring: z.object({
          event: z.string().max(100).optional(),
          function: z.string().max(200).optional(),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => ({
      items: await listSubscriptions(deps, request.principal, {
        event: request.query.event,
        function: request.query.function,
      }),
    }),
  );

  app.post(
    "/subscriptions",
    {
      schema: {
        tags,
        summary: "Subscribe a function to an event type",
        body: z.object({
          event: z.string({ error: "event must be an event type" }),
          function: z.string({ error: "function must be a function name" }).min(1).max(200),
          ...settings,
        }),
      },
      preValidation: adminOnly,
    },
    async (request, reply) =>
      reply.status(201).send(await createSubscription(deps, request.principal, request.body)),
  );

  app.patch(
    "/subscriptions/:id",
    {
      schema: { tags, summary: "Change a subscription", params: idParams, body: z.object(settings) },
      preValidation: adminOnly,
    },
    async (request) => updateSubscription(deps, request.principal, request.params.id, request.body),
  );

  app.delete(
    "/subscriptions/:id",
    { schema: { tags, summary: "Unsubscribe", params: idParams }, preValidation: adminOnly },
    async (request, reply) => {
      await deleteSubscription(deps, request.principal, request.params.id);
      return reply.status(204).send();
    },
  );
}
