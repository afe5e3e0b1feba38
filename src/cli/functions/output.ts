// How the project commands print: results on stdout (a table, one line per function, or JSON with
// --json), progress on stderr — a line that redraws itself at a terminal, nothing when stderr is a
// pipe or a file (the results themselves then show how far the work is).
export class Progress {
  private shown = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get live(): boolean {
    return this.stream.isTTY === true;
  }

  /** Replaces the progress line, e.g. "[3/12] bundling email/send". */
  update(text: string): void {
    if (!this.live) return;
    const width = (this.stream.columns || 80) - 1;
    this.stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.shown = true;
  }

  /** Removes the progress line (before anything else is printed). */
  clear(): void {
    if (!this.shown) return;
    this.stream.write("\r\x1b[K");
    this.shown = false;
  }

  /** A message about the work as a whole, on stderr whether or not it is a terminal. */
  note(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
  }
}

/** Prints to stdout, clearing the progress line first. */
export function print(progress: Progress | undefined, text: string): void {
  progress?.clear();
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Columns padded to their widest cell; a multi-line last cell keeps its lines under its column. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (i < row.length - 1 ? (row[i] ?? "").length : 0))),
  );
  return [header, ...rows].map((row) => line(row, widths)).join("\n");
}

/** One result line: `status  name  detail`, the detail's further lines indented under it. */
export function resultLine(status: string, name: string, detail = "", nameWidth = 0): string {
  return line([status, name, detail], [9, nameWidth]);
}

function line(cells: string[], widths: number[]): string {
  const head = cells.slice(0, -1).map((cell, i) => cell.padEnd(widths[i] ?? 0));
  const indent = " ".repeat(head.reduce((n, cell) => n + cell.length + 2, 0));
  const [first = "", ...rest] = (cells.at(-1) ?? "").split("\n");
  return [[...head, first].join("  ").trimEnd(), ...rest.map((l) => indent + l)].join("\n");
}

/** "3 minutes ago", for times in listings. */
export function ago(iso: string, now = Date.now()): string {
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 60) return `${Math.max(seconds, 0)}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}
