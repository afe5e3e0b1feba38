// How `backend dev` writes to the terminal: one line per event, `time TAG name text`, with the
// lines of a multi-line message (a stack trace) indented under it. Colours only on a terminal that
// wants them (not when piped, not with NO_COLOR).

export type Tag = "DEBUG" | "INFO" | "WARN" | "ERROR" | "DONE" | "DEV" | "EMAIL";

const COLOURS: Record<Tag, string> = {
  DEBUG: "\x1b[90m",
  INFO: "\x1b[36m",
  WARN: "\x1b[33m",
  ERROR: "\x1b[31m",
  DONE: "\x1b[32m",
  DEV: "\x1b[35m",
  EMAIL: "\x1b[34m",
};
const RESET = "\x1b[0m";
const DIM = "\x1b[2m";

export interface Terminal {
  /** Writes one event; `name` is a function's name or "" for the dev server itself. */
  line(tag: Tag, name: string, text: string, at?: Date): void;
}

export function createTerminal(
  stream: NodeJS.WriteStream = process.stdout,
  colour = Boolean(stream.isTTY) && !process.env.NO_COLOR,
): Terminal {
  const paint = (code: string, text: string) => (colour ? `${code}${text}${RESET}` : text);
  return {
    line(tag, name, text, at = new Date()) {
      const time = clockTime(at);
      const [first = "", ...rest] = text.replace(/\s+$/, "").split("\n");
      const indent = " ".repeat(time.length + 7);
      const shown = `${paint(DIM, time)} ${paint(COLOURS[tag], tag.padEnd(5))}${name ? ` ${name}` : ""}`;
      stream.write(`${shown} ${first}\n${rest.map((l) => `${indent}${l}\n`).join("")}`);
    },
  };
}

/** 14:03:07.123 in local time: what a developer compares with the clock on the wall. */
export function clockTime(at: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, "0")}`;
}
