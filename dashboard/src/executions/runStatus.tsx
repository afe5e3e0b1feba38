// How a run's status reads everywhere: the status as a word in its colour (running is plain, it is
// not an outcome yet).
import type { ExecutionStatus } from "../../../src/sdk/index.js";

export function RunStatus({ status }: { status: ExecutionStatus | string }) {
  return <span class={`status status-${status}`}>{status === "running" ? "running…" : status}</span>;
}

// TEMPORARY: ExecutionDetail.tsx still imports these from here; they live in ui/formatTime.ts.
export { formatDuration, formatInstant } from "../ui/formatTime.js";
