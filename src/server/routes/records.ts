// /api/records/:collection: JSON documents in named collections. Each route validates its input,
// calls one function of src/records and answers; who may do what is decided there.
import { traceOf } from "../traceOf.js";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { UnauthorizedError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import type { ActionContext } from "../../events/pipeline.js";
import { parseFilter, parseFilterParam } from "../../query/filter.js";
import { pageSchema } from "../../query/page.js";
import { parseSort } from "../../query/sort.js";
import { createRecord } from "../../records/createRecord.js";
import { deleteRecord } from "../../records/deleteRecord.js";
import { getRecord } from "../../records/getRecord.js";
import { listRecords } from "../../records/listRecords.js";
import { updateRecord } from "../../records/updateRecord.js";
import type { App } from "../app.js";

const tags = ["records"];

const collectionParams = z.object({
  collection: z.string().describe("Letters, digits, _ and -, starting with a letter; `users` is reserved"),
});
const recordParams = collectionParams.extend({ id: z.string().min(1).max(200) });

const fields = z
  .record(z.string(), z.unknown(), {
    error: 'The body must be a JSON object of fields, e.g. {"title": "Buy milk"}',
  })
  .describe("Your fields; id, ownerId, createdAt and updatedAt are set by the server and ignored here");

const record = z
  .looseObject({
    id: z.string(),
    ownerId: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .describe("A record: the system fields and your fields");

const page = z.object({
  items: z.array(record),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

const listQuery = pageSchema.extend({
  filter: z
    .string()
    .max(100_000)
    .optional()
    .describe('A JSON filter, e.g. {"status":"open","dueAt":{"$lte":"2030-01-01T00:00:00Z"}}'),
  sort: z.string().max(1000).optional().describe("Fields, '-' for descending: -createdAt,title"),
});

const queryBody = pageSchema
  .extend({
    filter: z
      .record(z.string(), z.unknown(), { error: "filter must be a JSON object" })
      .nullable()
      .optional()
      .describe('A filter object, e.g. {"$or":[{"plan":"pro"},{"seats":{"$gt":5}}]}'),
    sort: z
      .union([z.string().max(1000), z.array(z.string().max(200)).max(5)])
      .optional()
      .describe("'-createdAt,title' or ['-createdAt', 'title']"),
  })
  // No body at all (Fastify hands that over as null) is the plain listing.
  .nullable();

function context(request: FastifyRequest): ActionContext {
  return { principal: request.principal, ...traceOf(request) };
}

/** Writes need a signed-in caller; say so before complaining about the body. */
async function signedIn(request: FastifyRequest): Promise<void> {
  if (request.principal.kind === "anonymous") {
    throw new UnauthorizedError("Sign in to write records: send 'Authorization: Bearer <token>'");
  }
}

export function recordRoutes(app: App, deps: Deps): void {
  app.post(
    "/records/:collection",
    {
      schema: {
        tags,
        summary: "Create a record, owned by the caller",
        params: collectionParams,
        body: fields,
        response: { 201: record },
      },
      preValidation: signedIn,
    },
    async (request, reply) => {
      const created = await createRecord(deps, context(request), request.params.collection, request.body);
      return reply.status(201).send(created);
    },
  );

  app.get(
    "/records/:collection",
    {
      schema: {
        tags,
        summary: "List the records you may read, filtered, sorted and paged",
        params: collectionParams,
        querystring: listQuery,
        response: { 200: page },
      },
    },
    async (request) => {
      const { filter, sort, limit, offset } = request.query;
      return listRecords(deps, request.principal, request.params.collection, {
        filter: parseFilterParam(filter),
        sort: parseSort(sort),
        limit,
        offset,
      });
    },
  );

  app.post(
    "/records/:collection/query",
    {
      schema: {
        tags,
        summary: "The same as the list, with the filter in the body (for long filters)",
        params: collectionParams,
        body: queryBody,
        response: { 200: page },
      },
    },
    async (request) => {
      const { filter, sort, limit, offset } = request.body ?? {};
      return listRecords(deps, request.principal, request.params.collection, {
        filter: parseFilter(filter),
        sort: parseSort(Array.isArray(sort) ? sort.join(",") : sort),
        limit,
        offset,
      });
    },
  );

  app.get(
    "/records/:collection/:id",
    {
      schema: { tags, summary: "Read one record", params: recordParams, response: { 200: record } },
    },
    async (request) => getRecord(deps, request.principal, request.params.collection, request.params.id),
  );

  app.patch(
    "/records/:collection/:id",
    {
      schema: {
        tags,
        summary: "Merge top-level fields into your record; null removes a field",
        params: recordParams,
        body: fields,
        response: { 200: record },
      },
      preValidation: signedIn,
    },
    async (request) =>
      updateRecord(deps, context(request), request.params.collection, request.params.id, request.body),
  );

  app.delete(
    "/records/:collection/:id",
    {
      schema: { tags, summary: "Delete your record", params: recordParams },
      preValidation: signedIn,
    },
    async (request, reply) => {
      await deleteRecord(deps, context(request), request.params.collection, request.params.id);
      return reply.status(204).send();
    },
  );
}
