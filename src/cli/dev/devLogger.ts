// The server's own log (pino) during `backend dev`, turned into terminal lines: warnings and errors,
// and the emails functions send (the development transport does not send them). Request logs and
// other chatter stay out of the way of the functions' output.
import pino, { type Logger } from "pino";
import type { Terminal } from "./terminal.js";

const WARN = 40;
const ERROR = 50;

interface PinoLine {
  level: number;
  time?: number;
  msg?: string;
  to?: string;
  subject?: string;
  err?: { message?: string };
}

export function devLogger(terminal: Terminal): Logger {
  const destination = {
    write(text: string) {
      let line: PinoLine;
      try {
        line = JSON.parse(text) as PinoLine;
      } catch {
        return;
      }
      const at = line.time ? new Date(line.time) : new Date();
      if (line.subject !== undefined && line.to !== undefined) {
        terminal.line(
          "EMAIL",
          "",
          `to ${line.to}: ${line.subject} (not sent; read it with GET /api/emails)`,
          at,
        );
      } else if (line.level >= WARN) {
        const cause = line.err?.message ? `: ${line.err.message}` : "";
        terminal.line(line.level >= ERROR ? "ERROR" : "WARN", "server", `${line.msg ?? ""}${cause}`, at);
      }
    },
  };
  return pino({ level: "info" }, destination);
}
