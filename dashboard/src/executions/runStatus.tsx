// How a run's status reads everywhere: the status as a word in its colour (styles.css), "running…"
// while it is not an outcome yet.
import type { ExecutionStatus } from "../../../src/sdk/index.js";

export function RunStatus({ status }: { status: ExecutionStatus | string }) {
  return <span class={`status status-${status}`}>{status === "running" ? "running…" : status}</span>;
}
