// The deliveries, newest first, filtered by status, event type, function and event (all in the URL
// query), with their attempts, next attempt and last error; pages of 50. While any shown delivery
// is pending or running the list refreshes itself.
import { functionPath } from "../functions/functionPath.js";
import { Link } from "../router/router.js";
import type { Session } from "../session/session.js";
import { formatTime } from "../ui/formatTime.js";
import { EmptyState, ErrorMessage, Loading } from "../ui/states.js";
import { Pager } from "../ui/Pager.js";
import { useLoad } from "../ui/useLoad.js";
import { DeliveryFiltersForm } from "./DeliveryFiltersForm.js";
import { DeliveryStatusTag } from "./DeliveryStatusTag.js";
import { deliveryPath, listPath, PAGE_SIZE, readListQuery } from "./deliveryQuery.js";
import { usePolling } from "../ui/usePolling.js";

export function DeliveriesList({ session, query }: { session: Session; query: URLSearchParams }) {
  const list = readListQuery(query);
  const key = listPath(list);
  const deliveries = useLoad(
    () => session.client.admin.deliveries.list({ ...list, limit: PAGE_SIZE }),
    [session, key],
  );
  const items = deliveries.data?.items;
  usePolling(deliveries.reload, !!items?.some((d) => d.status === "pending" || d.status === "running"));
  const filtered = !!(list.status || list.event || list.function || list.eventId);

  return (
    <section class="deliveries">
      <div class="page-head">
        <h1>Deliveries</h1>
        <button type="button" class="button" onClick={() => void deliveries.reload()}>
          Refresh
        </button>
      </div>
      <p class="muted">
        Every POST or custom event is handed to each subscribed function as a delivery, retried with backoff
        until it succeeds or runs out of attempts (dead). Retry or replay any of them from its page.
      </p>
      <DeliveryFiltersForm session={session} list={list} />
      {deliveries.state === "error" && <ErrorMessage error={deliveries.error} onRetry={deliveries.reload} />}
      {items === undefined ? (
        deliveries.state === "loading" && <Loading label="Loading deliveries…" />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? "No deliveries match these filters" : "No deliveries yet"}>
          {filtered ? (
            <p>
              <Link to="/deliveries">Show every delivery</Link>
            </p>
          ) : (
            <p>
              Deliveries appear when an event fires that a function subscribes to.{" "}
              <Link to="/events">Publish a test event</Link>
            </p>
          )}
        </EmptyState>
      ) : (
        <>
          <div class="table-wrap">
            <table class="table deliveries-table">
              <caption class="visually-hidden">Deliveries</caption>
              <thead>
                <tr>
                  <th scope="col">Delivery</th>
                  <th scope="col">Event</th>
                  <th scope="col">Function</th>
                  <th scope="col">Status</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Next attempt</th>
                  <th scope="col">Last error</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr key={d.id} data-delivery={d.id}>
                    <th scope="row">
                      <Link to={deliveryPath(d.id)} class="mono" aria-label={`Delivery ${d.id}`}>
                        {shortId(d.id)}
                      </Link>
                      {d.replayOf !== null && <span class="tag">replay</span>}
                      {d.edited && <span class="tag">edited</span>}
                    </th>
                    <td class="mono">
                      <Link to={listPath({ ...list, event: d.event, offset: 0 })} title={`Only ${d.event}`}>
                        {d.event}
                      </Link>
                    </td>
                    <td>
                      <Link to={functionPath(d.function)}>{d.function}</Link>
                    </td>
                    <td>
                      <DeliveryStatusTag delivery={d} />
                    </td>
                    <td data-testid="attempts">
                      {d.attempts}/{d.maxAttempts}
                    </td>
                    <td title={d.nextAttemptAt}>
                      {d.status === "pending" ? formatTime(d.nextAttemptAt) : "—"}
                    </td>
                    <td class="delivery-error" title={d.lastError ?? undefined}>
                      {d.lastError ?? "—"}
                    </td>
                    <td title={d.createdAt}>{formatTime(d.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager
            label="Deliveries pages"
            offset={list.offset}
            limit={PAGE_SIZE}
            shown={items.length}
            to={(offset) => listPath({ ...list, offset })}
          />
        </>
      )}
    </section>
  );
}

/** The end of an id, which is what differs between ids made close together. */
function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-10)}` : id;
}
