// /api/users (admins only): list and query with the records filter language, create, read,
// change any field, delete. Domain in src/users.
import { traceOf } from "../traceOf.js";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import { parseFilter, parseFilterParam } from "../../query/filter.js";
import { pageSchema } from "../../query/page.js";
import { parseSort } from "../../query/sort.js";
import { createUser } from "../../users/createUser.js";
import { deleteUser } from "../../users/deleteUser.js";
import { getUser } from "../../users/getUser.js";
import { listUsers } from "../../users/listUsers.js";
import { updateUser } from "../../users/updateUser.js";
import { emailSchema, fullNameSchema, passwordSchema, roleSchema } from "../../users/userFields.js";
import type { App } from "../app.js";

const tags = ["users"];

const listQuery = pageSchema.extend({
  filter: z.string().max(100_000).optional().describe('A JSON filter, e.g. {"isPaid":false}'),
  sort: z.string().max(1000).optional().describe("Fields, '-' for descending: -createdAt,email"),
});

const queryBody = pageSchema.extend({
  filter: z.record(z.string(), z.unknown()).nullable().optional(),
  sort: z.union([z.string().max(1000), z.array(z.string().max(200)).max(5)]).optional(),
});

const createBody = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    full_name: fullNameSchema.optional(),
    role: roleSchema.optional(),
  })
  .catchall(z.unknown());

const idParams = z.object({ id: z.string().min(1).max(200) });

export function userRoutes(app: App, deps: Deps): void {
  // Before validation, so callers without rights learn that first, whatever they sent.
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.get(
    "/users",
    { schema: { tags, summary: "List users", querystring: listQuery }, preValidation: adminOnly },
    async (request) => {
      const { filter, sort, limit, offset } = request.query;
      return listUsers(deps, request.principal, {
        filter: parseFilterParam(filter),
        sort: parseSort(sort),
        limit,
        offset,
      });
    },
  );

  app.post(
    "/users/query",
    {
      schema: { tags, summary: "Query users with a filter in the body", body: queryBody },
      preValidation: adminOnly,
    },
    async (request) => {
      const { filter, sort, limit, offset } = request.body;
      return listUsers(deps, request.principal, {
        filter: parseFilter(filter),
        sort: parseSort(Array.isArray(sort) ? sort.join(",") : sort),
        limit,
        offset,
      });
    },
  );

  app.post(
    "/users",
    { schema: { tags, summary: "Create a user", body: createBody }, preValidation: adminOnly },
    async (request, reply) =>
      reply.status(201).send(await createUser(deps, request.principal, request.body, traceOf(request))),
  );

  app.get(
    "/users/:id",
    { schema: { tags, summary: "Read a user", params: idParams }, preValidation: adminOnly },
    async (request) => getUser(deps, request.principal, request.params.id),
  );

  app.patch(
    "/users/:id",
    {
      schema: {
        tags,
        summary: "Change any field; null removes an extra field",
        params: idParams,
        body: z.record(z.string(), z.unknown()),
      },
      preValidation: adminOnly,
    },
    async (request) => updateUser(deps, request.principal, request.params.id, request.body, traceOf(request)),
  );

  app.delete(
    "/users/:id",
    { schema: { tags, summary: "Delete a user", params: idParams }, preValidation: adminOnly },
    async (request, reply) => {
      await deleteUser(deps, request.principal, request.params.id, traceOf(request));
      return reply.status(204).send();
    },
  );
}
