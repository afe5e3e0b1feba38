// /api/deliveries (admins): POST events handed to subscriptions — pending, running, done, dead — and
// replays. Domain code in src/events.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { DELIVERY_STATUSES } from "../../events/eventItems.js";
import { getDelivery, listDeliveries } from "../../events/listEvents.js";
import { replayDelivery } from "../../events/replay.js";
import { pageSchema } from "../../query/page.js";
import type { App } from "../app.js";

const tags = ["events"];
const idParams = z.object({ id: z.string().min(1).max(200) });

export function deliveryRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.get(
    "/deliveries",
    {
      schema: {
        tags,
        summary: "Deliveries, newest first",
        querystring: pageSchema.extend({
          status: z.enum(DELIVERY_STATUSES).optional(),
          event: z.string().max(100).optional(),
          function: z.string().max(200).optional(),
          event_id: z.string().max(200).optional(),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => {
      const { limit, offset, status, event, event_id: eventId } = request.query;
      const items = await listDeliveries(deps, request.principal, {
        limit,
        offset,
        status,
        event,
        function: request.query.function,
        eventId,
      });
      return { items, limit, offset };
    },
  );

  app.get(
    "/deliveries/:id",
    {
      schema: { tags, summary: "One delivery with the payload it delivers", params: idParams },
      preValidation: adminOnly,
    },
    async (request) => getDelivery(deps, request.principal, request.params.id),
  );

  app.post(
    "/deliveries/:id/replay",
    {
      schema: {
        tags,
        summary: "Deliver the same event to the same subscription again (optionally with edited data)",
        params: idParams,
        body: z
          .object({
            data: z.record(z.string(), z.unknown(), { error: "data must be a JSON object" }).optional(),
          })
          .nullable()
          .optional(),
      },
      preValidation: adminOnly,
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await replayDelivery(deps, request.principal, request.params.id, request.body?.data)),
  );
}
