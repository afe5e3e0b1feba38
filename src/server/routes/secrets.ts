// /api/secrets (admins only): set, list (names only) and delete the secrets functions read as
// `env.NAME`. Domain code in src/functions/secrets.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { deleteSecret } from "../../functions/secrets/deleteSecret.js";
import { listSecrets } from "../../functions/secrets/listSecrets.js";
import { setSecret } from "../../functions/secrets/setSecret.js";
import type { App } from "../app.js";

const tags = ["secrets"];

const nameParams = z.object({
  name: z.string().describe("Letters, digits and _, not starting with a digit: STRIPE_API_KEY"),
});

const item = z.object({ name: z.string(), createdAt: z.string(), updatedAt: z.string() });

export function secretRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.put(
    "/secrets/:name",
    {
      schema: {
        tags,
        summary: "Set a secret (encrypted at rest); replaces the value of an existing one",
        params: nameParams,
        body: z.object({ value: z.string({ error: "value must be a string" }) }),
        response: { 200: item.extend({ created: z.boolean() }) },
      },
      preValidation: adminOnly,
    },
    async (request) => setSecret(deps, request.params.name, request.body.value),
  );

  app.get(
    "/secrets",
    {
      schema: {
        tags,
        summary: "The secrets' names (never their values)",
        response: { 200: z.object({ items: z.array(item) }) },
      },
      preValidation: adminOnly,
    },
    async () => listSecrets(deps.db),
  );

  app.delete(
    "/secrets/:name",
    { schema: { tags, summary: "Delete a secret", params: nameParams }, preValidation: adminOnly },
    async (request, reply) => {
      await deleteSecret(deps.db, request.params.name);
      return reply.status(204).send();
    },
  );
}
