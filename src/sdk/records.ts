// client.records: JSON documents in named collections, with typed filters.
// `list` sends the filter as a JSON query parameter (cacheable GETs); `query` sends it in a POST
// body, for filters too long for a URL. Both answer the same page. `subscribe` follows a
// collection's changes over the realtime socket; a feed outlives a dropped connection (it is
// subscribed again when the socket is back; changes made in between are not replayed).
import { BackendError } from "./errors.js";
import type { Transport } from "./http.js";
import { notify, type RealtimeSocket, type ServerFrame } from "./realtime.js";
import type {
  BackendRecord,
  DocumentData,
  Filter,
  ListOptions,
  Page,
  RecordChange,
  RecordChanges,
  SubscribeOptions,
} from "./types.js";

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
  /**
   * Calls `onChange` for each record created, updated or deleted in the collection that you may
   * read: all of them, those matching a filter (`{ done: false }`), or one record and/or a filter
   * (`{ id }`, `{ filter }`; write a filter on fields named `id` or `filter` this way). Resolves,
   * once the server follows the collection, with a function that stops the feed. A collection you
   * may not read at all -> BackendError "unauthorized" or "forbidden".
   */
  subscribe<T extends object = DocumentData>(
    collection: string,
    which: Filter<T> | SubscribeOptions<T> | undefined,
    onChange: (change: RecordChange<T>) => void,
  ): Promise<() => Promise<void>>;
}

export function recordsApi(http: Transport, socket: RealtimeSocket): RecordsApi {
  const feeds = recordFeeds(socket);
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
    subscribe: (collection, which, onChange) =>
      feeds.subscribe(
        { type: "subscribe", collection, ...feedOptions(which) },
        onChange as (change: RecordChange) => void,
      ),
  };
}

type SubscribeFrame = { type: "subscribe"; collection: string; id?: string; filter?: object };

interface Feed {
  frame: SubscribeFrame;
  onChange: (change: RecordChange) => void;
  /** The server's id for it on the current socket. */
  subscription: string | undefined;
  active: boolean;
}

/** The record feeds of one socket: subscribed again on each new connection, found by the server's id. */
function recordFeeds(socket: RealtimeSocket) {
  /** Feeds the server accepted once. */
  const feeds = new Set<Feed>();
  const bySubscription = new Map<string, Feed>();

  function open(feed: Feed, resend: boolean): Promise<ServerFrame> {
    return socket.request(feed.frame, {
      resend,
      // Set before the promise settles: the first change can come in the same turn as the answer.
      onAnswer(answer) {
        const subscription = answer.subscription as string;
        if (!feed.active) {
          // Stopped while this was on its way.
          void socket.request({ type: "unsubscribe", subscription }, { resend: false }).catch(() => {});
          return;
        }
        feed.subscription = subscription;
        bySubscription.set(subscription, feed);
      },
    });
  }

  async function close(feed: Feed): Promise<void> {
    if (!feed.active) return;
    feed.active = false;
    feeds.delete(feed);
    const { subscription } = feed;
    // Undefined: a re-subscribe is on its way, and its answer unsubscribes.
    if (subscription === undefined) return;
    bySubscription.delete(subscription);
    feed.subscription = undefined;
    // A closed socket took its feeds with it.
    if (!socket.isOpen) return;
    try {
      await socket.request({ type: "unsubscribe", subscription }, { resend: false });
    } catch (error) {
      if (!(error instanceof BackendError && (error.status === 0 || error.code === "not_found"))) throw error;
    }
  }

  socket.participate({
    holding: () => feeds.size > 0,
    restore() {
      bySubscription.clear();
      for (const feed of feeds) {
        feed.subscription = undefined;
        open(feed, false).catch((error: unknown) => {
          // Status 0: this connection is gone too, and the next one subscribes again.
          if (!(error instanceof BackendError) || error.status === 0 || !feed.active) return;
          feed.active = false;
          feeds.delete(feed);
          socket.report(
            new BackendError(
              error.status,
              error.code,
              `Could not follow '${feed.frame.collection}' again after reconnecting: ${error.message}`,
              error.details,
            ),
          );
        });
      }
    },
    receive(frame) {
      if (frame.type !== "change") return;
      const feed = bySubscription.get(frame.subscription as string);
      if (!feed?.active) return;
      const change = frame as unknown as RecordChange;
      notify([feed.onChange], {
        op: change.op,
        collection: change.collection,
        record: change.record,
        ...(change.previous ? { previous: change.previous } : {}),
      });
    },
    reset() {
      for (const feed of feeds) feed.active = false;
      feeds.clear();
      bySubscription.clear();
    },
  });

  return {
    async subscribe(frame: SubscribeFrame, onChange: (change: RecordChange) => void) {
      const feed: Feed = { frame, onChange, subscription: undefined, active: true };
      await open(feed, true);
      feeds.add(feed);
      return () => close(feed);
    },
  };
}

/** `{ id }` and `{ filter }` are options; anything else is a filter. */
function feedOptions(which: object | undefined): { id?: string; filter?: object } {
  if (which === undefined) return {};
  const { id, filter } = which as { id?: unknown; filter?: unknown };
  const options =
    Object.keys(which).every((key) => key === "id" || key === "filter") &&
    (id === undefined || typeof id === "string") &&
    (filter === undefined || (typeof filter === "object" && filter !== null && !Array.isArray(filter)));
  if (!options) return { filter: which };
  return {
    ...(id !== undefined ? { id: id as string } : {}),
    ...(filter !== undefined ? { filter: filter as object } : {}),
  };
}

/** The server's sort syntax: keys joined by commas, `-` for descending. */
function sortParam(sort: string | readonly string[] | undefined): string | undefined {
  if (sort === undefined) return undefined;
  return typeof sort === "string" ? sort : sort.join(",");
}
