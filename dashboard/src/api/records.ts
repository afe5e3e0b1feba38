// /api/collections (admins) and /api/records/:collection: the collections with their read rule, and
// pages of records. The SDK has records calls, but its `list` takes a filter object; the dashboard
// sends the admin's filter text as typed, so the API judges it (bad JSON included) and its message is
// what the admin reads. Shapes from src/server/routes/collections.ts and records.ts.
import type { BackendRecord, Page } from "../../../src/sdk/index.js";
import type { Transport } from "../../../src/sdk/http.js";

export type ReadRule = "owner" | "users" | "public";

export interface Collection {
  name: string;
  read: ReadRule;
  createdAt: string;
}

export type StoredRecord = BackendRecord;
export type RecordPage = Page<StoredRecord>;

export interface RecordQuery {
  /** The filter language as JSON text, sent as typed; empty: every record. */
  filter: string;
  /** The API's sort syntax: fields joined by commas, `-` for descending. */
  sort: string;
  limit: number;
  offset: number;
}

export async function listCollections(http: Transport): Promise<Collection[]> {
  return (await http.request<{ items: Collection[] }>("GET", "/api/collections")).items;
}

export function listRecords(http: Transport, collection: string, query: RecordQuery): Promise<RecordPage> {
  return http.request("GET", `/api/records/${encodeURIComponent(collection)}`, {
    query: {
      filter: query.filter.trim() === "" ? undefined : query.filter,
      sort: query.sort.trim() === "" ? undefined : query.sort,
      limit: query.limit,
      offset: query.offset,
    },
  });
}
