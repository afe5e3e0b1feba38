// The Deliveries list's filters live in the URL query (/deliveries?status=dead&function=welcome), so
// a filtered view can be bookmarked, shared and reached with back/forward. Names as the API's.
import { DELIVERY_STATUSES, type DeliveryFilters, type DeliveryStatus } from "../../../src/sdk/index.js";
import { pathWithQuery } from "../router/pathWithQuery.js";

export const PAGE_SIZE = 50;

export interface ListQuery extends DeliveryFilters {
  offset: number;
}

function text(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name)?.trim();
  return value ? value : undefined;
}

export function readListQuery(query: URLSearchParams): ListQuery {
  const status = query.get("status");
  const offset = Number(query.get("offset"));
  return {
    status: DELIVERY_STATUSES.includes(status as DeliveryStatus) ? (status as DeliveryStatus) : undefined,
    event: text(query, "event"),
    function: text(query, "function"),
    eventId: text(query, "event_id"),
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The dashboard path of the list with these filters (empty ones left out). */
export function listPath(list: Partial<ListQuery>): string {
  return pathWithQuery("/deliveries", {
    status: list.status,
    event: list.event,
    function: list.function,
    event_id: list.eventId,
    offset: list.offset,
  });
}

export function deliveryPath(id: string): string {
  return `/deliveries/${encodeURIComponent(id)}`;
}
