// Collections: named groups of records. A collection appears on its first write (ensureCollection)
// and carries one rule, who may read its records; writes always belong to the owner.
import { ValidationError } from "../core/errors.js";
import { truncate } from "../query/fieldName.js";

export const READ_RULES = ["owner", "users", "public"] as const;
/** `owner`: only the record's owner; `users`: any signed-in user; `public`: anyone, even anonymous. */
export type ReadRule = (typeof READ_RULES)[number];

/** What a collection has when nobody set a rule: records are private to their owners. */
export const DEFAULT_READ_RULE: ReadRule = "owner";

export interface Collection {
  name: string;
  read: ReadRule;
  createdAt: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Names the platform keeps for itself: users live at /api/users, not in a collection. */
const RESERVED: ReadonlySet<string> = new Set(["users"]);

/** Returns the name when it is a valid, unreserved collection name; throws a 400 otherwise. */
export function checkCollectionName(name: unknown): string {
  if (typeof name !== "string" || !NAME.test(name)) {
    const shown = typeof name === "string" ? `'${truncate(name)}'` : "(not a string)";
    throw new ValidationError(
      `Invalid collection name ${shown}: start with a letter, then letters, digits, _ or -, at most 64 characters`,
    );
  }
  if (RESERVED.has(name)) {
    throw new ValidationError(`The collection name '${name}' is reserved: users are managed at /api/users`);
  }
  return name;
}

export function collectionFromRow(row: { name: string; read_rule: string; created_at: string }): Collection {
  return { name: row.name, read: row.read_rule as ReadRule, createdAt: row.created_at };
}
