// The list of deployed functions (name, triggers, active version, last run and its status, error
// rate over the last 24 hours, updated) and the "New function" form, which opens the editor on a
// draft that the first deploy creates. The error rates come from one bounded read of the recent
// executions of all functions, not one request per function.
import { useMemo, useState } from "preact/hooks";
import type { FunctionItem } from "../../../src/sdk/index.js";
import { functionPath } from "./functionPath.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { nameProblem } from "./functionName.js";
import { type RecentExecutions, recentExecutions } from "./recentExecutions.js";
import { formatPercent, type RunStats, statsByFunction } from "./runStats.js";
import "./functions.css";

const DAY_MS = 24 * 60 * 60 * 1000;
/** At most this many pages of 1000 executions are read for the error rates. */
const RATE_PAGES = 2;

interface Rates {
  byFunction: Map<string, RunStats>;
  /** The window the rates cover: the last 24 h, or less when the page limit cut it. */
  since: string;
  complete: boolean;
  read: number;
}

async function loadRates(session: Session): Promise<Rates> {
  const since = new Date(Date.now() - DAY_MS).toISOString();
  const recent: RecentExecutions = await recentExecutions(session.client, { since }, RATE_PAGES);
  const complete = recent.items.length >= recent.total;
  return {
    byFunction: statsByFunction(recent.items),
    since: complete ? since : (recent.items.at(-1)?.startedAt ?? since),
    complete,
    read: recent.items.length,
  };
}

export function FunctionsPage({ session }: { session: Session }) {
  const functions = useLoad(() => session.client.admin.functions.list(), [session]);
  const rates = useLoad(() => loadRates(session), [session]);
  const [creating, setCreating] = useState(false);

  return (
    <section>
      <div class="page-head">
        <h1>Functions</h1>
        {!creating && (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            New function
          </button>
        )}
      </div>
      {creating && <NewFunctionForm onCancel={() => setCreating(false)} />}
      {functions.state === "error" && <ErrorMessage error={functions.error} onRetry={functions.reload} />}
      {functions.data === undefined ? (
        functions.state === "loading" && <Loading label="Loading functions…" />
      ) : functions.data.length === 0 ? (
        <EmptyState title="No functions yet">
          <p>Create one here with "New function", or deploy a project with `backend functions deploy`.</p>
        </EmptyState>
      ) : (
        <>
          {rates.state === "error" && <ErrorMessage error={rates.error} onRetry={rates.reload} />}
          <FunctionTable items={functions.data} rates={rates.data} ratesLoading={rates.state === "loading"} />
        </>
      )}
    </section>
  );
}

interface TableProps {
  items: FunctionItem[];
  rates: Rates | undefined;
  ratesLoading: boolean;
}

function FunctionTable({ items, rates, ratesLoading }: TableProps) {
  const rateTitle = useMemo(() => {
    if (!rates) return "Failed runs among the finished runs of the last 24 hours";
    const base = "Failed runs among the finished runs of the last 24 hours (test runs not counted)";
    return rates.complete
      ? base
      : `${base}; only the latest ${rates.read} runs of all functions were read, back to ${rates.since}`;
  }, [rates]);
  return (
    <div class="table-wrap">
      <table class="table">
        <caption class="visually-hidden">Deployed functions</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Triggers</th>
            <th scope="col">Version</th>
            <th scope="col">Last run</th>
            <th scope="col">Status</th>
            <th scope="col" title={rateTitle}>
              Error rate (24 h)
            </th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {items.map((fn) => (
            <tr key={fn.name} data-function={fn.name}>
              <th scope="row">
                <Link to={functionPath(fn.name)}>{fn.name}</Link>
                <span class="tag">{fn.access}</span>
              </th>
              <td>
                <Triggers item={fn} />
              </td>
              <td>v{fn.version}</td>
              <td data-testid="last-run">
                {fn.lastRun ? (
                  <span title={fn.lastRun.startedAt}>{formatTime(fn.lastRun.startedAt)}</span>
                ) : (
                  <span class="muted">never</span>
                )}
              </td>
              <td data-testid="last-status">
                {fn.lastRun ? (
                  <span class={`status status-${fn.lastRun.status}`}>{fn.lastRun.status}</span>
                ) : (
                  <span class="muted">—</span>
                )}
              </td>
              <td data-testid="error-rate" title={rateTitle}>
                <ErrorRate stats={rates?.byFunction.get(fn.name)} rates={rates} loading={ratesLoading} />
              </td>
              <td title={fn.updatedAt}>{formatTime(fn.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ErrorRate({ stats, rates, loading }: { stats?: RunStats; rates?: Rates; loading: boolean }) {
  if (!rates) return <span class="muted">{loading ? "…" : "—"}</span>;
  if (!stats || stats.finished === 0) {
    return <span class="muted">{rates.complete ? "no runs" : "—"}</span>;
  }
  return (
    <span class={stats.failed > 0 ? "rate rate-bad" : "rate"}>
      {formatPercent(stats.errorRate)}{" "}
      <span class="muted">
        ({stats.failed} of {stats.finished})
      </span>
    </span>
  );
}

function Triggers({ item }: { item: FunctionItem }) {
  const { events, schedules } = item.triggers;
  const parts = [
    ...events.map((e) => e.event),
    ...schedules.map((s) => (s.name ? `${s.name}: ${s.schedule}` : s.schedule)),
  ];
  if (item.access !== "admin") parts.unshift("HTTP");
  return parts.length === 0 ? <span class="muted">calls only</span> : <>{parts.join(", ")}</>;
}

function NewFunctionForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  function submit(event: Event) {
    event.preventDefault();
    const found = nameProblem(name.trim());
    if (found) return setProblem(found);
    navigate(functionPath(name.trim(), { draft: true }));
  }

  return (
    <form class="card inline-form" onSubmit={submit} aria-label="New function">
      <label class="field">
        <span>Name</span>
        <input
          name="functionName"
          required
          autoFocus
          placeholder="e.g. hello or email/send"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          aria-invalid={problem ? "true" : undefined}
          aria-describedby={problem ? "new-function-problem" : undefined}
        />
      </label>
      <div class="actions">
        <button type="submit" class="button button-primary">
          Create
        </button>
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {problem && (
        <p id="new-function-problem" class="form-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
