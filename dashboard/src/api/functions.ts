// /api/functions (admins): list, read, deploy and test-run functions. Shapes as the server answers
// them (src/functions/catalog/functionItem.ts, getFunction.ts).
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
  status: string;
  result?: unknown;
  error?: { code?: string; message: string } | string | null;
  logs: TestLog[];
  durationMs: number;
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

export function testRunFunction(
  http: Transport,
  name: string,
  source: FunctionSource & { payload: unknown },
): Promise<TestRun> {
  return http.request("POST", `/api/functions/${namePath(name)}/test`, { body: source });
}
