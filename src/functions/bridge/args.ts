// Reading the arguments of a bridge call. They come from function code, so nothing about them is
// trusted: each is checked and a wrong one is a clear error inside the function.
import { ValidationError } from "../../core/errors.js";

export function text(args: unknown[], index: number, what: string): string {
  const value = args[index];
  if (typeof value !== "string" || value === "") {
    throw new ValidationError(`${what} must be a non-empty string`);
  }
  return value;
}

export function optionalObject(
  args: unknown[],
  index: number,
  what: string,
): Record<string, unknown> | undefined {
  const value = args[index];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value))
    throw new ValidationError(`${what} must be an object`);
  return value as Record<string, unknown>;
}
