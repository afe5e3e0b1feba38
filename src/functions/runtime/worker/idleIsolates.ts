// The warm isolates waiting for their next call, by function version (fn.key): taken most recently
// used first, dropped after idleEvictMs unused or, past maxWarmIsolates, least recently used first.
// Isolates prepared after a deploy and not called yet are capped apart (MAX_PREPARED): deploying a
// thousand functions must not keep a thousand isolates.
import type { PooledIsolate } from "./isolatePool.js";

/** Prepared isolates waiting for their first call, at most; the oldest go first. */
export const MAX_PREPARED = 16;

export class IdleIsolates {
  private readonly byKey = new Map<string, PooledIsolate[]>();
  private count = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly idleEvictMs: number,
    private readonly max: number,
    private readonly dispose: (pooled: PooledIsolate) => void,
  ) {
    const period = Math.max(20, Math.min(idleEvictMs / 2, 30_000));
    this.sweeper = setInterval(() => this.evict(), period);
    this.sweeper.unref();
  }

  /** An idle isolate of `key` with that memory limit, now the caller's. */
  take(key: string, memoryMb: number): PooledIsolate | undefined {
    const list = this.byKey.get(key);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const pooled = list[i]!;
      if (pooled.memoryMb !== memoryMb) continue;
      list.splice(i, 1);
      this.count--;
      if (list.length === 0) this.byKey.delete(key);
      pooled.prepared = false;
      if (!pooled.isolate.isDisposed) return pooled;
    }
    return undefined;
  }

  has(key: string, memoryMb: number): boolean {
    return this.byKey.get(key)?.some((pooled) => pooled.memoryMb === memoryMb) ?? false;
  }

  /** `pooled` (serving pooled.key) waits here for its next call. */
  park(pooled: PooledIsolate): void {
    pooled.lastUsed = Date.now();
    const list = this.byKey.get(pooled.key!);
    if (list) list.push(pooled);
    else this.byKey.set(pooled.key!, [pooled]);
    this.count++;
    this.enforceCap();
  }

  /** Drops the idle isolates of every other version of `name` (a deploy or rollback replaced them). */
  retire(name: string, keep: string): void {
    for (const [key, list] of this.byKey) {
      if (key === keep || !key.startsWith(`${name}@`)) continue;
      this.byKey.delete(key);
      this.count -= list.length;
      for (const pooled of list) this.dispose(pooled);
    }
  }

  /** fn.key of each idle isolate (a key appears once per isolate). */
  keys(): string[] {
    const keys: string[] = [];
    for (const [key, list] of this.byKey) for (const _ of list) keys.push(key);
    return keys;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const list of this.byKey.values()) for (const pooled of list) this.dispose(pooled);
    this.byKey.clear();
    this.count = 0;
  }

  private evict(): void {
    const cutoff = Date.now() - this.idleEvictMs;
    for (const [key, list] of this.byKey) {
      const keep = list.filter((pooled) => {
        if (pooled.lastUsed > cutoff && !pooled.isolate.isDisposed) return true;
        this.dispose(pooled);
        return false;
      });
      this.count -= list.length - keep.length;
      if (keep.length === 0) this.byKey.delete(key);
      else this.byKey.set(key, keep);
    }
  }

  private enforceCap(): void {
    while (this.count > this.max) if (!this.dropOldest(() => true)) break;
    while (this.preparedCount() > MAX_PREPARED) if (!this.dropOldest((p) => p.prepared === true)) break;
  }

  private preparedCount(): number {
    let prepared = 0;
    for (const list of this.byKey.values()) for (const pooled of list) if (pooled.prepared) prepared++;
    return prepared;
  }

  /** Disposes the least recently used idle isolate that `which` accepts; false if there is none. */
  private dropOldest(which: (pooled: PooledIsolate) => boolean): boolean {
    let oldest: { key: string; index: number; at: number } | undefined;
    for (const [key, list] of this.byKey) {
      list.forEach((pooled, index) => {
        if (which(pooled) && (!oldest || pooled.lastUsed < oldest.at))
          oldest = { key, index, at: pooled.lastUsed };
      });
    }
    if (!oldest) return false;
    const list = this.byKey.get(oldest.key)!;
    const [pooled] = list.splice(oldest.index, 1);
    if (list.length === 0) this.byKey.delete(oldest.key);
    this.count--;
    if (pooled) this.dispose(pooled);
    return true;
  }
}
