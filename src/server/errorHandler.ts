// The one place where errors become HTTP answers: `{ error: { code, message } }`.
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { AppError } from "../core/errors.js";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const FASTIFY_CODES: Record<string, { status: number; code: string; message?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: {
    status: 413,
    code: "payload_too_large",
    message: "The request body is too large",
  },
  FST_ERR_CTP_INVALID_JSON: {
    status: 400,
    code: "invalid_json",
    message: "The request body is not valid JSON",
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    status: 400,
    code: "invalid_json",
    message: "The request body is empty but Content-Type is application/json",
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: "unsupported_media_type" },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: "invalid_content_length" },
};

export function toErrorAnswer(error: unknown): { status: number; body: ErrorBody; internal: boolean } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body, internal: false };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const parts = error.validation.map((v) => {
      const where = `${error.validationContext ?? "input"}${v.instancePath.replaceAll("/", ".")}`.replace(
        /\.$/,
        "",
      );
      return `${where}: ${v.message}`;
    });
    return {
      status: 400,
      body: { error: { code: "invalid_input", message: parts.join("; ") } },
      internal: false,
    };
  }
  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (known) {
    const message = known.message ?? fastifyError.message ?? "Bad request";
    return { status: known.status, body: { error: { code: known.code, message } }, internal: false };
  }
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code = status === 429 ? "too_many_requests" : "bad_request";
    return {
      status,
      body: { error: { code, message: fastifyError.message ?? "Bad request" } },
      internal: false,
    };
  }
  return {
    status: 500,
    body: { error: { code: "internal", message: "Internal server error" } },
    internal: true,
  };
}

export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const answer = toErrorAnswer(error);
  if (answer.internal) request.log.error({ err: error }, "request failed");
  reply.status(answer.status).send(answer.body);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): void {
  reply.status(404).send({
    error: { code: "not_found", message: `No route for ${request.method} ${request.url.split("?")[0]}` },
  });
}
