// /api/schedules (admins): schedules with their next run, previews of an expression, switching one on
// or off and running one now. Shapes from src/schedules/schedule.ts and previewSchedule.ts.
import type { Transport } from "../../../src/sdk/http.js";

export interface Schedule {
  id: string;
  name: string;
  function: string;
  kind: "recurring" | "once";
  /** As written: a cron, a phrase, or a one-off's instant. */
  expression: string;
  /** The cron it runs on; null for one-offs and simple recurrences. */
  cron: string | null;
  description: string | null;
  timezone: string;
  active: boolean;
  source: "config" | "api" | "function";
  runs: number;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastStatus: string | null;
  running: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface SchedulePreview {
  expression: string;
  cron: string;
  phrase: boolean;
  timezone: string;
  nextRuns: string[];
}

export interface NewSchedule {
  function: string;
  schedule: string;
  timezone?: string;
  name?: string;
}

export interface RunResult {
  status: string;
  executionId: string | null;
  error?: unknown;
}

export async function listSchedules(http: Transport): Promise<Schedule[]> {
  return (await http.request<{ items: Schedule[] }>("GET", "/api/schedules")).items;
}

export function previewSchedule(
  http: Transport,
  input: { schedule: string; timezone?: string; count?: number },
): Promise<SchedulePreview> {
  return http.request("POST", "/api/schedules/preview", { body: input });
}

export function createSchedule(http: Transport, input: NewSchedule): Promise<Schedule> {
  return http.request("POST", "/api/schedules", { body: input });
}

export function setScheduleActive(http: Transport, id: string, active: boolean): Promise<Schedule> {
  return http.request("PATCH", `/api/schedules/${encodeURIComponent(id)}`, { body: { active } });
}

export function runSchedule(http: Transport, id: string): Promise<RunResult> {
  return http.request("POST", `/api/schedules/${encodeURIComponent(id)}/run`);
}
