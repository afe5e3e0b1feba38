// The public user document: what the API, events and functions see. It is kept whole in the
// `data` column (so the filter language works on every field), with email and role mirrored in
// their own columns for uniqueness and for authentication. Never carries the password hash.
import { readJson } from "../storage/store.js";
import type { Role } from "./userFields.js";

export interface UserDocument {
  id: string;
  email: string;
  role: Role;
  full_name: string | null;
  createdAt: string;
  updatedAt: string;
  /** Extra fields set by admins or functions, e.g. trialEndsAt, isPaid. */
  [field: string]: unknown;
}

export interface UserBase {
  id: string;
  email: string;
  role: Role;
  full_name: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Builds a document with the base fields first, so documents read the same everywhere. */
export function buildUserDocument(base: UserBase, extra: Record<string, unknown>): UserDocument {
  const { id, email, role, full_name, createdAt, updatedAt } = base;
  return { id, email, role, full_name, createdAt, updatedAt, ...extra };
}

/** Splits a document into its base fields and its extra fields. */
export function extraFieldsOf(user: UserDocument): Record<string, unknown> {
  const { id: _i, email: _e, role: _r, full_name: _f, createdAt: _c, updatedAt: _u, ...extra } = user;
  return extra;
}

export function userFromRow(row: { data: unknown; email: string; role: Role }): UserDocument {
  const data = readJson<UserDocument>(row.data);
  // The columns are authoritative for what authentication relies on. Rebuilding puts the base
  // fields first again: PostgreSQL's jsonb does not keep key order.
  return buildUserDocument({ ...data, email: row.email, role: row.role }, extraFieldsOf(data));
}
