// The bundles (and source maps) of the function versions this worker has been sent, by fn.key, so
// the server sends each one once instead of with every execution. Bounded by characters held,
// least recently used first out; a job for a key that is no longer here is answered `need-code`
// and the server sends it again in full.
import type { FunctionCode } from "../types.js";

const MAX_CHARS = 64 * 1024 * 1024;

interface Stored {
  code: string;
  sourceMap?: string;
}

export class CodeStore {
  private readonly entries = new Map<string, Stored>();
  private chars = 0;

  constructor(private readonly maxChars = MAX_CHARS) {}

  /** Fills in `fn.code` (and its source map) from the store; false when the key is not here. */
  fill(fn: Pick<FunctionCode, "key"> & Partial<FunctionCode>): boolean {
    const stored = this.entries.get(fn.key);
    if (!stored) return false;
    this.entries.delete(fn.key);
    this.entries.set(fn.key, stored);
    fn.code = stored.code;
    if (stored.sourceMap !== undefined) fn.sourceMap = stored.sourceMap;
    return true;
  }

  keep(fn: FunctionCode): void {
    this.drop(fn.key);
    const stored: Stored = { code: fn.code };
    if (fn.sourceMap !== undefined) stored.sourceMap = fn.sourceMap;
    this.entries.set(fn.key, stored);
    this.chars += size(stored);
    for (const [key] of this.entries) {
      if (this.chars <= this.maxChars || this.entries.size === 1) break;
      this.drop(key);
    }
  }

  private drop(key: string): void {
    const stored = this.entries.get(key);
    if (!stored) return;
    this.entries.delete(key);
    this.chars -= size(stored);
  }
}

function size(stored: Stored): number {
  return stored.code.length + (stored.sourceMap?.length ?? 0);
}
