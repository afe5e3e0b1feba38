// The isolate's `console`: every call becomes a LogLine of the execution (level, time, message).
// The worker enforces the byte cap and adds the truncation marker; the prelude only stops sending
// once the cap is certainly passed, so a log flood costs the function, not the worker.
import { execution, onExecutionStart } from "./execution.js";
import { formatArgs, inspect } from "./format.js";
import { sendLog } from "./host.js";
import { dateNow, ErrorCtor, freeze, MapCtor } from "./intrinsics.js";

export type Level = "debug" | "info" | "warn" | "error";

export function emit(level: Level, message: string): void {
  const max = execution.input?.maxLogBytes ?? 262_144;
  if (execution.logChars > max) return;
  execution.logChars += message.length;
  sendLog(level, message, dateNow());
}

export function makeConsole(): Console {
  const counts = new MapCtor<string, number>();
  const timers = new MapCtor<string, number>();
  onExecutionStart(() => {
    counts.clear();
    timers.clear();
  });
  const at =
    (level: Level) =>
    (...args: unknown[]) =>
      emit(level, formatArgs(args));
  const c = {
    log: at("info"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    debug: at("debug"),
    trace: (...args: unknown[]) => {
      const stack = (new ErrorCtor().stack ?? "").split("\n").slice(2).join("\n");
      emit("debug", `Trace: ${formatArgs(args)}\n${stack}`);
    },
    dir: (value: unknown) => emit("info", inspect(value, 0, [])),
    table: (value: unknown) => emit("info", inspect(value, 0, [])),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) emit("error", `Assertion failed${args.length ? `: ${formatArgs(args)}` : ""}`);
    },
    count: (label = "default") => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      emit("info", `${label}: ${n}`);
    },
    countReset: (label = "default") => {
      counts.delete(label);
    },
    time: (label = "default") => {
      timers.set(label, dateNow());
    },
    timeLog: (label = "default", ...args: unknown[]) => {
      const start = timers.get(label);
      if (start !== undefined) emit("info", `${label}: ${dateNow() - start}ms ${formatArgs(args)}`.trimEnd());
    },
    timeEnd: (label = "default") => {
      const start = timers.get(label);
      if (start === undefined) return;
      timers.delete(label);
      emit("info", `${label}: ${dateNow() - start}ms`);
    },
    group: (...args: unknown[]) => {
      if (args.length) emit("info", formatArgs(args));
    },
    groupEnd: () => {},
  };
  return freeze(c) as unknown as Console;
}
