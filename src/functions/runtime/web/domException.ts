// DOMException: the error Web APIs raise with a name callers test for (AbortError, TimeoutError,
// DataCloneError, InvalidCharacterError, ...). Isolates have none of their own.

const LEGACY_CODES: Record<string, number> = {
  IndexSizeError: 1,
  HierarchyRequestError: 3,
  InvalidCharacterError: 5,
  NotFoundError: 8,
  NotSupportedError: 9,
  InvalidStateError: 11,
  SyntaxError: 12,
  InvalidAccessError: 15,
  TypeMismatchError: 17,
  SecurityError: 18,
  NetworkError: 19,
  AbortError: 20,
  QuotaExceededError: 22,
  TimeoutError: 23,
  DataCloneError: 25,
};

export class DOMException extends Error {
  declare readonly name: string;
  readonly code: number;

  constructor(message = "", name = "Error") {
    super(message);
    Object.defineProperty(this, "name", { value: String(name), configurable: true, writable: true });
    this.code = LEGACY_CODES[String(name)] ?? 0;
  }
}
