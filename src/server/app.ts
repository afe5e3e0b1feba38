// HTTP wiring only: Fastify with zod schemas, the auth hook, OpenAPI, error mapping and the routes.
// Routes live in ./routes, one file per concept; each validates, calls one domain function, answers.
import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from "fastify";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { authenticate } from "../auth/authenticate.js";
import { anonymous, type Principal } from "../auth/principal.js";
import { UnauthorizedError } from "../core/errors.js";
import { newId } from "../core/ids.js";
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

export async function buildServer(deps: Deps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimit,
    trustProxy: false,
    // Request ids double as trace causes, so they must be unique across nodes and restarts.
    genReqId: () => newId(),
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

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
  app.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/api/") && !request.url.startsWith("/functions/")) return;
    let principal: Principal;
    try {
      principal = await authenticate(deps, request.headers.authorization);
    } catch (error) {
      if (!(error instanceof UnauthorizedError && request.routeOptions.config.ignoreInvalidToken))
        throw error;
      principal = anonymous;
    }
    Object.defineProperty(request, "principal", { value: principal, writable: true, enumerable: true });
  });

  // The id of a request is the cause of what it does: answered so it can be traced (/api/traces/:id).
  app.addHook("onSend", async (request, reply) => {
    if (request.url.startsWith("/api/")) reply.header("x-request-id", request.id);
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
  await app.register(async (scope) => invokeRoutes(scope.withTypeProvider<ZodTypeProvider>(), deps));
  return app;
}
