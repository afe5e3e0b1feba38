// The one error the SDK throws. Server answers `{ error: { code, message } }` keep their status,
// code and message; failures without such an answer get a code of their own:
//   network_error (status 0)  the server could not be reached
//   timeout       (status 0)  no answer within the client's timeout
//   invalid_response          the server answered something other than the expected JSON

export class BackendError extends Error {
  /** The HTTP status, or 0 when no answer arrived. */
  readonly status: number;
  /** A stable machine-readable code such as `unauthorized`, `not_found`, `invalid_input`. */
  readonly code: string;
  /** Extra information some errors carry (e.g. `{ eventType }` when a PRE handler blocked). */
  readonly details?: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "BackendError";
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export function isBackendError(error: unknown): error is BackendError {
  return error instanceof BackendError;
}
