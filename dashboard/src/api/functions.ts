// /api/functions (admins): list, read, deploy, test-run, version, roll back and delete functions,
// and the executions (GET /api/executions) their list and health view count. Shapes as the server
// answers them (src/functions/catalog/*.ts, src/functions/invoke/testRun.ts,
// src/functions/executions/execution.ts).
import type { Transport } from "../../../src/sdk/http.js";
import { namePath } from "./http.js";

export type SourceFiles = Record<string, string>;
export type FunctionConfig = Record<string, unknown>;

export interface EventTrigger {
  event: string;
  priority?: number;
  active?: boolean;
}

export interface ScheduleTrigger {
  name?: string;
  schedule: string;
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
  access: "public" | "user" | "admin";
  form: string;
  hash: string;
  triggers: { events: EventTrigger[]; schedules: ScheduleTrigger[] };
  createdAt: string;
  updatedAt: string;
  lastRun?: LastRun;
}

export interface FunctionDetail extends FunctionItem {
  shownVersion: number;
  deployedAt: string;
  config: FunctionConfig;
  files: SourceFiles;
}

export interface FunctionSource {
  files: SourceFiles;
  config?: FunctionConfig;
}

export interface TestLog {
  level: string;
  message: string;
  at: string;
}

/** What POST /api/functions/<name>/test answers: the run of the edited code, nothing deployed. */
export interface TestRun {
  /** The run is recorded among the executions (with version 0). */
  executionId?: string;
  status: string;
  result?: unknown;
  /** A Deno.serve function's Response, its body as text. */
  response?: { status: number; headers: [string, string][]; body: string };
  error?: { code?: string; message: string; stack?: string } | string | null;
  logs: TestLog[];
  logsTruncated?: boolean;
  durationMs: number;
}

export interface TestRunInput extends FunctionSource {
  payload: unknown;
  /** Run as a handler of this event type, with the payload as the event data. */
  event?: string;
}

export async function listFunctions(http: Transport): Promise<FunctionItem[]> {
  const answer = await http.request<{ items: FunctionItem[] }>("GET", "/api/functions");
  return answer.items;
}

export function getFunction(http: Transport, name: string): Promise<FunctionDetail> {
  return http.request("GET", `/api/functions/${namePath(name)}`);
}

export interface DeployResult {
  name: string;
  version: number;
  /** unchanged: the same content as the active version, so no new version. */
  status: "deployed" | "unchanged";
  form: string;
  hash: string;
  access: FunctionItem["access"];
}

/** Deploys a new version (unchanged content makes none). */
export function deployFunction(http: Transport, name: string, source: FunctionSource): Promise<DeployResult> {
  return http.request("PUT", `/api/functions/${namePath(name)}`, { body: source });
}

export function testRunFunction(http: Transport, name: string, input: TestRunInput): Promise<TestRun> {
  return http.request("POST", `/api/functions/${namePath(name)}/test`, { body: input });
}

/** One version of GET /api/functions/<name>?version=N: its files and config. */
export function getFunctionVersion(http: Transport, name: string, version: number): Promise<FunctionDetail> {
  return http.request("GET", `/api/functions/${namePath(name)}`, { query: { version } });
}

export interface VersionItem {
  version: number;
  active: boolean;
  hash: string;
  form: string;
  access: FunctionItem["access"];
  createdAt: string;
}

export interface VersionList {
  name: string;
  activeVersion: number;
  /** Newest first. */
  items: VersionItem[];
}

export function listVersions(http: Transport, name: string): Promise<VersionList> {
  return http.request("GET", `/api/functions/${namePath(name)}/versions`);
}

export interface RollbackResult {
  name: string;
  version: number;
  previousVersion: number;
  form: string;
  hash: string;
}

/** Makes `version` the one that runs. */
export function rollbackFunction(http: Transport, name: string, version: number): Promise<RollbackResult> {
  return http.request("POST", `/api/functions/${namePath(name)}/rollback`, { body: { version } });
}

/** Deletes the function and its versions; its executions stay as history. */
export async function deleteFunction(http: Transport, name: string): Promise<void> {
  await http.request("DELETE", `/api/functions/${namePath(name)}`);
}

export type ExecutionStatus =
  "running" | "success" | "error" | "timeout" | "cpu_limit" | "memory_limit" | "crashed" | "too_large";

/** An item of GET /api/executions. */
export interface Execution {
  id: string;
  function: string;
  /** 0 for a test run of undeployed code. */
  version: number;
  trigger: "http" | "call" | "event" | "schedule";
  caller: string | null;
  cause: { kind: string; id: string } | null;
  status: ExecutionStatus;
  error: string | null;
  startedAt: string;
  durationMs: number | null;
  resultSize: number | null;
  logsTruncated: boolean;
}

export interface ExecutionPage {
  items: Execution[];
  total: number;
  limit: number;
  offset: number;
}

export interface ExecutionQuery {
  function?: string;
  status?: ExecutionStatus;
  /** ISO-8601: started at or after. */
  since?: string;
  /** 1 to 1000. */
  limit?: number;
  offset?: number;
}

export function listExecutions(http: Transport, query: ExecutionQuery): Promise<ExecutionPage> {
  return http.request("GET", "/api/executions", { query: { ...query } });
}

/** The largest page GET /api/executions answers. */
export const EXECUTION_PAGE = 1000;

export interface RecentExecutions {
  /** Newest first. */
  items: Execution[];
  /** How many the window holds; more than items.length when the page limit cut it. */
  total: number;
}

/**
 * The executions started since `since` (of one function, or all), newest first, read page by page
 * up to `maxPages` pages of 1000: a bounded read even on a busy server.
 */
export async function recentExecutions(
  http: Transport,
  query: { function?: string; since: string },
  maxPages: number,
): Promise<RecentExecutions> {
  const items: Execution[] = [];
  let total = 0;
  for (let page = 0; page < maxPages; page++) {
    const answer = await listExecutions(http, { ...query, limit: EXECUTION_PAGE, offset: items.length });
    items.push(...answer.items);
    total = answer.total;
    if (answer.items.length < EXECUTION_PAGE || items.length >= total) break;
  }
  return { items, total };
}
