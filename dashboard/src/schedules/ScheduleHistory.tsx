// One schedule's history: its ticks, newest first — runs on time, caught up or by hand, and the
// ticks that were skipped or missed — each with its status, timing, error and execution.
import type { ScheduleItem, TickItem } from "../../../src/sdk/index.js";
import type { Session } from "../session/session.js";
import { Link } from "../router/router.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";

const HISTORY_LIMIT = 50;

function durationOf(tick: TickItem): string {
  if (!tick.finishedAt) return "—";
  const ms = Date.parse(tick.finishedAt) - Date.parse(tick.startedAt);
  return Number.isFinite(ms) ? `${ms} ms` : "—";
}

function kindOf(tick: TickItem): string {
  if (tick.manual) return "by hand";
  if (tick.catchUp) return tick.missed > 0 ? `catch-up (+${tick.missed} missed)` : "catch-up";
  return "on time";
}

export interface ScheduleHistoryProps {
  session: Session;
  schedule: ScheduleItem;
  /** Changes when the schedule may have new ticks (after "Run now"), to read them again. */
  version: number;
  onClose: () => void;
}

export function ScheduleHistory({ session, schedule, version, onClose }: ScheduleHistoryProps) {
  const ticks = useLoad(
    () => session.client.schedules.ticks(schedule.id, { limit: HISTORY_LIMIT }),
    [session, schedule.id, version],
  );
  return (
    <section class="card history" aria-labelledby="history-title" data-history={schedule.name}>
      <div class="page-head">
        <h2 id="history-title">History of {schedule.name}</h2>
        <div class="actions">
          <button type="button" class="button button-quiet" onClick={() => void ticks.reload()}>
            Refresh
          </button>
          <button type="button" class="button button-quiet" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {ticks.state === "error" && <ErrorMessage error={ticks.error} onRetry={ticks.reload} />}
      {ticks.data === undefined ? (
        ticks.state === "loading" && <Loading label="Loading the history…" />
      ) : ticks.data.length === 0 ? (
        <EmptyState title="No runs yet">
          <p>Its next run is {formatTime(schedule.nextRunAt, schedule.timezone)}.</p>
        </EmptyState>
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Ticks of {schedule.name}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Scheduled for</th>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Execution</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {ticks.data.map((tick) => (
                <tr key={tick.id} data-tick={tick.id}>
                  <th scope="row" title={tick.scheduledAt}>
                    {formatTime(tick.scheduledAt, schedule.timezone)}
                  </th>
                  <td>{kindOf(tick)}</td>
                  <td>
                    <span class={`status status-${tick.status}`}>{tick.status}</span>
                  </td>
                  <td>{durationOf(tick)}</td>
                  <td>
                    {tick.executionId ? (
                      <Link to={`/executions/${encodeURIComponent(tick.executionId)}`}>execution</Link>
                    ) : (
                      <span class="muted">—</span>
                    )}
                  </td>
                  <td class="error-text">{tick.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {ticks.data.length === HISTORY_LIMIT && (
            <p class="muted">
              The newest {HISTORY_LIMIT} ticks; <code>backend schedules history</code> shows more.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
