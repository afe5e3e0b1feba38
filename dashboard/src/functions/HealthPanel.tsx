// A function's health over the last hour or day: calls per minute, error rate and p95 duration,
// counted from its executions (GET /api/executions?function=<name>&since=..., read page by page up to
// a bound, since the API has no aggregates). Test runs of undeployed code are not counted.
import { useState } from "preact/hooks";
import { Link } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatDuration, formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { EXECUTION_PAGE, recentExecutions } from "./recentExecutions.js";
import { formatPercent, formatRate, runStats, type RunStats } from "./runStats.js";

const WINDOWS = {
  hour: { label: "Last hour", minutes: 60 },
  day: { label: "Last 24 hours", minutes: 24 * 60 },
} as const;

type Period = keyof typeof WINDOWS;

/** At most this many pages of 1000 executions are read: 5000 runs, about one a second for a day. */
const MAX_PAGES = 5;

interface Health {
  stats: RunStats;
  /** Calls per minute over the window (or over the part read, when the bound cut it). */
  perMinute: number;
  since: string;
  /** Runs in the window, test runs included, as the API counts them. */
  total: number;
  read: number;
  /** When not everything was read: the start of the oldest run read. */
  readSince: string | null;
}

async function loadHealth(session: Session, name: string, period: Period): Promise<Health> {
  const now = Date.now();
  const since = new Date(now - WINDOWS[period].minutes * 60_000).toISOString();
  const recent = await recentExecutions(session.client, { function: name, since }, MAX_PAGES);
  const stats = runStats(recent.items);
  const complete = recent.items.length >= recent.total;
  const oldest = recent.items.at(-1)?.startedAt;
  const minutes =
    complete || !oldest
      ? WINDOWS[period].minutes
      : Math.max((now - new Date(oldest).getTime()) / 60_000, 1 / 60);
  return {
    stats,
    perMinute: stats.calls / minutes,
    since,
    total: recent.total,
    read: recent.items.length,
    readSince: complete ? null : (oldest ?? null),
  };
}

/** The Executions page, filtered on this function's runs since the window's start. */
function executionsPath(name: string, since: string, status?: string): string {
  const query = new URLSearchParams({ function: name, since });
  if (status) query.set("status", status);
  return `/executions?${query.toString()}`;
}

export function HealthPanel({ session, name }: { session: Session; name: string }) {
  const [period, setPeriod] = useState<Period>("hour");
  const health = useLoad(() => loadHealth(session, name, period), [session, name, period]);

  return (
    <section class="card panel" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      <div class="health-controls">
        <label class="field">
          <span>Window</span>
          <select name="window" value={period} onChange={(e) => setPeriod(e.currentTarget.value as Period)}>
            {Object.entries(WINDOWS).map(([id, { label }]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="button" onClick={health.reload} disabled={health.state === "loading"}>
          Refresh
        </button>
      </div>
      {health.state === "error" && <ErrorMessage error={health.error} onRetry={health.reload} />}
      {health.data === undefined ? (
        health.state === "loading" && <Loading label="Counting executions…" />
      ) : (
        <HealthNumbers name={name} health={health.data} windowLabel={WINDOWS[period].label} />
      )}
    </section>
  );
}

function HealthNumbers({ name, health, windowLabel }: { name: string; health: Health; windowLabel: string }) {
  const { stats } = health;
  if (stats.calls === 0) {
    return (
      <EmptyState title={`No runs in the ${windowLabel.toLowerCase()}`}>
        {stats.testRuns > 0 && <p>Only test runs, which are not counted.</p>}
      </EmptyState>
    );
  }
  return (
    <>
      <dl class="stats" aria-label={`Health, ${windowLabel.toLowerCase()}`}>
        <div class="card stat">
          <dt>Calls per minute</dt>
          <dd data-testid="calls-per-minute">{formatRate(health.perMinute)}</dd>
        </div>
        <div class="card stat">
          <dt>Error rate</dt>
          <dd data-testid="error-rate">
            {formatPercent(stats.errorRate)}{" "}
            <span class="stat-note">
              {stats.failed} of {stats.finished} failed
            </span>
          </dd>
        </div>
        <div class="card stat">
          <dt>p95 duration</dt>
          <dd data-testid="p95-duration">{formatDuration(stats.p95Ms)}</dd>
        </div>
        <div class="card stat">
          <dt>Calls</dt>
          <dd data-testid="calls">
            {stats.calls}
            {stats.running > 0 && <span class="stat-note"> ({stats.running} running)</span>}
          </dd>
        </div>
      </dl>
      <p class="muted" title={health.since}>
        Since {formatTime(health.since)}. Errors are the finished runs that did not succeed (errors, timeouts,
        limits, crashes); runs still going are not counted in the error rate or the p95.
        {stats.testRuns === 1 && " 1 test run from the editor is left out."}
        {stats.testRuns > 1 && ` ${stats.testRuns} test runs from the editor are left out.`}
        {health.readSince &&
          ` The window holds ${health.total} runs; these numbers come from the latest ${health.read} ` +
            `(read ${EXECUTION_PAGE} at a time), back to ${formatTime(health.readSince)}.`}
      </p>
      <p>
        <Link to={executionsPath(name, health.since)}>These runs in Executions</Link>
        {stats.failed > 0 && (
          <>
            {" · "}
            <Link to={executionsPath(name, health.since, "error")}>the ones that threw</Link>
          </>
        )}
      </p>
    </>
  );
}
