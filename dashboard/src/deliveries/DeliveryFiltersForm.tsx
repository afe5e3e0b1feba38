// The list's filters: status applies as soon as it is chosen; event type and function (typed, with
// the known names suggested) when the form is submitted. A filter on one event shows as a chip.
import { useEffect, useState } from "preact/hooks";
import { DELIVERY_STATUSES, type DeliveryStatus } from "../../../src/sdk/index.js";
import { Link, navigate } from "../router/router.js";
import type { Session } from "../session/session.js";
import { useLoad } from "../ui/useLoad.js";
import { type ListQuery, listPath } from "./deliveryQuery.js";

const STATUS_LABELS: Record<DeliveryStatus, string> = {
  pending: "Pending (incl. retrying)",
  running: "Running",
  done: "Done",
  dead: "Dead",
};

export function DeliveryFiltersForm({ session, list }: { session: Session; list: ListQuery }) {
  // Suggestions only: the filters work without them, so their failures stay quiet.
  const types = useLoad(() => session.client.admin.events.types(), [session]);
  const functions = useLoad(() => session.client.admin.functions.list(), [session]);
  const [event, setEvent] = useState(list.event ?? "");
  const [fn, setFn] = useState(list.function ?? "");
  useEffect(() => setEvent(list.event ?? ""), [list.event]);
  useEffect(() => setFn(list.function ?? ""), [list.function]);

  function submit(e: Event) {
    e.preventDefault();
    navigate(listPath({ ...list, event: event.trim(), function: fn.trim(), offset: 0 }));
  }

  const filtered = !!(list.status || list.event || list.function || list.eventId);
  return (
    <form class="card inline-form delivery-filters" aria-label="Filter deliveries" onSubmit={submit}>
      <div class="field">
        <label for="delivery-status">Status</label>
        <select
          id="delivery-status"
          name="status"
          value={list.status ?? ""}
          onChange={(e) =>
            navigate(
              listPath({
                ...list,
                status: (e.currentTarget.value || undefined) as DeliveryStatus,
                offset: 0,
              }),
            )
          }
        >
          <option value="">Any status</option>
          {DELIVERY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="delivery-event">Event type</label>
        <input
          id="delivery-event"
          name="event"
          list="delivery-event-types"
          placeholder="Any event type"
          value={event}
          onInput={(e) => setEvent(e.currentTarget.value)}
        />
        <datalist id="delivery-event-types">
          {(types.data ?? [])
            .filter((t) => t.phase !== "PRE")
            .map((t) => (
              <option key={t.type} value={t.type} />
            ))}
        </datalist>
      </div>
      <div class="field">
        <label for="delivery-function">Function</label>
        <input
          id="delivery-function"
          name="function"
          list="delivery-functions"
          placeholder="Any function"
          value={fn}
          onInput={(e) => setFn(e.currentTarget.value)}
        />
        <datalist id="delivery-functions">
          {(functions.data ?? []).map((f) => (
            <option key={f.name} value={f.name} />
          ))}
        </datalist>
      </div>
      <button type="submit" class="button button-primary">
        Filter
      </button>
      {filtered && (
        <Link class="button button-quiet" to="/deliveries">
          Clear filters
        </Link>
      )}
      {list.eventId && (
        <p class="filter-chip">
          Only event <code>{list.eventId}</code>{" "}
          <Link to={listPath({ ...list, eventId: undefined, offset: 0 })} aria-label="Show every event">
            ×
          </Link>
        </p>
      )}
    </form>
  );
}
