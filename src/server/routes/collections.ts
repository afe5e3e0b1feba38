// /api/collections (admins only): the collections that exist and who may read their records.
// Domain in src/records.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { READ_RULES } from "../../records/collection.js";
import { listCollections, setReadRule } from "../../records/readRule.js";
import type { App } from "../app.js";

const tags = ["collections"];

const collection = z.object({
  name: z.string(),
  read: z.enum(READ_RULES),
  createdAt: z.string(),
});

const ruleBody = z.object({
  read: z
    .enum(READ_RULES, "read must be 'owner', 'users' or 'public'")
    .describe("owner: only the record's owner; users: any signed-in user; public: anyone"),
});

export function collectionRoutes(app: App, deps: Deps): void {
  // Before validation, so callers without rights learn that first, whatever they sent.
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.get(
    "/collections",
    {
      schema: {
        tags,
        summary: "List collections and their read rules",
        response: { 200: z.object({ items: z.array(collection) }) },
      },
      preValidation: adminOnly,
    },
    async (request) => ({ items: await listCollections(deps, request.principal) }),
  );

  app.put(
    "/collections/:name",
    {
      schema: {
        tags,
        summary: "Set who may read a collection's records (creates the collection if needed)",
        params: z.object({ name: z.string() }),
        body: ruleBody,
        response: { 200: collection },
      },
      preValidation: adminOnly,
    },
    async (request) => setReadRule(deps, request.principal, request.params.name, request.body.read),
  );
}
