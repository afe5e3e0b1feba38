// How a run's status and duration read everywhere in this section: the status as a word in its
// colour (running is plain, it is not an outcome yet), the duration in ms or s.
import type { ExecutionStatus } from "../api/executions.js";

export function RunStatus({ status }: { status: ExecutionStatus | string }) {
  return <span class={`status status-${status}`}>{status === "running" ? "running…" : status}</span>;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** Local time to the second: runs a few seconds apart must read apart. */
const precise = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "medium",
});

export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : precise.format(date);
}
