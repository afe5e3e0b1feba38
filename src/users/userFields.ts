// The rules for a user's own fields, shared by sign-up, the admin API and (later) functions.
// Emails are trimmed and lower-cased before anything compares or stores them, so
// "Ann@Example.com " and "ann@example.com" are one account.
import { z } from "zod";

export const ROLES = ["user", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** "is required" rather than zod's "expected string, received undefined". */
const text = () =>
  z.string({ error: (issue) => (issue.input === undefined ? "is required" : "must be a string") });

export const emailSchema = text()
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email("must be a valid email address"));

export const passwordSchema = text()
  .min(8, "must be at least 8 characters")
  .max(200, "must be at most 200 characters");

export const fullNameSchema = z.string().trim().max(200, "must be at most 200 characters").nullable();

export const roleSchema = z.enum(ROLES, "must be 'user' or 'admin'");

/** Set by the server only; ignored when a caller sends them. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set(["id", "createdAt", "updatedAt"]);

/** Fields stored in their own columns and handled one by one. */
export const BASE_FIELDS: ReadonlySet<string> = new Set(["email", "role", "full_name"]);

/** Never stored in the document: the password only ever reaches the hash column. */
export const SECRET_FIELDS: ReadonlySet<string> = new Set(["password", "password_hash", "currentPassword"]);

/** Extra field names are what the filter language can address, so every field can be queried. */
export const EXTRA_FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
