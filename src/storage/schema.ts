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

export interface FunctionsTable {
  name: string;
  /** The version that runs; a rollback points it at an older one. */
  active_version: number;
  created_at: string;
  updated_at: string;
}

export interface FunctionVersionsTable {
  function_name: string;
  version: number;
  /** Content hash of files + config: an unchanged deploy creates no new version. */
  hash: string;
  /** The source files as deployed: `{ "entry.ts": "..." }`. */
  files: JsonColumn;
  /** The function.jsonc object. */
  config: JsonColumn;
  /** What the isolate runs (esbuild output). */
  bundle: string;
  source_map: string | null;
  /** How the handler is called: default | handler | classic | deno. */
  form: string;
  created_at: string;
}

export interface ExecutionsTable {
  id: string;
  function_name: string;
  version: number;
  /** http | call | event | schedule */
  trigger: string;
  /** user id, "admin" for the admin key, null when anonymous */
  caller: string | null;
  /** What caused the run: request, delivery, tick, execution (another function). */
  cause_kind: string | null;
  cause_id: string | null;
  /** running | success | error | timeout | cpu_limit | memory_limit | crashed | too_large */
  status: string;
  error: string | null;
  started_at: string;
  duration_ms: number | null;
  result_size: number | null;
  logs_truncated: number;
  /** What the run was given, as kept JSON text (keptText.ts); null when not kept. */
  input: string | null;
  /** What it returned or answered, as kept JSON text; null when not kept or the run failed. */
  result: string | null;
}

export interface ExecutionLogsTable {
  id: string;
  execution_id: string;
  function_name: string;
  seq: number;
  /** debug | info | warn | error */
  level: string;
  time: string;
  message: string;
}

export interface SecretsTable {
  name: string;
  /** AES-256-GCM: base64 of iv (12) | tag (16) | ciphertext. */
  ciphertext: string;
  created_at: string;
  updated_at: string;
}

export interface SubscriptionsTable {
  id: string;
  /** The canonical event type (aliases are resolved before they are stored). */
  event_type: string;
  function_name: string;
  /** Lower runs first (PRE handlers run in this order). */
  priority: number;
  /** 1 or 0. */
  active: number;
  /** A filter-language object matched against the event payload, or null. */
  filter: JsonColumn | null;
  /** PRE only: what a handler that throws or times out does: block (fail closed) or allow. */
  on_error: "block" | "allow";
  /** config: from the function's triggers.events (a deploy rewrites it); api: made by hand. */
  source: "config" | "api";
  created_at: string;
  updated_at: string;
}

export interface EventsTable {
  id: string;
  type: string;
  data: JsonColumn;
  /** system | custom */
  source: string;
  /** Who caused it: `{ kind, user? }` as a Principal; null when anonymous. */
  actor: JsonColumn | null;
  cause_kind: string | null;
  cause_id: string | null;
  /** How many events led to this one, itself included (1 for an event a request caused). */
  depth: number;
  created_at: string;
}

export interface DeliveriesTable {
  id: string;
  event_id: string;
  event_type: string;
  subscription_id: string;
  function_name: string;
  /** pending -> running (holds a lease) -> done | pending again (retry) | dead (out of attempts). */
  status: "pending" | "running" | "done" | "dead";
  attempts: number;
  max_attempts: number;
  next_attempt_at: string;
  locked_until: string | null;
  last_error: string | null;
  /** The execution of the latest attempt. */
  execution_id: string | null;
  /** A replay's edited payload; null delivers the event's own data. */
  data: JsonColumn | null;
  replay_of: string | null;
  created_at: string;
  completed_at: string | null;
}

export interface SchedulesTable {
  id: string;
  /** Unique across the project; `backend schedules run <name>`. */
  name: string;
  function_name: string;
  /** recurring | once */
  kind: "recurring" | "once";
  /** As written: a cron, a phrase, a summary of a Base44 automation, or the instant of a one-off. */
  expression: string;
  description: string | null;
  /** The Recurrence (src/schedules/scheduleSpec.ts) the next runs are computed from. */
  recurrence: JsonColumn;
  timezone: string;
  payload: JsonColumn | null;
  catch_up: "none" | "one" | "all";
  overlap: "skip" | "allow";
  /** 1 or 0. */
  active: number;
  /** config: from function.jsonc (a deploy rewrites it); api: made by hand; function: backend.runAt. */
  source: "config" | "api" | "function";
  ends_at: string | null;
  max_runs: number | null;
  /** Ticks taken so far (runs, catch-ups and skips), for max_runs. */
  runs: number;
  /** The next tick; null once there is none (a one-off that ran, an end reached). */
  next_run_at: string | null;
  last_run_at: string | null;
  last_status: string | null;
  last_execution_id: string | null;
  /** The tick running now and the lease its node holds (renewed while it runs). */
  running_tick: string | null;
  running_until: string | null;
  /** Who made it: an execution id (backend.runAt), "admin", a user id. */
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ScheduleTicksTable {
  id: string;
  schedule_id: string;
  schedule_name: string;
  function_name: string;
  /** The tick's scheduled time (for a manual run, when it was asked for). */
  scheduled_at: string;
  /**
   * pending (taken, waiting its turn behind an earlier catch-up run) -> running (holds a lease) ->
   * done | failed | interrupted (its node stopped mid-run); or skipped (overlap) | missed (catch_up none).
   */
  status: "pending" | "running" | "done" | "failed" | "interrupted" | "skipped" | "missed";
  /** 1 for a run made up after downtime. */
  catch_up: number;
  /** How many scheduled ticks this row stands for beyond itself (catch_up one, missed). */
  missed: number;
  /** 1 for "run now". */
  manual: number;
  execution_id: string | null;
  error: string | null;
  lease_until: string | null;
  /** The scheduler (one per node process) that holds it while pending or running. */
  claimed_by: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface CacheGenerationsTable {
  /** functions | secrets | subscriptions */
  name: string;
  /** Bumped by every change to what the name covers; PostgreSQL returns a bigint as text. */
  generation: number | string;
}

export interface RealtimeNodesTable {
  /** One per running server process that accepts WebSocket connections. */
  id: string;
  started_at: string;
  /** Renewed while the node lives; a node not seen for a while is dead and its members are dropped. */
  seen_at: string;
}

export interface ChannelMembersTable {
  /** One row per (channel, connection) joined; a user with two tabs has two rows. */
  connection_id: string;
  channel: string;
  node_id: string;
  /** null for an anonymous listener in a public channel, or the admin key. */
  user_id: string | null;
  email: string | null;
  joined_at: string;
}

export interface RealtimePayloadsTable {
  /** A cross-node notification too large for NOTIFY: the notification carries this id. */
  id: string;
  body: string;
  created_at: string;
}

export interface Schema {
  users: UsersTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  collections: CollectionsTable;
  records: RecordsTable;
  emails: EmailsTable;
  settings: SettingsTable;
  functions: FunctionsTable;
  function_versions: FunctionVersionsTable;
  executions: ExecutionsTable;
  execution_logs: ExecutionLogsTable;
  secrets: SecretsTable;
  cache_generations: CacheGenerationsTable;
  schedules: SchedulesTable;
  schedule_ticks: ScheduleTicksTable;
  subscriptions: SubscriptionsTable;
  events: EventsTable;
  deliveries: DeliveriesTable;
  realtime_nodes: RealtimeNodesTable;
  channel_members: ChannelMembersTable;
  realtime_payloads: RealtimePayloadsTable;
}

export type Db = Kysely<Schema>;
/** Either the database or an open transaction: domain writes accept both. */
export type Executor = Kysely<Schema> | Transaction<Schema>;
