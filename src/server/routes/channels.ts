// /api/channels: admins and servers send into a channel (members receive it like any message; chan_in
// fires when asked), and see which channels have members and who they are. Clients use GET /realtime.
// Domain code in src/channels.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import { channelMembers, listChannels } from "../../channels/listChannels.js";
import { sendMessage } from "../../channels/sendMessage.js";
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";
import { traceOf } from "../traceOf.js";

const tags = ["channels"];
const channelParams = z.object({ channel: z.string().min(1).max(200) });

export function channelRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.post(
    "/channels/:channel/messages",
    {
      schema: {
        tags,
        summary: "Send a message to a channel's members (admin key or admin user)",
        params: channelParams,
        body: z.object({
          message: z.unknown().describe("Any JSON; members receive it as the message frame's `message`"),
          event: z
            .boolean({ error: "event must be true or false" })
            .optional()
            .describe("Also fire chan_in (POST_CHANNEL_MESSAGE); off by default for admins and servers"),
        }),
      },
      preValidation: adminOnly,
    },
    async (request, reply) => {
      const sent = await sendMessage(
        deps,
        { principal: request.principal, ...traceOf(request) },
        request.params.channel,
        request.body.message,
        { event: request.body.event ?? false },
      );
      return reply.status(201).send(sent);
    },
  );

  app.get(
    "/channels",
    {
      schema: { tags, summary: "Channels with connected members, across all nodes (admin)" },
      preValidation: adminOnly,
    },
    async (request) => ({ items: await listChannels(deps, request.principal) }),
  );

  app.get(
    "/channels/:channel/members",
    {
      schema: { tags, summary: "The signed-in users connected to a channel (admin)", params: channelParams },
      preValidation: adminOnly,
    },
    async (request) => ({ items: await channelMembers(deps, request.principal, request.params.channel) }),
  );
}
