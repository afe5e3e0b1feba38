// Schedules: every schedule with its expression (and the cron it runs on), time zone, next run and
// last status; switched on or off, run now, its history of ticks, deleted after confirming, and
// created from a phrase or a cron with a live preview.
import { useState } from "preact/hooks";
import type { ScheduleItem } from "../../../src/sdk/index.js";
import { functionPath } from "../functions/functionPath.js";
import { Link } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading, Notice } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { CreateScheduleForm } from "./CreateScheduleForm.js";
import { ScheduleHistory } from "./ScheduleHistory.js";

export function SchedulesPage({ session }: { session: Session }) {
  const schedules = useLoad(() => session.client.schedules.list(), [session]);
  const [actionError, setActionError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  /** The schedule whose history is open, and a counter that makes it read its ticks again. */
  const [historyOf, setHistoryOf] = useState<string | null>(null);
  const [runs, setRuns] = useState(0);
  const [deleting, setDeleting] = useState<ScheduleItem | null>(null);

  async function act(action: () => Promise<unknown>) {
    setActionError(null);
    setNotice(null);
    try {
      await action();
    } catch (error) {
      setActionError(error);
    }
    await schedules.reload();
  }

  const runNow = (s: ScheduleItem) =>
    act(async () => {
      setRunning(s.id);
      try {
        const result = await session.client.schedules.run(s.id);
        setNotice(`Ran ${s.name}: ${result.status}.`);
      } finally {
        setRunning(null);
        setRuns((n) => n + 1);
      }
    });

  const remove = (s: ScheduleItem) =>
    act(async () => {
      setDeleting(null);
      await session.client.schedules.delete(s.id);
      if (historyOf === s.id) setHistoryOf(null);
      setNotice(`Deleted ${s.name}; its past runs stay in Executions.`);
    });

  const shownHistory = schedules.data?.find((s) => s.id === historyOf);

  return (
    <section>
      <div class="page-head">
        <h1>Schedules</h1>
      </div>
      <p class="muted">
        A schedule runs a function on a phrase such as "Daily at 9 AM" or a cron, in a time zone.
      </p>
      <CreateScheduleForm session={session} onCreated={() => void act(async () => {})} />
      {schedules.state === "error" && <ErrorMessage error={schedules.error} onRetry={schedules.reload} />}
      {actionError !== null && <ErrorMessage error={actionError} />}
      {notice !== null && <Notice>{notice}</Notice>}
      {schedules.data === undefined ? (
        schedules.state === "loading" && <Loading label="Loading schedules…" />
      ) : schedules.data.length === 0 ? (
        <EmptyState title="No schedules yet" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Schedules</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Function</th>
                <th scope="col">Schedule</th>
                <th scope="col">Time zone</th>
                <th scope="col">Next run</th>
                <th scope="col">Active</th>
                <th scope="col">Last status</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {schedules.data.map((s) => (
                <tr key={s.id} data-schedule={s.name}>
                  <th scope="row">
                    {s.name}
                    {s.source === "config" && (
                      <span class="tag" title="Declared in the function's function.jsonc">
                        config
                      </span>
                    )}
                  </th>
                  <td>
                    <Link to={functionPath(s.function)}>{s.function}</Link>
                  </td>
                  <td>
                    {s.expression}
                    {s.cron !== null && s.cron !== s.expression && (
                      <>
                        {" "}
                        <code class="muted">({s.cron})</code>
                      </>
                    )}
                  </td>
                  <td>{s.timezone}</td>
                  <td title={s.nextRunAt ?? undefined} data-testid="next-run">
                    {s.active ? formatTime(s.nextRunAt, s.timezone) : "—"}
                  </td>
                  <td>
                    <label class="switch">
                      <input
                        type="checkbox"
                        checked={s.active}
                        aria-label={`${s.name} is active`}
                        onChange={() =>
                          void act(() => session.client.schedules.update(s.id, { active: !s.active }))
                        }
                      />
                      <span>{s.active ? "Active" : "Inactive"}</span>
                    </label>
                  </td>
                  <td>
                    {s.running ? (
                      <span class="status">running</span>
                    ) : s.lastStatus ? (
                      <span class={`status status-${s.lastStatus}`} title={s.lastRunAt ?? undefined}>
                        {s.lastStatus}
                      </span>
                    ) : (
                      <span class="muted">never ran</span>
                    )}
                  </td>
                  <td>
                    <div class="actions">
                      <button
                        type="button"
                        class="button button-quiet"
                        disabled={running !== null}
                        onClick={() => void runNow(s)}
                      >
                        {running === s.id ? "Running…" : "Run now"}
                      </button>
                      <button
                        type="button"
                        class="button button-quiet"
                        aria-expanded={historyOf === s.id}
                        aria-label={`History of ${s.name}`}
                        onClick={() => setHistoryOf(historyOf === s.id ? null : s.id)}
                      >
                        History
                      </button>
                      <button
                        type="button"
                        class="button button-quiet"
                        aria-label={`Delete ${s.name}`}
                        onClick={() => setDeleting(s)}
                      >
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shownHistory && (
        <ScheduleHistory
          session={session}
          schedule={shownHistory}
          version={runs}
          onClose={() => setHistoryOf(null)}
        />
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete the schedule ${deleting.name}?`}
          confirmLabel="Delete"
          onConfirm={() => void remove(deleting)}
          onCancel={() => setDeleting(null)}
        >
          <p>
            {deleting.function} will no longer run on {deleting.expression}.
            {deleting.source === "config" &&
              " It is declared in the function's function.jsonc: the next deploy of the function adds it again unless you remove it there."}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
