// Validates what callers (and PRE_USER_* handlers, which may rewrite it) ask to store on a user.
// Runs in the domain, not only in routes, because functions call the domain without HTTP.
import type { z } from "zod";
import { ValidationError } from "../core/errors.js";
import {
  BASE_FIELDS,
  EXTRA_FIELD_NAME,
  emailSchema,
  fullNameSchema,
  type Role,
  roleSchema,
  SECRET_FIELDS,
  SYSTEM_FIELDS,
} from "./userFields.js";

export interface NewUserFields {
  email: string;
  full_name: string | null;
  role: Role;
  extra: Record<string, unknown>;
}

export interface UserChanges {
  email?: string;
  role?: Role;
  full_name?: string | null;
  /** Extra fields to set. */
  set: Record<string, unknown>;
  /** Extra fields to remove (sent as null). */
  unset: string[];
  /** The same changes, normalised (lower-cased email, trimmed name): what events carry. */
  normalized: Record<string, unknown>;
}

/**
 * Parses with a zod schema, turning problems into one 400 naming each field:
 * "email: must be a valid email address; password: must be at least 8 characters".
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, field?: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = [field, ...issue.path.map(String)].filter(Boolean).join(".");
    return where ? `${where}: ${issue.message}` : issue.message;
  });
  throw new ValidationError(problems.join("; "));
}

function check<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  return parseWith(schema, value, field);
}

function checkExtraName(key: string): void {
  if (SECRET_FIELDS.has(key)) {
    throw new ValidationError(`'${key}' cannot be stored on a user; passwords are set with 'password' only`);
  }
  if (!EXTRA_FIELD_NAME.test(key)) {
    throw new ValidationError(
      `Invalid field name '${key.slice(0, 40)}': use letters, digits and _ (not starting with a digit), at most 64 characters`,
    );
  }
}

function assertObject(input: unknown, what: string): asserts input is Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError(`${what} must be a JSON object`);
  }
}

/** A new user's document fields: `{ email, full_name?, role?, ...extra }`. System fields are ignored. */
export function parseNewUser(input: unknown): NewUserFields {
  assertObject(input, "The user");
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (BASE_FIELDS.has(key) || SYSTEM_FIELDS.has(key)) continue;
    checkExtraName(key);
    if (value !== null && value !== undefined) extra[key] = value;
  }
  return {
    email: check(emailSchema, input.email, "email"),
    full_name: input.full_name === undefined ? null : check(fullNameSchema, input.full_name, "full_name"),
    role: input.role === undefined ? "user" : check(roleSchema, input.role, "role"),
    extra,
  };
}

/**
 * Changes to a user: email, role, full_name and extra fields; `null` removes an extra field (and
 * clears full_name). System fields are ignored; the password is never part of `changes`.
 */
export function parseUserChanges(input: unknown): UserChanges {
  assertObject(input, "The changes");
  const changes: UserChanges = { set: {}, unset: [], normalized: {} };
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || SYSTEM_FIELDS.has(key)) continue;
    switch (key) {
      case "email":
        changes.email = check(emailSchema, value, "email");
        changes.normalized.email = changes.email;
        break;
      case "role":
        changes.role = check(roleSchema, value, "role");
        changes.normalized.role = changes.role;
        break;
      case "full_name":
        changes.full_name = check(fullNameSchema, value, "full_name");
        changes.normalized.full_name = changes.full_name;
        break;
      default:
        checkExtraName(key);
        if (value === null) changes.unset.push(key);
        else changes.set[key] = value;
        changes.normalized[key] = value;
    }
  }
  return changes;
}
