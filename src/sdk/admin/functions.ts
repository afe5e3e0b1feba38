// client.admin.functions: the deployed functions, their versions, deploys, test runs of code that is
// not deployed, rollbacks and deletes (GET/PUT/DELETE /api/functions/<name>, .../versions, .../test,
// .../rollback). Nested names (email/send) are sent as they are, each part encoded.
import type { Transport } from "../http.js";

export type FunctionAccess = "public" | "user" | "admin";
/** How the function's code is written: default export, handler, classic script or Deno.serve. */
export type FunctionForm = "default" | "handler" | "classic" | "deno";
/** Source files by relative path, e.g. { "entry.ts": "export default ..." }. */
export type SourceFiles = { [path: string]: string };
/** The function.jsonc object: name, entry, access, timeout, memory, triggers... */
export type FunctionConfig = { [key: string]: unknown };

/** An event the function's config subscribes it to. */
export interface EventTrigger {
  event: string;
  priority?: number;
  active?: boolean;
  filter?: { [field: string]: unknown };
  on_error?: "block" | "allow";
}

/** A schedule the function's config declares (`admin` schedules: `client.schedules`). */
export interface ScheduleTrigger {
  name?: string;
  /** As written: a cron, a phrase, or a summary of a Base44 automation. */
  schedule: string;
  /** The cron it runs on; null for one-off and simple (interval) schedules. */
  cron: string | null;
  timezone: string;
  active: boolean;
}

export interface LastRun {
  executionId: string;
  trigger: string;
  status: string;
  startedAt: string;
  durationMs: number | null;
}

export interface FunctionItem {
  name: string;
  /** The active version: the one that runs. */
  version: number;
  access: FunctionAccess;
  form: FunctionForm;
  hash: string;
  triggers: { events: EventTrigger[]; schedules: ScheduleTrigger[] };
  createdAt: string;
  updatedAt: string;
  /** Its most recent execution, when it ran. */
  lastRun?: LastRun;
}

export interface FunctionDetail extends FunctionItem {
  /** The version whose files and config these are (`version` is the active one). */
  shownVersion: number;
  deployedAt: string;
  config: FunctionConfig;
  files: SourceFiles;
}

export interface FunctionSource {
  files: SourceFiles;
  /** The function.jsonc object; otherwise a function.jsonc among the files, otherwise {}. */
  config?: FunctionConfig;
}

export interface DeployResult {
  name: string;
  version: number;
  /** unchanged: the same content as the active version, so no new version. */
  status: "deployed" | "unchanged";
  form: FunctionForm;
  hash: string;
  access: FunctionAccess;
}

export interface TestRunInput extends FunctionSource {
  /** What the function gets (the event's data with `event`). */
  payload?: unknown;
  /** Run as a handler of this event type, with the payload as the event data. */
  event?: string;
}

/** A test run of code that is not deployed; it is recorded among the executions with version 0. */
export interface TestRun {
  executionId: string;
  /** success, error, timeout... as an execution's status. */
  status: string;
  result?: unknown;
  /** A Deno.serve function's Response: status, headers and the body as text. */
  response?: { status: number; headers: [string, string][]; body: string };
  error?: { message: string; stack?: string };
  logs: { level: "debug" | "info" | "warn" | "error"; time: string; message: string }[];
  logsTruncated: boolean;
  durationMs: number;
}

export interface VersionItem {
  version: number;
  active: boolean;
  hash: string;
  form: FunctionForm;
  access: FunctionAccess;
  createdAt: string;
}

export interface VersionList {
  name: string;
  activeVersion: number;
  /** Newest first. */
  items: VersionItem[];
}

export interface RollbackResult {
  name: string;
  /** The version that runs now. */
  version: number;
  previousVersion: number;
  form: FunctionForm;
  hash: string;
}

export interface AdminFunctionsApi {
  /** Every deployed function with its last run. */
  list(): Promise<FunctionItem[]>;
  /** One function with the files and config of its active version, or of `version`. Unknown -> 404. */
  get(name: string, options?: { version?: number }): Promise<FunctionDetail>;
  /** Its versions, newest first, and which one runs. */
  versions(name: string): Promise<VersionList>;
  /** Deploys a new version; the same content as the active version makes none ("unchanged"). */
  deploy(name: string, source: FunctionSource): Promise<DeployResult>;
  /** Builds and runs code once without deploying it; a failed run resolves with its error. */
  test(name: string, input: TestRunInput): Promise<TestRun>;
  /** Makes `version` the one that runs (default: the one before the active version). */
  rollback(name: string, version?: number): Promise<RollbackResult>;
  /** Deletes the function and its versions; its executions stay as history. */
  delete(name: string): Promise<void>;
}

/** Path segments of a nested function name (email/send) stay separated by '/', each one encoded. */
function namePath(name: string): string {
  return `/api/functions/${name.split("/").map(encodeURIComponent).join("/")}`;
}

export function adminFunctionsApi(http: Transport): AdminFunctionsApi {
  return {
    list: async () => (await http.request<{ items: FunctionItem[] }>("GET", "/api/functions")).items,
    get: (name, options = {}) => http.request("GET", namePath(name), { query: { version: options.version } }),
    versions: (name) => http.request("GET", `${namePath(name)}/versions`),
    deploy: (name, source) => http.request("PUT", namePath(name), { body: source }),
    test: (name, input) => http.request("POST", `${namePath(name)}/test`, { body: input }),
    rollback: (name, version) =>
      http.request("POST", `${namePath(name)}/rollback`, { body: version === undefined ? {} : { version } }),
    delete: (name) => http.request("DELETE", namePath(name)),
  };
}
