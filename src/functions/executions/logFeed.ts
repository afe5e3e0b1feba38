// New log lines as they are stored, for `GET /api/logs/stream` and `backend functions logs --follow`.
// Lines stored by this node arrive through `publish` at once. Lines stored by other nodes (several
// nodes on one PostgreSQL) are found by polling `execution_logs` while anyone listens: log ids are
// UUIDv7, so "ids from the last few seconds" is an index range. The window is re-read on every poll
// because a transaction may commit a little after its ids were made; ids already announced are
// remembered for the length of the window, so no line is announced twice.
import type { Db } from "../../storage/schema.js";
import { type LogItem, toLogItem } from "./execution.js";
import { heldFor } from "../../core/memo.js";

export type LogListener = (line: LogItem) => void;

const POLL_MS = 1000;
/** How long after its id was made a line may still commit and be found. */
const WINDOW_MS = 3000;
const PAGE = 1000;

export class LogFeed {
  private readonly listeners = new Set<LogListener>();
  /** Announced (or about to be) ids, with the time they were seen; only kept while polling. */
  private readonly seen = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(
    private readonly db: Db,
    private readonly pollMs = POLL_MS,
  ) {}

  /** Listens to every new line; returns the function that stops listening. */
  subscribe(listener: LogListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.startPolling();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Marks lines as announced before they are committed, so the poller skips them. */
  claim(lines: readonly LogItem[]): void {
    if (!this.polling) return;
    const now = Date.now();
    for (const line of lines) this.seen.set(line.id, now);
  }

  /** Announces lines this node has just stored. */
  publish(lines: readonly LogItem[]): void {
    if (this.listeners.size === 0) return;
    for (const line of lines) this.emit(line);
  }

  private emit(line: LogItem): void {
    for (const listener of this.listeners) {
      try {
        listener(line);
      } catch {
        // One broken listener (a closed socket) must not starve the others.
      }
    }
  }

  private startPolling(): void {
    this.polling = true;
    this.seen.clear();
    // The first round only learns what is already there: a new listener hears new lines only.
    void this.poll(false).finally(() => this.schedule());
  }

  private stopPolling(): void {
    this.polling = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.seen.clear();
  }

  private schedule(): void {
    if (!this.polling) return;
    this.timer = setTimeout(() => {
      void this.poll(true).finally(() => this.schedule());
    }, this.pollMs);
    this.timer.unref();
  }

  private async poll(announce: boolean): Promise<void> {
    // Ids come from the wall clock (UUIDv7), so the window is measured with it too, not deps.clock.
    const now = Date.now();
    let after = idFloor(now - WINDOW_MS);
    try {
      for (;;) {
        const rows = await this.db
          .selectFrom("execution_logs")
          .selectAll()
          .where("id", ">", after)
          .orderBy("id")
          .limit(PAGE)
          .execute();
        for (const row of rows) {
          if (this.seen.has(row.id)) continue;
          this.seen.set(row.id, now);
          if (announce && this.polling) this.emit(toLogItem(row));
        }
        if (rows.length < PAGE) break;
        after = rows.at(-1)!.id;
      }
    } catch {
      // The database is unreachable or closing: try again at the next round.
    }
    for (const [id, at] of this.seen) if (at < now - 2 * WINDOW_MS) this.seen.delete(id);
  }
}

/** The smallest UUIDv7 (as text) made at `ms`: ids compare as text in time order. */
export function idFloor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

const feeds = new WeakMap<Db, LogFeed>();

/** The feed of one platform (one database handle). */
export function logFeed(db: Db): LogFeed {
  return heldFor(feeds, db, () => new LogFeed(db));
}
