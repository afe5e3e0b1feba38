// Numbers about a function's runs, counted in the browser from GET /api/executions (the API has no
// aggregate endpoint): calls, failures, error rate, p95 duration and calls per minute. Test runs of
// undeployed code (version 0) are left out: they say nothing about the deployed function's health.
import type { Execution } from "../../../src/sdk/index.js";

export interface RunStats {
  /** Runs of deployed versions (test runs left out), running ones included. */
  calls: number;
  /** Finished runs that did not succeed. */
  failed: number;
  /** Finished runs: the base of the error rate. */
  finished: number;
  running: number;
  /** Test runs seen and left out. */
  testRuns: number;
  /** failed / finished, or null when nothing finished. */
  errorRate: number | null;
  /** The 95th percentile of the finished runs' durations (nearest rank), or null. */
  p95Ms: number | null;
}

export function runStats(items: readonly Execution[]): RunStats {
  let calls = 0;
  let failed = 0;
  let running = 0;
  let testRuns = 0;
  const durations: number[] = [];
  for (const run of items) {
    if (run.version === 0) {
      testRuns++;
      continue;
    }
    calls++;
    if (run.status === "running") {
      running++;
      continue;
    }
    if (run.status !== "success") failed++;
    if (run.durationMs !== null) durations.push(run.durationMs);
  }
  const finished = calls - running;
  return {
    calls,
    failed,
    finished,
    running,
    testRuns,
    errorRate: finished === 0 ? null : failed / finished,
    p95Ms: percentile(durations, 0.95),
  };
}

/** Runs grouped by function, each group's stats. */
export function statsByFunction(items: readonly Execution[]): Map<string, RunStats> {
  const groups = new Map<string, Execution[]>();
  for (const run of items) {
    const group = groups.get(run.function);
    if (group) group.push(run);
    else groups.set(run.function, [run]);
  }
  return new Map([...groups].map(([name, runs]) => [name, runStats(runs)]));
}

/** The nearest-rank percentile: the smallest value that at least `p` of the values do not exceed. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1]!;
}

export function formatPercent(rate: number | null): string {
  if (rate === null) return "—";
  const percent = rate * 100;
  if (percent === 0 || percent === 100) return `${percent}%`;
  return percent < 10 ? `${percent.toFixed(1)}%` : `${Math.round(percent)}%`;
}

/** Calls per minute, to two significant digits (0.0021 for three calls in a day). */
export function formatRate(perMinute: number): string {
  if (perMinute === 0) return "0";
  if (perMinute >= 100) return String(Math.round(perMinute));
  return String(Number(perMinute.toPrecision(2)));
}
