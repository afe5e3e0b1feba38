// /api/auth: sign-up, log in and out, the signed-in user's own document, password reset.
// Each route validates, calls one domain function in src/auth, and shapes the answer.
import { traceOf } from "../traceOf.js";
import type { AddressInfo } from "node:net";
import type { FastifyRequest } from "fastify";
import { bearerToken } from "../../auth/authenticate.js";
import { login, loginSchema } from "../../auth/login.js";
import { logout } from "../../auth/logout.js";
import { getMe, updateMe, updateMeSchema } from "../../auth/me.js";
import {
  confirmPasswordReset,
  requestPasswordReset,
  resetConfirmSchema,
  resetRequestSchema,
} from "../../auth/passwordReset.js";
import { requireUser } from "../../auth/principal.js";
import { register, registerSchema } from "../../auth/register.js";
import { TooManyRequestsError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";

const tags = ["auth"];

export function authRoutes(app: App, deps: Deps): void {
  /** Guessing passwords (or flooding a mailbox) is limited per client address and email. */
  const rateLimit = {
    max: deps.config.loginRateLimit.max,
    timeWindow: deps.config.loginRateLimit.windowMs,
    // After body parsing, so the key can include the email.
    hook: "preHandler" as const,
    keyGenerator: (request: FastifyRequest) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return `${request.ip}|${typeof email === "string" ? email.trim().toLowerCase() : ""}`;
    },
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) =>
      new TooManyRequestsError(`Too many attempts: try again in ${context.after}`),
  };
  const userOnly = async (request: FastifyRequest) => {
    requireUser(request.principal);
  };

  app.post(
    "/auth/register",
    {
      schema: { tags, summary: "Sign up: create a user and a session", body: registerSchema },
      config: { ignoreInvalidToken: true },
    },
    async (request, reply) =>
      reply.status(201).send(await register(deps, request.principal, request.body, traceOf(request))),
  );

  app.post(
    "/auth/login",
    {
      schema: { tags, summary: "Log in with email and password", body: loginSchema },
      config: { rateLimit, ignoreInvalidToken: true },
    },
    async (request) => login(deps, request.body, traceOf(request)),
  );

  app.post(
    "/auth/logout",
    { schema: { tags, summary: "Revoke the token that makes this call" }, preValidation: userOnly },
    async (request, reply) => {
      const token = bearerToken(request.headers.authorization) ?? "";
      await logout(deps, request.principal, token, traceOf(request));
      return reply.status(204).send();
    },
  );

  app.get(
    "/auth/me",
    { schema: { tags, summary: "The signed-in user" }, preValidation: userOnly },
    async (request) => getMe(deps, request.principal),
  );

  app.patch(
    "/auth/me",
    {
      schema: { tags, summary: "Change your name or password", body: updateMeSchema },
      preValidation: userOnly,
    },
    async (request) =>
      updateMe(
        deps,
        request.principal,
        request.body,
        bearerToken(request.headers.authorization),
        traceOf(request),
      ),
  );

  app.post(
    "/auth/password-reset",
    {
      schema: {
        tags,
        summary: "Email a password reset link (same answer for unknown emails)",
        body: resetRequestSchema,
      },
      config: { rateLimit, ignoreInvalidToken: true },
    },
    async (request, reply) => {
      await requestPasswordReset(
        deps,
        request.principal,
        request.body,
        { publicUrl: publicUrl(app, deps) },
        traceOf(request),
      );
      return reply.status(202).send({ ok: true });
    },
  );

  app.post(
    "/auth/password-reset/confirm",
    {
      schema: { tags, summary: "Set a new password with a reset token", body: resetConfirmSchema },
      config: { ignoreInvalidToken: true },
    },
    async (request) => {
      await confirmPasswordReset(deps, request.principal, request.body, traceOf(request));
      return { ok: true };
    },
  );
}

/** BACKEND_PUBLIC_URL, else the address this server listens on (the real port, even when 0 was asked). */
function publicUrl(app: App, deps: Deps): string {
  if (deps.config.publicUrl) return deps.config.publicUrl;
  const address = app.server.address() as AddressInfo | null;
  const port = address?.port ?? deps.config.port;
  const host = deps.config.host.includes(":") ? `[${deps.config.host}]` : deps.config.host;
  return `http://${host}:${port}`;
}
