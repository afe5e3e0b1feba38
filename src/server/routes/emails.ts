// /api/emails (admins only): the outbox, newest first. Domain in src/email.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { EMAIL_STATUSES, listEmails } from "../../email/listEmails.js";
import { pageSchema } from "../../query/page.js";
import type { App } from "../app.js";

const listQuery = pageSchema.extend({ status: z.enum(EMAIL_STATUSES).optional() });

export function emailRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.get(
    "/emails",
    {
      schema: { tags: ["emails"], summary: "The email outbox, newest first", querystring: listQuery },
      preValidation: adminOnly,
    },
    async (request) => listEmails(deps, request.principal, request.query),
  );
}
