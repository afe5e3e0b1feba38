// Calling functions over HTTP:
//   POST /api/functions/<name>/invoke   the SDK and CLI call: body = payload (JSON), answer = result
//   ANY  /functions/<name>[/more]       the HTTP trigger: method, path, query, headers, raw body
// This scope keeps every request body as raw bytes (webhooks verify signatures over them) and
// answers with what the function returned: its JSON result, its own Response passed through, or a
// `{ error: { code, message } }` for a run that failed (src/functions/invoke/functionFailure.ts).
import type { FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import { ValidationError } from "../../core/errors.js";
import { newId } from "../../core/ids.js";
import type { Deps } from "../../deps.js";
import { functionFailure } from "../../functions/invoke/functionFailure.js";
import { type InvocationResult, invokeFunction } from "../../functions/invoke/invokeFunction.js";
import { resolveFunctionPath } from "../../functions/invoke/resolveFunctionPath.js";
import type { HttpRequestData, HttpResponseData } from "../../functions/runtime/types.js";
import { readGenerations } from "../../storage/cacheGenerations.js";
import type { App } from "../app.js";

/** Nested names (`email/send/invoke`) are matched up to this many parts without URL-encoding. */
const MAX_NAME_PARTS = 8;
/** Set by the server on the answer of every run, for `GET /api/executions/:id`. */
export const EXECUTION_HEADER = "x-execution-id";

const invokeQuery = z.object({
  event: z
    .string()
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_.:-]*$/, "must be an event type such as PRE_USER_CREATE or order_placed")
    .optional()
    .describe(
      "Admins only: run the function as a handler of this event type, with the body as the event data",
    ),
});

/** Framing headers are the server's to set for the body it actually sends. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "upgrade",
  "te",
  "trailer",
]);

export function invokeRoutes(app: App, deps: Deps): void {
  const bodyLimit = deps.config.functions.payloadBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_request, body, done) => done(null, body));

  for (let parts = 1; parts <= MAX_NAME_PARTS; parts++) {
    const params = Array.from({ length: parts }, (_, i) => `:p${i}`).join("/");
    app.post(
      `/api/functions/${params}/invoke`,
      {
        bodyLimit,
        schema: {
          hide: parts > 1,
          tags: ["functions"],
          summary: "Call a function: the body is its payload, the answer its result",
          params: nameParams(parts),
          querystring: invokeQuery,
        },
      },
      async (request, reply) => {
        const names: Record<string, string> = request.params;
        const name = Array.from({ length: parts }, (_, i) => names[`p${i}`]).join("/");
        const { event } = request.query;
        if (event !== undefined) requireAdmin(request.principal);
        const payload = parsePayload(request.body);
        const result = await invokeFunction(deps, {
          name,
          trigger: event === undefined ? "call" : "event",
          principal: request.principal,
          payload,
          request: httpRequestData(deps, request),
          ...(event === undefined ? {} : { event: { id: newId(), type: event, data: payload } }),
          cause: { kind: "request", id: request.id },
        });
        return answer(reply, result);
      },
    );
  }

  app.all(
    "/functions/*",
    {
      bodyLimit,
      // A webhook may carry its own Authorization scheme; an unusable token just means anonymous.
      config: { ignoreInvalidToken: true },
      schema: { tags: ["functions"], summary: "The HTTP trigger: the function gets the request as it came" },
    },
    async (request, reply) => {
      const path = request.url.slice("/functions/".length).split("?")[0]!;
      // Read once for both: finding the function by its path and running it.
      const generations = await readGenerations(deps.db);
      const name = await resolveFunctionPath(deps.db, path, generations.functions);
      const result = await invokeFunction(deps, {
        name,
        trigger: "http",
        principal: request.principal,
        request: httpRequestData(deps, request),
        cause: { kind: "request", id: request.id },
        generations,
      });
      return answer(reply, result);
    },
  );
}

/** `p0`..`pN`: the parts of a nested name, as the router splits them. */
function nameParams(parts: number) {
  const shape: Record<string, z.ZodString> = {};
  for (let i = 0; i < parts; i++) {
    shape[`p${i}`] =
      i === 0 ? z.string().describe("The function's name; a nested name's / may be %2F") : z.string();
  }
  return z.object(shape);
}

function parsePayload(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new ValidationError(`The payload is not valid JSON (${(error as Error).message})`);
  }
}

function httpRequestData(deps: Deps, request: FastifyRequest): HttpRequestData {
  const base = deps.config.publicUrl
    ? deps.config.publicUrl.replace(/\/+$/, "")
    : `${request.protocol}://${request.host || `${deps.config.host}:${deps.config.port}`}`;
  const raw = request.raw.rawHeaders;
  const headers: [string, string][] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
  const data: HttpRequestData = { method: request.method, url: `${base}${request.url}`, headers };
  if (Buffer.isBuffer(request.body) && request.body.length > 0) {
    data.body = new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.length);
  }
  return data;
}

function answer(reply: FastifyReply, result: InvocationResult): FastifyReply {
  reply.header(EXECUTION_HEADER, result.executionId);
  // A Response the function made is its answer, whatever its status (seed 001's 401 included).
  if (result.response && (result.status === "success" || result.status === "error")) {
    return passThrough(reply, result.response);
  }
  if (result.status !== "success") throw functionFailure(result.status, result.error, result.executionId);
  return reply
    .status(200)
    .type("application/json; charset=utf-8")
    .send(JSON.stringify(result.result ?? null));
}

function passThrough(reply: FastifyReply, response: HttpResponseData): FastifyReply {
  const headers = new Map<string, string[]>();
  for (const [name, value] of response.headers) {
    const key = name.toLowerCase();
    if (HOP_BY_HOP.has(key)) continue;
    headers.set(key, [...(headers.get(key) ?? []), value]);
  }
  for (const [name, values] of headers) reply.header(name, values.length === 1 ? values[0] : values);
  const status =
    Number.isInteger(response.status) && response.status >= 200 && response.status <= 599
      ? response.status
      : 502;
  return reply.status(status).send(Buffer.from(response.body));
}
