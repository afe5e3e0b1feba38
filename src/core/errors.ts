// The one error hierarchy of the platform. Domain code throws these; the HTTP layer maps them to
// `{ error: { code, message } }` with the status below (src/server/errorHandler.ts), the CLI prints
// the message. Anything that is not an AppError is a bug and becomes a 500 without leaking details.

export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, "invalid_input", message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = "Authentication required: send 'Authorization: Bearer <token>'") {
    super(401, "unauthorized", message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this") {
    super(403, "forbidden", message);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, "not_found", message);
  }
}

export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(413, "payload_too_large", message);
  }
}

export class TooManyRequestsError extends AppError {
  constructor(message: string) {
    super(429, "too_many_requests", message);
  }
}

/** A PRE event handler refused the action (`{ allow: false, message }`). */
export class BlockedError extends AppError {
  constructor(message: string, eventType: string, more: Record<string, unknown> = {}) {
    super(403, "blocked", message, { eventType, ...more });
  }
}

/** Events caused by event handlers chained deeper than events.maxDepth: a loop, stopped. */
export class EventLoopError extends AppError {
  constructor(message: string) {
    super(409, "event_loop", message);
  }
}
