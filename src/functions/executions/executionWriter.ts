// Stores executions with group commit. Starts (`running` rows) and ends (final rows and log lines)
// are queued and written in batches, one transaction per batch: one write at a time, and the next
// batch is whatever arrived while the previous one was being written, so under load many runs share
// a commit and alone a run waits for nobody. A run that starts and ends within one batch is inserted
// once, already finished.
//
// Callers never wait for a start, and a start is held back for START_DELAY_MS: most runs end
// sooner, and then their row is written once, finished, instead of inserted and updated (half the
// writes). A longer run's `running` row reaches the database with the batch after that delay, so a
// node that dies can lose the record of the runs that started in its last moments. They do wait for an end: `finish` resolves once the execution and its log
// lines are committed, so an answer is only sent for a run that is stored.
//
// A batch that fails is written again one execution at a time, so that one bad row (a log line
// PostgreSQL refuses) cannot lose the others; only the run that truly failed sees the error.
import type { Db, ExecutionLogsTable, ExecutionsTable, Executor } from "../../storage/schema.js";
import type { LogItem } from "./execution.js";
import {
  type ExecutionEnd,
  type FinishedExecution,
  finishedExecution,
  upsertFinished,
  insertLogLines,
  logRow,
} from "./finishExecution.js";
import { logFeed } from "./logFeed.js";
import { type ExecutionStart, insertRunning, runningRow } from "./recordExecution.js";

/** How long the `running` row of a run waits for the run to end before it is written anyway. */
export const START_DELAY_MS = 50;
/** Executions per transaction at most; the rest waits for the next one. */
const MAX_BATCH = 1000;
/** Rows per INSERT: far below SQLite's 32766 and PostgreSQL's 65535 bound parameters. */
const ROWS_PER_INSERT = 500;

/** A started run: end it once with `finish`. */
export interface RunningExecution {
  readonly id: string;
  /** Queues the end; resolves with the stored (redacted) log lines once committed. */
  finish(end: ExecutionEnd): Promise<LogItem[]>;
}

type Item =
  | { kind: "start"; row: ExecutionsTable }
  | {
      kind: "finish";
      finished: FinishedExecution;
      resolve: (lines: LogItem[]) => void;
      reject: (error: unknown) => void;
    };

export class ExecutionWriter {
  private queue: Item[] = [];
  private writing = false;
  private idle: (() => void)[] = [];
  /** Starts held back (START_DELAY_MS), by execution id. */
  private readonly held = new Map<string, { row: ExecutionsTable; timer: NodeJS.Timeout }>();
  private readonly inserts = {
    running: insertRunning(),
    finished: upsertFinished(),
    lines: insertLogLines(),
  };

  constructor(
    private readonly db: Db,
    private readonly log: { error(details: object, message: string): void },
  ) {}

  /** Queues the `running` row of a run that starts now. */
  start(start: ExecutionStart): RunningExecution {
    const row = runningRow(start);
    const timer = setTimeout(() => this.release(start.id), START_DELAY_MS);
    this.held.set(start.id, { row, timer });
    let finished = false;
    return {
      id: start.id,
      finish: (end) => {
        if (finished) return Promise.reject(new Error(`Execution ${start.id} has already finished`));
        finished = true;
        // Still held: the end writes the whole row, the start is not needed.
        const held = this.held.get(start.id);
        if (held) {
          clearTimeout(held.timer);
          this.held.delete(start.id);
        }
        return new Promise<LogItem[]>((resolve, reject) => {
          this.enqueue({ kind: "finish", finished: finishedExecution(start, end), resolve, reject });
        });
      },
    };
  }

  /** Resolves once everything queued so far is written (or has failed): for a graceful shutdown. */
  drain(): Promise<void> {
    for (const id of [...this.held.keys()]) this.release(id);
    if (!this.writing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** A held start goes to the queue now. */
  private release(id: string): void {
    const held = this.held.get(id);
    if (!held) return;
    clearTimeout(held.timer);
    this.held.delete(id);
    this.enqueue({ kind: "start", row: held.row });
  }

  private enqueue(item: Item): void {
    this.queue.push(item);
    if (this.writing) return;
    this.writing = true;
    // Whatever else this turn of the event loop queues joins the first batch.
    setImmediate(() => void this.writeAll());
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.length > MAX_BATCH ? this.queue.splice(0, MAX_BATCH) : this.queue;
      if (batch === this.queue) this.queue = [];
      await this.write(batch);
    }
    this.writing = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private async write(batch: Item[]): Promise<void> {
    const ended = new Set<string>();
    for (const item of batch) if (item.kind === "finish") ended.add(item.finished.row.id);
    // One unit per execution: a start whose end is in the same batch is dropped, since the end
    // writes the whole row.
    const units: Item[] = batch.filter((item) => item.kind === "finish" || !ended.has(item.row.id));
    const feed = logFeed(this.db);
    // Before the commit: a poll that reads these rows must not announce them a second time.
    for (const item of units) if (item.kind === "finish") feed.claim(item.finished.lines);
    try {
      await this.writeAtomically(units);
      for (const item of units) if (item.kind === "finish") this.done(item);
      return;
    } catch (error) {
      if (units.length === 1) {
        this.failed(units[0]!, error);
        return;
      }
    }
    for (const item of units) {
      try {
        await this.writeAtomically([item]);
        if (item.kind === "finish") this.done(item);
      } catch (error) {
        this.failed(item, error);
      }
    }
  }

  /** In one transaction; a batch that is one statement (most runs print nothing) needs none. */
  private async writeAtomically(units: readonly Item[]): Promise<void> {
    const starts: ExecutionsTable[] = [];
    const ends: ExecutionsTable[] = [];
    const lines: ExecutionLogsTable[] = [];
    for (const item of units) {
      if (item.kind === "start") starts.push(item.row);
      else {
        ends.push(item.finished.row);
        for (const line of item.finished.lines) lines.push(logRow(line));
      }
    }
    const { running, finished, lines: logLines } = this.inserts;
    const write = async (exec: Executor) => {
      for (let i = 0; i < starts.length; i += ROWS_PER_INSERT)
        await running.execute(exec, starts.slice(i, i + ROWS_PER_INSERT));
      for (let i = 0; i < ends.length; i += ROWS_PER_INSERT)
        await finished.execute(exec, ends.slice(i, i + ROWS_PER_INSERT));
      for (let i = 0; i < lines.length; i += ROWS_PER_INSERT)
        await logLines.execute(exec, lines.slice(i, i + ROWS_PER_INSERT));
    };
    const statements = [starts, ends, lines].reduce(
      (n, rows) => n + Math.ceil(rows.length / ROWS_PER_INSERT),
      0,
    );
    if (statements === 1) await write(this.db);
    else await this.db.transaction().execute(write);
  }

  private done(item: Extract<Item, { kind: "finish" }>): void {
    logFeed(this.db).publish(item.finished.lines);
    item.resolve(item.finished.lines);
  }

  private failed(item: Item, error: unknown): void {
    if (item.kind === "finish") {
      this.log.error({ err: error, executionId: item.finished.row.id }, "could not store an execution");
      item.reject(error);
    } else {
      // Its end writes the whole row again; until then the run is not listed.
      this.log.error({ err: error, executionId: item.row.id }, "could not store the start of an execution");
    }
  }
}
