// Row types of every table, as Kysely sees them. Timestamps are ISO-8601 UTC strings on both stores
// (they sort and compare as text); JSON documents are `jsonb` on PostgreSQL and `text` on SQLite.
import type { Kysely, Transaction } from "kysely";

/** A JSON document column: written as a JSON string, read back via `readJson`. */
export type JsonColumn = string | Record<string, unknown>;

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  role: "user" | "admin";
  /** The user's public document: id, email, role, full_name, extra fields, timestamps. */
  data: JsonColumn;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface CollectionsTable {
  name: string;
  /** Who may read records: `owner` (default), `users` (any signed-in user) or `public`. */
  read_rule: "owner" | "users" | "public";
  created_at: string;
}

export interface RecordsTable {
  collection: string;
  id: string;
  owner_id: string | null;
  /** The whole record, system fields (id, ownerId, createdAt, updatedAt) included. */
  data: JsonColumn;
  created_at: string;
  updated_at: string;
}

export interface EmailsTable {
  id: string;
  to_address: string;
  from_address: string;
  reply_to: string | null;
  subject: string;
  text_body: string | null;
  html_body: string | null;
  /** pending -> sending -> sent | failed (after the last attempt); `sending` holds a lease. */
  status: "pending" | "sending" | "sent" | "failed";
  attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  transport: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Schema {
  users: UsersTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  collections: CollectionsTable;
  records: RecordsTable;
  emails: EmailsTable;
  settings: SettingsTable;
}

export type Db = Kysely<Schema>;
/** Either the database or an open transaction: domain writes accept both. */
export type Executor = Kysely<Schema> | Transaction<Schema>;
