// client.records: JSON documents in named collections, with typed filters.
// `list` sends the filter as a JSON query parameter (cacheable GETs); `query` sends it in a POST
// body, for filters too long for a URL. Both answer the same page.
import type { Transport } from "./http.js";
import type { BackendRecord, DocumentData, ListOptions, Page, RecordChanges } from "./types.js";

export interface RecordsApi {
  /** Stores a new record owned by the signed-in user. `data` holds your fields only. */
  create<T extends object = DocumentData>(collection: string, data: T): Promise<BackendRecord<T>>;
  /** One record by id; missing or not yours -> BackendError 404. */
  get<T extends object = DocumentData>(collection: string, id: string): Promise<BackendRecord<T>>;
  /** A page of records matching the filter (GET, filter in the URL). */
  list<T extends object = DocumentData>(
    collection: string,
    options?: ListOptions<T>,
  ): Promise<Page<BackendRecord<T>>>;
  /** The same as list, with the filter in a POST body (for long filters). */
  query<T extends object = DocumentData>(
    collection: string,
    options?: ListOptions<T>,
  ): Promise<Page<BackendRecord<T>>>;
  /** Merges top-level fields into a record; a `null` value removes that field. */
  update<T extends object = DocumentData>(
    collection: string,
    id: string,
    changes: RecordChanges<T>,
  ): Promise<BackendRecord<T>>;
  /** Deletes a record; missing or not yours -> BackendError 404. */
  delete(collection: string, id: string): Promise<void>;
}

export function recordsApi(http: Transport): RecordsApi {
  const path = (collection: string, id?: string) =>
    `/api/records/${encodeURIComponent(collection)}${id === undefined ? "" : `/${encodeURIComponent(id)}`}`;

  return {
    create: (collection, data) => http.request("POST", path(collection), { body: data }),
    get: (collection, id) => http.request("GET", path(collection, id)),
    list: (collection, options = {}) =>
      http.request("GET", path(collection), {
        query: {
          // JSON.stringify writes Dates as ISO-8601 strings.
          filter: options.filter === undefined ? undefined : JSON.stringify(options.filter),
          sort: sortParam(options.sort),
          limit: options.limit,
          offset: options.offset,
        },
      }),
    query: (collection, options = {}) =>
      http.request("POST", `${path(collection)}/query`, {
        body: {
          filter: options.filter,
          sort: sortParam(options.sort),
          limit: options.limit,
          offset: options.offset,
        },
      }),
    update: (collection, id, changes) => http.request("PATCH", path(collection, id), { body: changes }),
    async delete(collection, id) {
      await http.request("DELETE", path(collection, id));
    },
  };
}

/** The server's sort syntax: keys joined by commas, `-` for descending. */
function sortParam(sort: string | readonly string[] | undefined): string | undefined {
  if (sort === undefined) return undefined;
  return typeof sort === "string" ? sort : sort.join(",");
}
