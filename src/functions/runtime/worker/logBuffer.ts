// The log lines of one execution, capped at maxLogBytes (UTF-8 of the messages). The line that
// crosses the cap is cut to fit, then one marker line ends the output and the rest is dropped.
import type { LogLevel, LogLine } from "../types.js";

const LEVELS = new Set<string>(["debug", "info", "warn", "error"]);

export function truncationMarker(maxBytes: number): string {
  return `[log output truncated at ${maxBytes} bytes]`;
}

export class LogBuffer {
  readonly lines: LogLine[] = [];
  truncated = false;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Forgets every line so far. */
  clear(): void {
    this.lines.length = 0;
    this.truncated = false;
    this.bytes = 0;
  }

  add(level: unknown, message: unknown, timeMs: unknown): void {
    if (this.truncated) return;
    const text = typeof message === "string" ? message : String(message);
    const ms = typeof timeMs === "number" && Number.isFinite(timeMs) ? timeMs : Date.now();
    const time = new Date(ms).toISOString();
    const lvl = (typeof level === "string" && LEVELS.has(level) ? level : "info") as LogLevel;
    const size = Buffer.byteLength(text);
    if (this.bytes + size <= this.maxBytes) {
      this.bytes += size;
      this.lines.push({ level: lvl, time, message: text });
      return;
    }
    const room = this.maxBytes - this.bytes;
    if (room > 0) {
      // Cut on a character boundary: decoding a cut UTF-8 buffer drops the partial character.
      const cut = Buffer.from(text)
        .subarray(0, room)
        .toString("utf8")
        .replace(/\uFFFD$/, "");
      if (cut) this.lines.push({ level: lvl, time, message: cut });
    }
    this.bytes = this.maxBytes;
    this.truncated = true;
    this.lines.push({ level: "warn", time, message: truncationMarker(this.maxBytes) });
  }
}
