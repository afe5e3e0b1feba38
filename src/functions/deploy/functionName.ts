// What a function may be called. Names are path-like (`email/send`, from nested folders) so they map
// onto URLs as they are; the last part of a nested name may not be a word the API uses after a name.
import { ValidationError } from "../../core/errors.js";

export const FUNCTION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*(\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/;
export const FUNCTION_NAME_MAX = 128;

/** `GET /api/functions/<name>/versions`, `POST .../rollback`, `POST .../invoke` end in these. */
export const RESERVED_LAST_PARTS = ["versions", "rollback", "invoke"] as const;

export function checkFunctionName(name: string): string {
  if (name.length === 0) throw new ValidationError("The function name is empty");
  if (name.length > FUNCTION_NAME_MAX) {
    throw new ValidationError(
      `The function name is ${name.length} characters long, the limit is ${FUNCTION_NAME_MAX}`,
    );
  }
  if (!FUNCTION_NAME_PATTERN.test(name)) {
    throw new ValidationError(
      `'${name}' is not a valid function name: use letters, digits, '_' and '-', starting with a letter or digit; ` +
        "'/' separates the parts of a nested name (email/send)",
    );
  }
  const parts = name.split("/");
  const last = parts.at(-1)!;
  if (parts.length > 1 && (RESERVED_LAST_PARTS as readonly string[]).includes(last)) {
    throw new ValidationError(
      `'${name}' is not a valid function name: a nested name may not end in '/${last}', which the API uses ` +
        `after a function's name (${RESERVED_LAST_PARTS.join(", ")})`,
    );
  }
  return name;
}
