// A record: the caller's fields plus the system fields. The `data` column keeps the whole record,
// system fields included, so filters and sorts treat `createdAt` like any other field.
import { readJson } from "../storage/store.js";

export interface SystemFields {
  /** UUIDv7: sorting by id is sorting by creation. */
  id: string;
  /** The user who created it; null when the admin key did. */
  ownerId: string | null;
  createdAt: string;
  updatedAt: string;
}

export type StoredRecord = SystemFields & { [field: string]: unknown };

/** Set by the server only; in a body they are ignored. */
export const SYSTEM_FIELDS: ReadonlySet<string> = new Set(["id", "ownerId", "createdAt", "updatedAt"]);

/** System fields first, then the caller's, so a record reads the same on both stores. */
export function buildRecord(system: SystemFields, fields: Record<string, unknown>): StoredRecord {
  const record: StoredRecord = { ...system };
  for (const [key, value] of Object.entries(fields)) {
    if (!SYSTEM_FIELDS.has(key)) record[key] = value;
  }
  return record;
}

export function systemFieldsOf(record: StoredRecord): SystemFields {
  const { id, ownerId, createdAt, updatedAt } = record;
  return { id, ownerId, createdAt, updatedAt };
}

export function recordFromData(data: unknown): StoredRecord {
  const stored = readJson<StoredRecord>(data);
  return buildRecord(systemFieldsOf(stored), stored);
}
