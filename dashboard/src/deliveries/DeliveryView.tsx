// One delivery: what it delivers to which function, its status and attempts (each an execution,
// linked to its page), the payload, and the two ways to deliver it again: Retry (the same payload)
// and Replay with an edited payload. Either makes a new delivery, which this view then shows.
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { DeliveryDetail, Execution } from "../../../src/sdk/index.js";
import { functionPath } from "../functions/functionPath.js";
import { prettyJson } from "../ui/jsonInput.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { DeliveryStatusTag } from "./DeliveryStatusTag.js";
import { deliveryPath, listPath } from "./deliveryQuery.js";
import { ReplayForm } from "./ReplayForm.js";
import { usePolling } from "../ui/usePolling.js";

interface Props {
  session: Session;
  id: string;
  /** Just made by a retry or replay from the delivery it names. */
  replayed: boolean;
}

export function DeliveryView({ session, id, replayed }: Props) {
  const delivery = useLoad(() => session.client.admin.deliveries.get(id), [session, id]);
  // Every attempt: the executions the delivery caused, newest first.
  const executions = useLoad(
    async () => (await session.client.admin.executions.list({ cause: id, limit: 100 })).items,
    [session, id],
  );
  const moving = delivery.data?.status === "pending" || delivery.data?.status === "running";
  usePolling(delivery.reload, moving);
  // Each change of the delivery (an attempt started or ended) reloads its executions, so the last
  // one shows as it ended even when polling stops with it.
  const change =
    delivery.data && `${delivery.data.status} ${delivery.data.attempts} ${delivery.data.executionId}`;
  const seen = useRef(change);
  useEffect(() => {
    if (change === seen.current) return;
    const first = seen.current === undefined;
    seen.current = change;
    if (!first) void executions.reload();
  }, [change]);

  return (
    <section class="deliveries">
      <p class="breadcrumbs">
        <Link to="/deliveries">← All deliveries</Link>
      </p>
      <div class="page-head">
        <h1>Deliveries</h1>
        <button
          type="button"
          class="button"
          onClick={() => void Promise.all([delivery.reload(), executions.reload()])}
        >
          Refresh
        </button>
      </div>
      {delivery.state === "error" && <ErrorMessage error={delivery.error} onRetry={delivery.reload} />}
      {delivery.data === undefined ? (
        delivery.state === "loading" && <Loading label="Loading the delivery…" />
      ) : (
        <DeliveryDetails
          session={session}
          delivery={delivery.data}
          replayed={replayed}
          executions={
            <Attempts
              executions={executions.data}
              error={executions.state === "error" ? executions.error : null}
              loading={executions.state === "loading"}
              onRetry={executions.reload}
            />
          }
        />
      )}
    </section>
  );
}

interface DetailsProps {
  session: Session;
  delivery: DeliveryDetail;
  replayed: boolean;
  executions: ComponentChildren;
}

function DeliveryDetails({ session, delivery: d, replayed, executions }: DetailsProps) {
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function replay(data?: Record<string, unknown>) {
    setError(null);
    setBusy(true);
    try {
      const created = await session.client.admin.deliveries.replay(d.id, data);
      navigate(`${deliveryPath(created.id)}?replayed=1`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h2 class="delivery-title">
        Delivery <code>{d.id}</code>
      </h2>
      {replayed && d.replayOf !== null && (
        <p class="notice" role="status">
          Replayed{d.edited ? " with an edited payload" : ""}: this is a new delivery of the same event to{" "}
          {d.function}.
        </p>
      )}
      <dl class="facts card">
        <div>
          <dt>Status</dt>
          <dd>
            <DeliveryStatusTag delivery={d} />
            {d.status === "pending" && (
              <span class="muted" title={d.nextAttemptAt}>
                {" "}
                next attempt {formatTime(d.nextAttemptAt)}
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Event</dt>
          <dd>
            <Link class="mono" to={listPath({ event: d.event })}>
              {d.event}
            </Link>{" "}
            <Link to={listPath({ eventId: d.eventId })} title="Every delivery of this event">
              <code>{d.eventId}</code>
            </Link>
          </dd>
        </div>
        <div>
          <dt>Function</dt>
          <dd>
            <Link to={functionPath(d.function)}>{d.function}</Link>
          </dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd data-testid="attempts">
            {d.attempts} of {d.maxAttempts}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd title={d.createdAt}>{formatTime(d.createdAt)}</dd>
        </div>
        <div>
          <dt>Completed</dt>
          <dd title={d.completedAt ?? undefined}>{formatTime(d.completedAt)}</dd>
        </div>
        {d.replayOf !== null && (
          <div>
            <dt>Replay of</dt>
            <dd>
              <Link to={deliveryPath(d.replayOf)}>
                <code>{d.replayOf}</code>
              </Link>
            </dd>
          </div>
        )}
      </dl>

      {d.lastError !== null && (
        <>
          <h3>Last error</h3>
          <pre class="output output-error" data-testid="last-error">
            {d.lastError}
          </pre>
        </>
      )}

      <h3>Payload {d.edited && <span class="tag">edited</span>}</h3>
      <pre class="output" data-testid="payload">
        {prettyJson(d.data)}
      </pre>

      <div class="delivery-actions">
        <button type="button" class="button button-primary" disabled={busy} onClick={() => void replay()}>
          {busy && !editing ? "Retrying…" : "Retry"}
        </button>
        <button
          type="button"
          class="button"
          aria-expanded={editing}
          aria-controls="replay-form"
          onClick={() => setEditing(!editing)}
        >
          Replay with edited payload
        </button>
        <span class="muted">Either runs the function's current version as a new delivery.</span>
      </div>
      {error !== null && !editing && <ErrorMessage error={error} />}
      {editing && (
        <ReplayForm
          initial={d.data}
          busy={busy}
          error={error}
          onReplay={(data) => replay(data)}
          onCancel={() => {
            setEditing(false);
            setError(null);
          }}
        />
      )}

      <h3>Attempts</h3>
      {executions}
    </>
  );
}

interface AttemptsProps {
  executions: Execution[] | undefined;
  error: unknown;
  loading: boolean;
  onRetry: () => void;
}

/** The executions the delivery caused, one per attempt, newest first. */
function Attempts({ executions, error, loading, onRetry }: AttemptsProps) {
  return (
    <>
      {error !== null && <ErrorMessage error={error} onRetry={onRetry} />}
      {executions === undefined ? (
        loading && <Loading label="Loading attempts…" />
      ) : executions.length === 0 ? (
        <EmptyState title="No attempt yet" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Executions of this delivery</caption>
            <thead>
              <tr>
                <th scope="col">Execution</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {executions.map((e) => (
                <tr key={e.id} data-execution={e.id}>
                  <th scope="row">
                    <Link to={`/executions/${encodeURIComponent(e.id)}`}>
                      <code>{e.id}</code>
                    </Link>
                  </th>
                  <td>
                    <span class={`status status-${e.status}`}>{e.status}</span>
                  </td>
                  <td title={e.startedAt}>{formatTime(e.startedAt)}</td>
                  <td>{e.durationMs === null ? "—" : `${Math.round(e.durationMs * 10) / 10} ms`}</td>
                  <td class="delivery-error">{e.error ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
