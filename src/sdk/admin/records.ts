// client.admin.records: any collection's records with the filter written as JSON text and sent as
// written, so the server parses it and a mistake gets the server's own message — for a filter that
// a person typed (the dashboard, a script's argument). With a filter object, use `client.records`.
import type { Transport } from "../http.js";
import type { BackendRecord, Page } from "../types.js";

export interface RecordTextQuery {
  /** The filter language as JSON text, e.g. '{"status":"open"}'; empty: every record. */
  filter?: string;
  /** Fields joined by commas, "-" for descending: "-createdAt,total". */
  sort?: string;
  /** 1..1000, default 50. */
  limit?: number;
  offset?: number;
}

export interface AdminRecordsApi {
  /** A page of a collection's records. Bad filter text -> BackendError 400 with the server's message. */
  list(collection: string, query?: RecordTextQuery): Promise<Page<BackendRecord>>;
}

export function adminRecordsApi(http: Transport): AdminRecordsApi {
  return {
    list: (collection, query = {}) =>
      http.request("GET", `/api/records/${encodeURIComponent(collection)}`, {
        query: {
          filter: query.filter?.trim() ? query.filter : undefined,
          sort: query.sort?.trim() ? query.sort : undefined,
          limit: query.limit,
          offset: query.offset,
        },
      }),
  };
}
