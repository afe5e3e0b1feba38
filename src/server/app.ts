// HTTP wiring only: Fastify with zod schemas, the auth hook, OpenAPI, error mapping and the routes.
// Routes live in ./routes, one file per concept; each validates, calls one domain function, answers.
import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
} from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { authenticate } from "../auth/authenticate.js";
import { anonymous, type Principal } from "../auth/principal.js";
import { UnauthorizedError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import { VERSION } from "../version.js";
import { errorHandler, notFoundHandler } from "./errorHandler.js";
import { authRoutes } from "./routes/auth.js";
import { channelRoutes } from "./routes/channels.js";
import { dashboardRoutes, isDashboardPage, sendDashboard } from "./routes/dashboard.js";
import { collectionRoutes } from "./routes/collections.js";
import { deliveryRoutes } from "./routes/deliveries.js";
import { scheduleRoutes } from "./routes/schedules.js";
import { clockRoutes } from "./routes/clock.js";
import { emailRoutes } from "./routes/emails.js";
import { eventRoutes } from "./routes/events.js";
import { executionRoutes } from "./routes/executions.js";
import { functionRoutes } from "./routes/functions.js";
import { healthRoutes } from "./routes/health.js";
import { invokeRoutes } from "./routes/invoke.js";
import { recordRoutes } from "./routes/records.js";
import { secretRoutes } from "./routes/secrets.js";
import { subscriptionRoutes } from "./routes/subscriptions.js";
import { userRoutes } from "./routes/users.js";

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

declare module "fastify" {
  interface FastifyContextConfig {
    /** Routes for signed-out callers (login, register, reset): a stale token is ignored, not a 401. */
    ignoreInvalidToken?: boolean;
  }
  interface FastifyRequest {
    /** Who is calling, from the Authorization header (never from the body). */
    principal: Principal;
  }
}

/**
 * Request ids: a random prefix per process (unique across nodes and restarts) and a counter, about
 * 50 ns each; a UUIDv7 per request cost 15-20% of the CPU of a small request in wrk probes.
 */
export function requestIds(): () => string {
  const prefix = `rq${randomBytes(9).toString("base64url")}-`;
  let counter = 0;
  return () => prefix + (++counter).toString(36);
}

/** At `info`, one request in this many is logged (and every failed or slow one); all at `debug`. */
export const REQUEST_LOG_SAMPLE = 100;
/** A request slower than this is always logged at `info`. */
const SLOW_REQUEST_MS = 1000;

export async function buildServer(deps: Deps): Promise<App> {
  // A log line per request costs more than serving /healthz does: full request logs are for debug.
  const everyRequest = deps.log.isLevelEnabled("debug");
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: !everyRequest }),
    bodyLimit: deps.config.bodyLimit,
    trustProxy: false,
    // Request ids double as trace causes, so they must be unique across nodes and restarts.
    genReqId: requestIds(),
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  if (!everyRequest && deps.log.isLevelEnabled("info")) sampleRequestLog(app);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  let dashboard = false;
  app.setNotFoundHandler((request, reply) => {
    if (dashboard && isDashboardPage(request)) return sendDashboard(reply);
    return notFoundHandler(request, reply);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: "backend API", version: VERSION, description: "Functions & messages platform" },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer", description: "A user token or the admin key" },
        },
      },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(rateLimit, { global: false });

  app.decorateRequest("principal", {
    getter() {
      return anonymous;
    },
  });
  await app.register(
    async (api) => {
      // Browser apps on other origins use the SDK against /api; function HTTP triggers
      // (/functions/*) answer CORS themselves, like any Web handler.
      const origins = deps.config.corsOrigins;
      await api.register(cors, {
        origin: origins.includes("*") ? "*" : origins,
        methods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
        allowedHeaders: ["authorization", "content-type"],
        exposedHeaders: ["x-execution-id", "x-request-id"],
        maxAge: 600,
      });
      identifyCallers(api, deps);
      const typed = api.withTypeProvider<ZodTypeProvider>();
      authRoutes(typed, deps);
      userRoutes(typed, deps);
      recordRoutes(typed, deps);
      collectionRoutes(typed, deps);
      emailRoutes(typed, deps);
      functionRoutes(typed, deps);
      executionRoutes(typed, deps);
      secretRoutes(typed, deps);
      eventRoutes(typed, deps);
      subscriptionRoutes(typed, deps);
      deliveryRoutes(typed, deps);
      scheduleRoutes(typed, deps);
      clockRoutes(typed, deps);
      channelRoutes(typed, deps);
      typed.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
    },
    { prefix: "/api" },
  );
  healthRoutes(app, deps);
  dashboard = await dashboardRoutes(app);
  // ANY /functions/* (HTTP trigger) and POST /api/functions/:name/invoke: own plugin, raw bodies.
  await app.register(async (scope) => {
    identifyCallers(scope, deps);
    invokeRoutes(scope.withTypeProvider<ZodTypeProvider>(), deps);
  });
  return app;
}

/**
 * At `info`: the requests that failed (4xx and 5xx) or were slow, and one in REQUEST_LOG_SAMPLE of
 * the rest, as Fastify's own "request completed" line with `sampled: true`.
 */
function sampleRequestLog(app: FastifyInstance): void {
  let seen = 0;
  app.addHook("onResponse", (request, reply, done) => {
    seen = (seen + 1) % REQUEST_LOG_SAMPLE;
    const ms = reply.elapsedTime;
    if (reply.statusCode >= 400 || ms >= SLOW_REQUEST_MS || seen === 0) {
      request.log.info(
        {
          req: { method: request.method, url: request.url },
          res: { statusCode: reply.statusCode },
          responseTime: ms,
          ...(seen === 0 ? { sampled: true } : {}),
        },
        "request completed",
      );
    }
    done();
  });
}

/**
 * The hooks of the scopes that serve callers (/api and /functions): who is calling, from the
 * Authorization header (never from the body), and the request id on /api answers. Only those scopes
 * pay for them: /healthz and the dashboard's files do not.
 */
function identifyCallers(scope: FastifyInstance, deps: Deps): void {
  scope.addHook("onRequest", async (request) => {
    const { authorization } = request.headers;
    // Anonymous callers (public functions, sign-in) skip the lookup; `principal` stays anonymous.
    if (authorization === undefined) return;
    let principal: Principal;
    try {
      principal = await authenticate(deps, authorization);
    } catch (error) {
      if (!(error instanceof UnauthorizedError && request.routeOptions.config.ignoreInvalidToken))
        throw error;
      principal = anonymous;
    }
    Object.defineProperty(request, "principal", { value: principal, writable: true, enumerable: true });
  });
  // The id of a request is the cause of what it does: answered so it can be traced (/api/traces/:id).
  scope.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/api/")) reply.header("x-request-id", request.id);
  });
}
