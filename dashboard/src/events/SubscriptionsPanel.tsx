// The subscriptions of one event type: a table (function, priority, active, created) with inline
// changes, unsubscribe after a confirmation, and the form that subscribes another function.
import { useState } from "preact/hooks";
import type { Subscription, SubscriptionSettings } from "../../../src/sdk/index.js";
import { functionPath } from "../functions/functionPath.js";
import { Link } from "../router/router.js";
import type { Session } from "../session/session.js";
import { ConfirmDialog } from "../ui/ConfirmDialog.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { useLoad } from "../ui/useLoad.js";
import { SubscribeForm } from "./SubscribeForm.js";

interface Props {
  session: Session;
  eventType: string;
  /** After any change: the counts on the type change too. */
  onChanged: () => void;
}

export function SubscriptionsPanel({ session, eventType, onChanged }: Props) {
  const subscriptions = useLoad(
    () => session.client.admin.subscriptions.list({ event: eventType }),
    [session, eventType],
  );
  const [actionError, setActionError] = useState<unknown>(null);
  const [confirming, setConfirming] = useState<Subscription | null>(null);

  async function act(action: () => Promise<unknown>) {
    setActionError(null);
    try {
      await action();
    } catch (error) {
      setActionError(error);
    }
    await subscriptions.reload();
    onChanged();
  }

  const change = (s: Subscription, changes: SubscriptionSettings) =>
    act(() => session.client.admin.subscriptions.update(s.id, changes));

  return (
    <div class="subscriptions">
      <h3>Subscriptions</h3>
      {subscriptions.state === "error" && (
        <ErrorMessage error={subscriptions.error} onRetry={subscriptions.reload} />
      )}
      {actionError !== null && <ErrorMessage error={actionError} />}
      {subscriptions.data === undefined ? (
        subscriptions.state === "loading" && <Loading label="Loading subscriptions…" />
      ) : subscriptions.data.length === 0 ? (
        <EmptyState title="No function is subscribed" />
      ) : (
        <div class="table-wrap">
          <table class="table">
            <caption class="visually-hidden">Subscriptions to {eventType}</caption>
            <thead>
              <tr>
                <th scope="col">Function</th>
                <th scope="col">Priority</th>
                <th scope="col">Active</th>
                <th scope="col">Subscribed</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.data.map((s) => (
                <tr key={s.id} data-subscription={s.function}>
                  <th scope="row">
                    <Link to={functionPath(s.function)}>{s.function}</Link>
                    {s.source === "config" && (
                      <span class="tag" title="Declared in the function's function.jsonc">
                        config
                      </span>
                    )}
                  </th>
                  <td>
                    <input
                      type="number"
                      step={1}
                      class="priority-input"
                      aria-label={`Priority of ${s.function}`}
                      value={s.priority}
                      onChange={(e) => {
                        const priority = Number(e.currentTarget.value);
                        if (Number.isInteger(priority) && priority !== s.priority)
                          void change(s, { priority });
                      }}
                    />
                  </td>
                  <td>
                    <label class="switch">
                      <input
                        type="checkbox"
                        checked={s.active}
                        aria-label={`${s.function} is active`}
                        onChange={() => void change(s, { active: !s.active })}
                      />
                      <span>{s.active ? "Active" : "Paused"}</span>
                    </label>
                  </td>
                  <td title={s.createdAt}>{formatTime(s.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      class="button button-quiet button-danger"
                      onClick={() => setConfirming(s)}
                    >
                      Unsubscribe
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <SubscribeForm
        session={session}
        eventType={eventType}
        subscribed={subscriptions.data?.map((s) => s.function) ?? []}
        onSubscribed={() => act(async () => {})}
      />
      {confirming && (
        <ConfirmDialog
          title={`Unsubscribe ${confirming.function}?`}
          confirmLabel="Unsubscribe"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const s = confirming;
            setConfirming(null);
            void act(() => session.client.admin.subscriptions.delete(s.id));
          }}
        >
          <p>
            {confirming.function} will no longer run for {eventType}.
            {confirming.source === "config" &&
              " It is declared in its function.jsonc, so its next deploy subscribes it again."}
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
