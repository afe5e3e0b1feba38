// /api/functions (admins only): deploy, read, list, delete, versions and rollback. Names may be
// nested (email/send) and appear in URLs as they are: /api/functions/email/send. Domain code in
// src/functions/deploy and src/functions/catalog. Invoking is in ./invoke.ts. After a deploy or a
// rollback the version that now runs is prepared in the sandbox before the answer, so its first
// call is quick.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import { ValidationError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import { deleteFunction } from "../../functions/catalog/deleteFunction.js";
import { getActiveFunction } from "../../functions/catalog/getActiveFunction.js";
import { getFunction } from "../../functions/catalog/getFunction.js";
import { listFunctions } from "../../functions/catalog/listFunctions.js";
import { listVersions } from "../../functions/catalog/listVersions.js";
import { rollbackFunction } from "../../functions/catalog/rollbackFunction.js";
import { deployFunction } from "../../functions/deploy/deployFunction.js";
import { testRun } from "../../functions/invoke/testRun.js";
import type { App } from "../app.js";

const tags = ["functions"];
const PREFIX = "/api/functions/";

const nameParams = z.object({
  "*": z.string().describe("The function's name; nested names as they are: email/send"),
});

const deployBody = z.object({
  files: z
    .record(z.string(), z.string({ error: "each file must be a string of source code" }), {
      error: 'files must be an object of path -> source, e.g. {"entry.ts": "export default ..."}',
    })
    .describe(
      "Source files by relative path; the entry is entry.ts/entry.js/index.ts unless config.entry says",
    ),
  config: z
    .record(z.string(), z.unknown(), { error: "config must be a function.jsonc object" })
    .optional()
    .describe("function.jsonc: name, entry, access, timeout (ms), memory (MB), triggers"),
  bundle: z
    .object(
      {
        code: z
          .string({ error: "bundle.code must be the bundle's JavaScript" })
          .min(1, "bundle.code is empty"),
        sourceMap: z.string({ error: "bundle.sourceMap must be a source map as a string" }).optional(),
        form: z.enum(["default", "handler", "classic", "deno"], {
          error: 'bundle.form must be "default", "handler", "classic" or "deno"',
        }),
      },
      { error: "bundle must be { code, sourceMap?, form }" },
    )
    .optional()
    .describe(
      "Built by the CLI on the developer's machine (`backend functions deploy`): stored instead of " +
        "bundling files; files and config are still stored, and the hash covers all three",
    ),
});

const testBody = deployBody.extend({
  payload: z.unknown().optional().describe("The payload the function gets (its event's data with `event`)"),
  event: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, "must be an event type such as PRE_USER_CREATE or order_placed")
    .max(100)
    .optional()
    .describe("Run as a handler of this event type, with the payload as the event data"),
});

const getQuery = z.object({
  version: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .describe("Show this version's files instead of the active one"),
});

/** Nested names up to this many parts reach rollback as plain paths; deeper ones encode '/' as %2F. */
const MAX_NAME_PARTS = 8;
const rollbackBody = z
  .object({
    version: z
      .number({ error: "version must be a version number" })
      .int()
      .positive()
      .optional()
      .describe("The version to run; default: the one before the active version"),
  })
  .nullable()
  .optional();

/** How long a deploy or rollback waits for its version to be ready in the sandbox. */
const PREPARE_WAIT_MS = 1_000;

/**
 * Gets the active version of `name` ready in the sandbox (compiled, a context booted) before the
 * answer goes out, so that the first call after a deploy finds it warm. Bounded: a slow or failed
 * preparation only costs the first call its head start, never the deploy.
 */
async function prepareActive(deps: Deps, name: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const prepared = getActiveFunction(deps.db, name)
    .then((active) =>
      active
        ? deps.runtime.prepare(active.code, {
            memoryMb: active.config.memory ?? deps.config.functions.memoryMb,
          })
        : undefined,
    )
    .catch((error: unknown) =>
      deps.log.debug({ err: error, function: name }, "could not prepare a function"),
    );
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, PREPARE_WAIT_MS);
  });
  await Promise.race([prepared, waited]);
  clearTimeout(timer);
}

/** The parts of the path after /api/functions/, each decoded (a %2F stays inside its part). */
function pathParts(request: FastifyRequest): string[] {
  const path = request.url.split("?")[0]!.slice(PREFIX.length);
  try {
    return path.split("/").map(decodeURIComponent);
  } catch {
    throw new ValidationError(`The path ${request.url.split("?")[0]} is not valid percent-encoding`);
  }
}

export function functionRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };

  app.get(
    "/functions",
    { schema: { tags, summary: "List the deployed functions" }, preValidation: adminOnly },
    async () => listFunctions(deps.db),
  );

  app.put(
    "/functions/*",
    {
      schema: {
        tags,
        summary:
          "Deploy a function: compile, bundle (or take the CLI's bundle) and store a new version " +
          "(unchanged content: no new version)",
        params: nameParams,
        body: deployBody,
      },
      preValidation: adminOnly,
    },
    async (request) => {
      const name = pathParts(request).join("/");
      const deployed = await deployFunction(deps, name, request.body);
      await prepareActive(deps, name);
      deps.scheduler.wake();
      return deployed;
    },
  );

  app.get(
    "/functions/*",
    {
      schema: {
        tags,
        summary: "One function with its files and config; <name>/versions lists its versions",
        params: nameParams,
        querystring: getQuery,
      },
      preValidation: adminOnly,
    },
    async (request) => {
      const parts = pathParts(request);
      if (parts.length > 1 && parts.at(-1) === "versions")
        return listVersions(deps.db, parts.slice(0, -1).join("/"));
      return getFunction(deps.db, parts.join("/"), request.query.version);
    },
  );

  app.delete(
    "/functions/*",
    {
      schema: { tags, summary: "Delete a function and its versions (executions stay)", params: nameParams },
      preValidation: adminOnly,
    },
    async (request, reply) => {
      await deleteFunction(deps.db, pathParts(request).join("/"));
      return reply.status(204).send();
    },
  );

  // A wildcard cannot end in /rollback or /test, so nested names get one route per depth, like invoke's.
  for (let parts = 1; parts <= MAX_NAME_PARTS; parts++) {
    const params = Array.from({ length: parts }, (_, i) => `:p${i}`).join("/");
    app.post(
      `/functions/${params}/test`,
      {
        schema: {
          hide: parts > 1,
          tags,
          summary:
            "Test-run code that is not deployed (the dashboard's editor): build it, run it once with the payload, deploy nothing",
          ...(parts === 1 ? { params: z.object({ p0: z.string().describe("The function's name") }) } : {}),
          body: testBody,
        },
        preValidation: adminOnly,
      },
      async (request) => {
        const values = request.params as Record<string, string>;
        const name = Array.from({ length: parts }, (_, i) => values[`p${i}`]).join("/");
        const { payload, event, ...code } = request.body;
        return testRun(
          deps,
          request.principal,
          name,
          { ...code, payload, ...(event === undefined ? {} : { event }) },
          { kind: "request", id: request.id },
        );
      },
    );
    app.post(
      `/functions/${params}/rollback`,
      {
        schema: {
          hide: parts > 1,
          tags,
          summary: "Run an older version again (default: the one before the active version)",
          ...(parts === 1 ? { params: z.object({ p0: z.string().describe("The function's name") }) } : {}),
          body: rollbackBody,
        },
        preValidation: adminOnly,
      },
      async (request) => {
        const values = request.params as Record<string, string>;
        const name = Array.from({ length: parts }, (_, i) => values[`p${i}`]).join("/");
        const rolledBack = await rollbackFunction(deps, name, request.body?.version);
        await prepareActive(deps, name);
        deps.scheduler.wake();
        return rolledBack;
      },
    );
  }
}
