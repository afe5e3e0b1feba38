// Reading one user row, by id or by (normalised) email, with any executor.
import type { Executor } from "../storage/schema.js";

const COLUMNS = ["id", "email", "role", "password_hash", "data"] as const;

export function findUserById(exec: Executor, id: string) {
  return exec.selectFrom("users").select(COLUMNS).where("id", "=", id).executeTakeFirst();
}

export function findUserByEmail(exec: Executor, email: string) {
  return exec.selectFrom("users").select(COLUMNS).where("email", "=", email).executeTakeFirst();
}

/** True when the error is a unique-constraint violation on either store. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: unknown };
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE";
}
