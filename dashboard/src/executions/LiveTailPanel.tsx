// The live tail panel: started by hand (it polls while open), pausable, with each new run as a row
// that turns from running to its outcome and lists the lines it printed. The tail itself lives in
// ExecutionsPage, so it goes on while a run's detail is open.
import { Link } from "../router/router.js";
import { ErrorMessage } from "../ui/states.js";
import { formatDuration, formatInstant } from "../ui/formatTime.js";
import { RunStatus } from "./runStatus.js";
import { type LiveTail, MAX_ROWS, type TailRow, type TailScope } from "./useLiveTail.js";

interface Props {
  tail: LiveTail;
  /** The table's filter: the scope of a tail started here. */
  filter: TailScope;
}

export function LiveTailPanel({ tail, filter: tableFilter }: Props) {
  const filter = tail.state === "off" ? tableFilter : tail.scope;
  const scope = [
    filter.function && `of ${filter.function}`,
    filter.trigger && `triggered by ${filter.trigger}`,
  ]
    .filter(Boolean)
    .join(", ");

  return (
    <section class="card panel live-tail" aria-labelledby="live-tail-title">
      <div class="page-head">
        <h2 id="live-tail-title">Live tail</h2>
        <div class="actions">
          {tail.state === "off" && (
            <button type="button" class="button button-primary" onClick={() => tail.start(tableFilter)}>
              Start live tail
            </button>
          )}
          {tail.state === "starting" && (
            <button type="button" class="button" disabled>
              Starting…
            </button>
          )}
          {tail.state === "live" && (
            <button type="button" class="button" onClick={tail.pause}>
              Pause
            </button>
          )}
          {tail.state === "paused" && (
            <button type="button" class="button button-primary" onClick={tail.resume}>
              Resume
            </button>
          )}
          {(tail.state === "live" || tail.state === "paused") && (
            <button type="button" class="button" onClick={tail.stop}>
              Stop
            </button>
          )}
        </div>
      </div>
      <p class="muted" role="status" data-testid="tail-state">
        {tail.state === "off" &&
          `Shows runs ${scope ? `${scope} ` : ""}as they start and finish, with their logs.`}
        {tail.state === "starting" && "Starting…"}
        {tail.state === "live" && (
          <>
            <span class="live-dot" aria-hidden="true" /> Live{scope ? ` (${scope})` : ""}: new runs appear
            here.
          </>
        )}
        {tail.state === "paused" && "Paused. Resume to catch up on what ran meanwhile."}
      </p>
      {tail.pollError !== null && <ErrorMessage error={tail.pollError} />}
      {tail.streamError !== null && tail.state === "live" && (
        <ErrorMessage error={tail.streamError} onRetry={tail.reconnect} />
      )}
      {tail.state !== "off" && tail.rows.length === 0 && tail.state !== "starting" && (
        <p class="muted">No new runs yet.</p>
      )}
      {tail.rows.length > 0 && (
        <div class="table-wrap">
          <table class="table tail-table">
            <caption class="visually-hidden">Live tail: runs since the tail started, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Function</th>
                <th scope="col">Trigger</th>
                <th scope="col">Status</th>
                <th scope="col">Duration</th>
                <th scope="col">Logs</th>
              </tr>
            </thead>
            <tbody>
              {tail.rows.map((run) => (
                <TailRowView key={run.id} run={run} />
              ))}
            </tbody>
          </table>
          {tail.rows.length >= MAX_ROWS && <p class="muted">Showing the newest {MAX_ROWS} runs.</p>}
        </div>
      )}
    </section>
  );
}

function TailRowView({ run }: { run: TailRow }) {
  return (
    <tr data-execution={run.id} data-function={run.function} data-status={run.status}>
      <th scope="row" title={run.startedAt}>
        <Link to={`/executions/${encodeURIComponent(run.id)}`}>{formatInstant(run.startedAt)}</Link>
      </th>
      <td>{run.function}</td>
      <td>{run.trigger}</td>
      <td>
        <RunStatus status={run.status} />
      </td>
      <td>{formatDuration(run.durationMs)}</td>
      <td>
        {run.lines.length === 0 ? (
          <span class="muted">{run.error ?? "—"}</span>
        ) : (
          <ul class="logs tail-logs">
            {run.lines.map((line) => (
              <li key={line.id} class={`log log-${line.level}`}>
                <span class="log-level">{line.level}</span> {line.message}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}
