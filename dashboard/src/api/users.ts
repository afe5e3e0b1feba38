// /api/users (admins): users found with the records filter language, created, changed and deleted.
// Shapes from src/users/userDocument.ts and src/server/routes/users.ts.
import type { Transport } from "../../../src/sdk/http.js";
import type { Page } from "./emails.js";

export type Role = "user" | "admin";
export const ROLES: readonly Role[] = ["user", "admin"];

export interface UserDocument {
  id: string;
  email: string;
  role: Role;
  full_name: string | null;
  createdAt: string;
  updatedAt: string;
  /** Extra fields set by admins or functions (trialEndsAt, isPaid, ...). */
  [field: string]: unknown;
}

export interface UserQuery {
  /** The filter language of records: { role: "admin", email: { $gte: "a" } }. */
  filter?: Record<string, unknown>;
  /** Fields, '-' for descending: -createdAt,email. */
  sort?: string;
  limit?: number;
  offset?: number;
}

export interface NewUser {
  email: string;
  password: string;
  role?: Role;
  full_name?: string | null;
}

/** POST /api/users/query: the filter goes in the body. */
export function queryUsers(http: Transport, query: UserQuery): Promise<Page<UserDocument>> {
  return http.request("POST", "/api/users/query", { body: query });
}

export function createUser(http: Transport, user: NewUser): Promise<UserDocument> {
  return http.request("POST", "/api/users", { body: user });
}

export function updateUser(
  http: Transport,
  id: string,
  changes: Record<string, unknown>,
): Promise<UserDocument> {
  return http.request("PATCH", `/api/users/${encodeURIComponent(id)}`, { body: changes });
}

export async function deleteUser(http: Transport, id: string): Promise<void> {
  await http.request("DELETE", `/api/users/${encodeURIComponent(id)}`);
}
