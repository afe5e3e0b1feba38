// The live tail: executions that start from now on, as they start and finish, with their log lines.
//
// Two public sources, merged: a poll of GET /api/executions (every second, from just before the
// tail started) finds every run, also one that prints nothing, and sees `running` turn into its
// outcome; GET /api/logs/stream brings the lines the runs print, and a line of a run not shown yet
// (or still running) polls at once, so a run that logs shows up as it is stored. The database
// answers both, so runs of every node sharing a PostgreSQL database are in it.
//
// Paused, neither source is read; resuming reads again from the tail's start, so nothing that ran
// meanwhile is missed (up to the newest MAX_ROWS).
import { useEffect, useRef, useState } from "preact/hooks";
import type { Execution, ExecutionFilters, LogLine } from "../../../src/sdk/index.js";
import type { Session } from "../session/session.js";

const POLL_MS = 1000;
export const MAX_ROWS = 100;
const MAX_LINES_PER_RUN = 20;
/** Runs whose lines came before the run itself, kept until it does. */
const MAX_EARLY_RUNS = 500;
/** Runs stored a little after they started (held back, or on a node whose clock is behind). */
const LOOKBACK_MS = 2000;

export interface TailRow extends Execution {
  lines: LogLine[];
}

export type TailState = "off" | "starting" | "live" | "paused";

/** Which runs the tail shows: those of one function, of one trigger, or all. */
export type TailScope = Pick<ExecutionFilters, "function" | "trigger">;

export interface LiveTail {
  state: TailState;
  scope: TailScope;
  rows: TailRow[];
  /** The latest failure of either source, shown until the next success. */
  pollError: unknown;
  streamError: unknown;
  /** Starts (or starts again) from now, for runs in `scope`. */
  start(scope: TailScope): void;
  pause(): void;
  resume(): void;
  stop(): void;
  /** Opens the log stream again after it broke. */
  reconnect(): void;
}

export function useLiveTail(session: Session): LiveTail {
  const [state, setState] = useState<TailState>("off");
  const [scope, setScope] = useState<TailScope>({});
  const [rows, setRows] = useState<TailRow[]>([]);
  const [pollError, setPollError] = useState<unknown>(null);
  const [streamError, setStreamError] = useState<unknown>(null);
  const [streamRun, setStreamRun] = useState(0);
  // Where the tail reads from, set when it starts: runs known then are not news.
  const origin = useRef<{ since?: string; known: Set<string> } | null>(null);
  const runs = useRef(new Map<string, TailRow>());
  /** Lines of runs the poll has not brought yet. */
  const early = useRef(new Map<string, LogLine[]>());
  const pollNow = useRef<() => void>(() => {});
  /** The stream was closed (paused) or broke: once open again, lines printed meanwhile are read back. */
  const missedLines = useRef(false);

  const show = () =>
    setRows(
      [...runs.current.values()]
        .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id))
        .slice(0, MAX_ROWS),
    );

  // Starting: learn what already ran, so only new runs are shown.
  useEffect(() => {
    if (state !== "starting") return;
    const filter = scope;
    let cancelled = false;
    void (async () => {
      try {
        const [newest] = (await session.client.admin.executions.list({ ...filter, limit: 1 })).items;
        const since = newest ? new Date(Date.parse(newest.startedAt) - LOOKBACK_MS).toISOString() : undefined;
        // Everything in the look-back window is already known: only later runs are news.
        const recent = since
          ? await session.client.admin.executions.list({ ...filter, since, limit: 1000 })
          : null;
        if (cancelled) return;
        origin.current = {
          known: new Set(recent?.items.map((run) => run.id)),
          ...(since ? { since } : {}),
        };
        setPollError(null);
        setState("live");
      } catch (error) {
        if (cancelled) return;
        setPollError(error);
        setState("off");
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [state, scope]);

  // Live: poll the runs.
  useEffect(() => {
    if (state !== "live" || !origin.current) return;
    const from = origin.current;
    const filter = scope;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    let again = false;
    const poll = async () => {
      if (inFlight) {
        again = true;
        return;
      }
      inFlight = true;
      clearTimeout(timer);
      try {
        const page = await session.client.admin.executions.list({
          ...filter,
          ...(from.since ? { since: from.since } : {}),
          limit: MAX_ROWS,
        });
        if (stopped) return;
        for (const run of page.items) {
          if (from.known.has(run.id)) continue;
          const lines = runs.current.get(run.id)?.lines ?? early.current.get(run.id) ?? [];
          early.current.delete(run.id);
          runs.current.set(run.id, { ...run, lines });
        }
        setPollError(null);
        show();
      } catch (error) {
        if (!stopped) setPollError(error);
      } finally {
        inFlight = false;
        if (!stopped) {
          if (again) {
            again = false;
            void poll();
          } else timer = setTimeout(() => void poll(), POLL_MS);
        }
      }
    };
    pollNow.current = () => void poll();
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
      pollNow.current = () => {};
    };
  }, [state, session]);

  // Live: follow the log lines.
  useEffect(() => {
    if (state !== "live" || !origin.current) return;
    const from = origin.current;
    const filter = scope;
    const controller = new AbortController();
    const add = (line: LogLine) => {
      if (from.known.has(line.executionId)) return;
      const run = runs.current.get(line.executionId);
      const lines = run?.lines ?? early.current.get(line.executionId) ?? [];
      if (lines.some((l) => l.id === line.id)) return;
      const next = [...lines, line].sort((a, b) => a.seq - b.seq).slice(-MAX_LINES_PER_RUN);
      if (run) run.lines = next;
      else {
        early.current.set(line.executionId, next);
        // Lines of runs the tail never shows (another trigger) must not pile up.
        for (const id of early.current.keys()) {
          if (early.current.size <= MAX_EARLY_RUNS) break;
          early.current.delete(id);
        }
      }
      // A line is stored with its run's end: fetch the run (or its outcome) now.
      if (!run || run.status === "running") pollNow.current();
    };
    const backfill = async () => {
      try {
        // From the tail's start, on the server's clock: the browser's may be off.
        const lines = await session.client.admin.logs.list({
          ...(filter.function ? { function: filter.function } : {}),
          ...(from.since ? { since: from.since } : {}),
          limit: 1000,
        });
        if (controller.signal.aborted) return;
        for (const line of lines.reverse()) add(line);
        show();
      } catch (error) {
        if (!controller.signal.aborted) setPollError(error);
      }
    };
    session.client.admin.logs
      .follow({
        ...(filter.function ? { function: filter.function } : {}),
        signal: controller.signal,
        onOpen: () => {
          setStreamError(null);
          // Opened after a pause: what was printed meanwhile is read back (duplicates are dropped).
          if (missedLines.current) {
            missedLines.current = false;
            void backfill();
          }
        },
        onLine: (line) => {
          add(line);
          show();
        },
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        missedLines.current = true;
        setStreamError(error);
      });
    return () => controller.abort();
  }, [state, session, streamRun]);

  return {
    state,
    scope,
    rows,
    pollError,
    streamError,
    start(next) {
      origin.current = null;
      missedLines.current = false;
      setScope(next);
      runs.current.clear();
      early.current.clear();
      setRows([]);
      setStreamError(null);
      setState("starting");
    },
    pause() {
      missedLines.current = true;
      setState((now) => (now === "live" ? "paused" : now));
    },
    resume() {
      setStreamError(null);
      setState((now) => (now === "paused" ? "live" : now));
    },
    reconnect() {
      setStreamError(null);
      setStreamRun((n) => n + 1);
    },
    stop() {
      origin.current = null;
      setState("off");
    },
  };
}
