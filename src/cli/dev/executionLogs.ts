// Every execution's log lines, and how each execution ended, printed as they happen. The lines come
// from the log feed that also serves GET /api/logs/stream (in-process, no HTTP). How an execution
// ended, with the error's source-mapped stack, is not on that feed (the executions table keeps
// only the message), so the dev server also watches the outcomes its function runtime hands back.
// An outcome arrives just before its lines are stored (the server then adds the error's stack as a
// last line, mutating outcome.logs); the ending is printed after that last line.
import { adminKey } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import type { LogItem } from "../../functions/executions/execution.js";
import { secretRedactor } from "../../functions/executions/redactSecrets.js";
import { streamLogs } from "../../functions/executions/streamLogs.js";
import type { ExecutionJob, ExecutionOutcome } from "../../functions/runtime/types.js";
import type { Tag, Terminal } from "./terminal.js";

/** How long an ending waits for lines that may never come (a store that failed to write them). */
const LINES_GRACE_MS = 1000;

interface Ending {
  functionName: string;
  trigger: string;
  outcome: ExecutionOutcome;
  redact: (text: string) => string;
  timer?: NodeJS.Timeout;
}

/** Starts printing; returns the function that stops. */
export function printExecutions(deps: Pick<Deps, "db" | "runtime">, terminal: Terminal): () => void {
  const linesSeen = new Map<string, number>();
  const endings = new Map<string, Ending>();

  const printEnding = (executionId: string) => {
    const ending = endings.get(executionId);
    if (!ending) return;
    clearTimeout(ending.timer);
    endings.delete(executionId);
    linesSeen.delete(executionId);
    const { tag, text } = describeEnding(ending);
    terminal.line(tag, ending.functionName, text);
  };

  const unsubscribe = streamLogs(deps, adminKey, {}, (line: LogItem) => {
    terminal.line(levelTag(line.level), line.function, line.message, new Date(line.time));
    const seen = (linesSeen.get(line.executionId) ?? 0) + 1;
    linesSeen.set(line.executionId, seen);
    const ending = endings.get(line.executionId);
    if (ending && seen >= ending.outcome.logs.length) printEnding(line.executionId);
  });

  const runtime = deps.runtime;
  const execute = runtime.execute;
  runtime.execute = async (job: ExecutionJob, bridge) => {
    const outcome = await execute.call(runtime, job, bridge);
    const ending: Ending = {
      functionName: job.fn.name,
      trigger: job.input.trigger,
      outcome,
      // The stack is printed from here, before the server redacts what it stores: redact the same.
      redact: secretRedactor(Object.values(job.env)),
    };
    endings.set(job.executionId, ending);
    if ((linesSeen.get(job.executionId) ?? 0) >= ending.outcome.logs.length) printEnding(job.executionId);
    else {
      ending.timer = setTimeout(() => printEnding(job.executionId), LINES_GRACE_MS);
      ending.timer.unref();
    }
    return outcome;
  };

  return () => {
    unsubscribe();
    runtime.execute = execute;
    for (const ending of endings.values()) clearTimeout(ending.timer);
    endings.clear();
  };
}

function describeEnding(ending: Ending): { tag: Tag; text: string } {
  const { outcome, trigger, redact } = ending;
  const took = formatMs(outcome.durationMs);
  if (outcome.status === "success") return { tag: "DONE", text: `${trigger} ok in ${took}` };
  // The source-mapped stack itself is the execution's last log line (printed just before this).
  const detail = outcome.error?.message ?? "no error message";
  return { tag: "ERROR", text: redact(`${trigger} failed (${outcome.status}) in ${took}: ${detail}`) };
}

function levelTag(level: string): Tag {
  switch (level) {
    case "debug":
      return "DEBUG";
    case "warn":
      return "WARN";
    case "error":
      return "ERROR";
    default:
      return "INFO";
  }
}

function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}
