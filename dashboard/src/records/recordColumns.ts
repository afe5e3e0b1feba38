// The columns of a page of records: the system fields id, ownerId and createdAt first, then every
// other top-level field in the order the documents bring them, and updatedAt last.
import type { BackendRecord } from "../../../src/sdk/index.js";

const FIRST = ["id", "ownerId", "createdAt"];
const LAST = ["updatedAt"];

export function columnsOf(records: BackendRecord[]): string[] {
  const seen = new Set<string>([...FIRST, ...LAST]);
  const fields: string[] = [];
  for (const record of records) {
    for (const field of Object.keys(record)) {
      if (seen.has(field)) continue;
      seen.add(field);
      fields.push(field);
    }
  }
  return [...FIRST, ...fields, ...LAST];
}

const MAX_CELL = 80;

/** A field's value in one table cell: strings as they are, anything else as compact JSON, cut short. */
export function cellText(value: unknown): string {
  if (value === undefined) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}
