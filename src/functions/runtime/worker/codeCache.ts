// V8 cached data per function version (never a heap snapshot): compiling a bundle again in a new
// isolate (after eviction, or a second concurrent isolate) skips parsing. Bounded by bytes, least
// recently used first out.
import type ivm from "isolated-vm";

const MAX_BYTES = 64 * 1024 * 1024;

export class CodeCache {
  private readonly entries = new Map<string, { data: ivm.ExternalCopy<ArrayBuffer>; bytes: number }>();
  private bytes = 0;

  get(key: string): ivm.ExternalCopy<ArrayBuffer> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.data;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, data: ivm.ExternalCopy<ArrayBuffer>): void {
    this.delete(key);
    const bytes = data.copy().byteLength;
    this.entries.set(key, { data, bytes });
    this.bytes += bytes;
    for (const [oldKey] of this.entries) {
      if (this.bytes <= MAX_BYTES) break;
      this.delete(oldKey);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
    entry.data.release();
  }
}
