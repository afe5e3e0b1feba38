// The executions table's filters live in the URL (/executions?function=x&status=error&page=2), so a
// filtered view can be linked and survives a reload. This maps the URL query to the API's filter
// and back; unknown values are dropped rather than sent to be refused.
import {
  EXECUTION_STATUSES,
  type ExecutionFilters,
  type ExecutionStatus,
  TRIGGERS,
  type Trigger,
} from "../../../src/sdk/index.js";
import { pathWithQuery } from "../router/pathWithQuery.js";

export const PAGE_SIZE = 25;

export interface ExecutionQuery {
  function?: string;
  status?: ExecutionStatus;
  trigger?: Trigger;
  cause?: string;
  /** ISO-8601. */
  since?: string;
  /** ISO-8601. */
  until?: string;
  /** 1-based. */
  page: number;
}

const isStatus = (v: string | null): v is ExecutionStatus =>
  (EXECUTION_STATUSES as readonly string[]).includes(v ?? "");
const isTrigger = (v: string | null): v is Trigger => (TRIGGERS as readonly string[]).includes(v ?? "");
const isDate = (v: string | null): v is string => !!v && !Number.isNaN(new Date(v).getTime());

export function queryOf(params: URLSearchParams): ExecutionQuery {
  const query: ExecutionQuery = { page: Math.max(1, Math.floor(Number(params.get("page"))) || 1) };
  const fn = params.get("function")?.trim();
  if (fn) query.function = fn;
  const status = params.get("status");
  if (isStatus(status)) query.status = status;
  const trigger = params.get("trigger");
  if (isTrigger(trigger)) query.trigger = trigger;
  const cause = params.get("cause")?.trim();
  if (cause) query.cause = cause;
  const since = params.get("since");
  if (isDate(since)) query.since = new Date(since).toISOString();
  const until = params.get("until");
  if (isDate(until)) query.until = new Date(until).toISOString();
  return query;
}

/** The dashboard path showing this query (page 1 is left out). */
export function pathOf(query: ExecutionQuery): string {
  const { page, ...filters } = query;
  return pathWithQuery("/executions", { ...filters, page: page > 1 ? page : undefined });
}

export function filterOf(query: ExecutionQuery): ExecutionFilters {
  const { page, ...filters } = query;
  return { ...filters, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE };
}

export function isFiltered(query: ExecutionQuery): boolean {
  return Object.keys(query).some((key) => key !== "page");
}

/** An ISO date as a datetime-local input's value (local time, to the minute), and back. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
