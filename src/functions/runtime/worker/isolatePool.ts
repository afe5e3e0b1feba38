// The worker's isolates. Each isolate serves one function version (fn.key) and one execution at a
// time; idle ones stay warm for the next call of that version, with their next context already
// booted, until idleEvictMs passes or the least-recently-used cap pushes them out. A few spare
// isolates with the prelude compiled and a context booted wait for first calls after a deploy,
// which then only compile the function itself (with V8 cached data when the worker has it).
import ivm from "isolated-vm";
import type { PreludeInput } from "../prelude/contract.js";
import type { WorkerSettings } from "../protocol.js";
import type { FunctionCode } from "../types.js";
import { type BootedContext, bootContext, releaseContext } from "./bootContext.js";
import type { BridgeClient } from "./bridgeClient.js";
import { CodeCache } from "./codeCache.js";
import { bundleFileName } from "./sourceMaps.js";

export interface PooledIsolate {
  isolate: ivm.Isolate;
  memoryMb: number;
  prelude: ivm.Script;
  /** The function version this isolate serves; unset while it is a spare. */
  key?: string;
  script?: ivm.Script;
  /** The function's source, kept to produce its cached data after the first execution. */
  source?: string;
  filename?: string;
  /** A context booted ahead for the next execution. */
  next?: Promise<BootedContext | undefined>;
  lastUsed: number;
}

/** compileScript also sets these (the typings leave them out). */
type CompiledScript = ivm.Script & {
  cachedData?: ivm.ExternalCopy<ArrayBuffer>;
  cachedDataRejected?: boolean;
};

export const PRELUDE_FILENAME = "backend:prelude";

const WARM_UP_CODE = "var __backendModule = { default: (event, context) => ({ ok: true, event }) };";
const WARM_UP_INPUT: PreludeInput = {
  executionId: "warm-up",
  functionName: "warm-up",
  form: "default",
  trigger: "call",
  payload: { warm: true },
  caller: null,
  env: {},
  maxLogBytes: 1024,
  maxResultBytes: 1024,
};

export class IsolatePool {
  private readonly idle = new Map<string, PooledIsolate[]>();
  private readonly spares: PooledIsolate[] = [];
  private readonly code = new CodeCache();
  private preludeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;
  private spareMemoryMb = 128;
  private refilling = false;
  private closed = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly preludeCode: string,
    private readonly settings: WorkerSettings,
    private readonly bridge: BridgeClient,
  ) {
    const period = Math.max(20, Math.min(settings.idleEvictMs / 2, 30_000));
    this.sweeper = setInterval(() => this.evictIdle(), period);
    this.sweeper.unref();
  }

  /** Compiles the prelude once to produce its cached data, and fills the spares. */
  async start(): Promise<void> {
    const first = await this.create(this.spareMemoryMb);
    this.spares.push(first);
    this.refill();
  }

  /** An isolate for `fn`, with its code compiled; the caller has it alone until release(). */
  async acquire(fn: FunctionCode, memoryMb: number): Promise<PooledIsolate> {
    const list = this.idle.get(fn.key);
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        const pooled = list[i]!;
        if (pooled.memoryMb !== memoryMb) continue;
        list.splice(i, 1);
        if (list.length === 0) this.idle.delete(fn.key);
        if (!pooled.isolate.isDisposed) return pooled;
      }
    }
    this.spareMemoryMb = memoryMb;
    const index = this.spares.findIndex((s) => s.memoryMb === memoryMb && !s.isolate.isDisposed);
    const pooled = index >= 0 ? this.spares.splice(index, 1)[0]! : await this.create(memoryMb);
    try {
      await this.compile(pooled, fn);
    } catch (error) {
      this.dispose(pooled);
      throw error;
    }
    return pooled;
  }

  /** The booted context for the next execution on `pooled` (booted now if none is waiting). */
  async context(pooled: PooledIsolate): Promise<BootedContext> {
    const ready = pooled.next ? await pooled.next : undefined;
    pooled.next = undefined;
    return ready ?? bootContext(pooled.isolate, pooled.prelude, this.bridge);
  }

  /** Back to the pool after an execution; a broken or disposed isolate is dropped. */
  release(pooled: PooledIsolate, reusable: boolean): void {
    // Spares are rebuilt after an execution, not during one: creating an isolate blocks the
    // worker's thread for a moment, which would otherwise land on the first call it serves.
    setImmediate(() => this.refill());
    if (!reusable || this.closed || pooled.isolate.isDisposed || !pooled.key) {
      this.dispose(pooled);
      return;
    }
    pooled.lastUsed = Date.now();
    this.produceCachedData(pooled);
    pooled.next = this.bootAhead(pooled);
    const list = this.idle.get(pooled.key) ?? [];
    list.push(pooled);
    this.idle.set(pooled.key, list);
    this.enforceCap();
  }

  /** Keys of the warm (idle) isolates, for stats. */
  warmKeys(): string[] {
    const keys: string[] = [];
    for (const [key, list] of this.idle) for (const _ of list) keys.push(key);
    return keys;
  }

  get spareCount(): number {
    return this.spares.length;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const list of this.idle.values()) for (const pooled of list) this.dispose(pooled);
    this.idle.clear();
    for (const pooled of this.spares.splice(0)) this.dispose(pooled);
  }

  private async create(memoryMb: number): Promise<PooledIsolate> {
    const isolate = new ivm.Isolate({ memoryLimit: memoryMb });
    try {
      const options = this.preludeCache ? { cachedData: this.preludeCache } : { produceCachedData: true };
      const prelude: CompiledScript = await isolate.compileScript(this.preludeCode, {
        filename: PRELUDE_FILENAME,
        ...options,
      });
      if (!this.preludeCache && prelude.cachedData) this.preludeCache = prelude.cachedData;
      const pooled: PooledIsolate = { isolate, memoryMb, prelude, lastUsed: Date.now() };
      pooled.next = this.bootAhead(pooled);
      return pooled;
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /**
   * Runs a throwaway execution in a new spare so the prelude's own functions are compiled in that
   * isolate before a real call needs them (contexts of one isolate share compiled code).
   */
  private async warmUp(pooled: PooledIsolate): Promise<PooledIsolate> {
    const booted = await this.context(pooled);
    try {
      await booted.dispatch.apply(undefined, ["begin", WARM_UP_INPUT] as never, {
        arguments: { copy: true },
      });
      const script = await pooled.isolate.compileScript(WARM_UP_CODE);
      await script.run(booted.context);
      script.release();
      await booted.dispatch.apply(undefined, ["invoke"] as never, { result: { promise: true, copy: true } });
    } finally {
      releaseContext(booted);
    }
    pooled.next = this.bootAhead(pooled);
    return pooled;
  }

  private async compile(pooled: PooledIsolate, fn: FunctionCode): Promise<void> {
    const cached = this.code.get(fn.key);
    // Without cached data the first compile does not produce any: that would lengthen the cold
    // start; release() produces it afterwards, off the execution's path.
    const script: CompiledScript = await pooled.isolate.compileScript(fn.code, {
      filename: bundleFileName(fn.name),
      ...(cached ? { cachedData: cached } : {}),
    });
    if (cached && script.cachedDataRejected) this.code.delete(fn.key);
    pooled.key = fn.key;
    pooled.script = script;
    pooled.source = fn.code;
    pooled.filename = bundleFileName(fn.name);
  }

  /** Compiles the function again in its own isolate (V8's compilation cache makes it cheap) to keep its cached data. */
  private produceCachedData(pooled: PooledIsolate): void {
    const { key, source, filename } = pooled;
    if (!key || source === undefined || this.code.has(key)) return;
    pooled.isolate
      .compileScript(source, { filename, produceCachedData: true })
      .then((script: CompiledScript) => {
        if (script.cachedData && !this.code.has(key)) this.code.set(key, script.cachedData);
        script.release();
      })
      .catch(() => {});
  }

  private bootAhead(pooled: PooledIsolate): Promise<BootedContext | undefined> {
    return new Promise<void>((resolve) => setImmediate(resolve))
      .then(() =>
        pooled.isolate.isDisposed ? undefined : bootContext(pooled.isolate, pooled.prelude, this.bridge),
      )
      .catch(() => undefined);
  }

  private refill(): void {
    if (this.refilling || this.closed || this.spares.length >= this.settings.spareIsolates) return;
    this.refilling = true;
    this.create(this.spareMemoryMb)
      .then((pooled) => this.warmUp(pooled))
      .then((pooled) => {
        if (this.closed) this.dispose(pooled);
        else this.spares.push(pooled);
      })
      .catch(() => {})
      .finally(() => {
        this.refilling = false;
        if (this.spares.length < this.settings.spareIsolates) setImmediate(() => this.refill());
      });
  }

  private evictIdle(): void {
    const cutoff = Date.now() - this.settings.idleEvictMs;
    for (const [key, list] of this.idle) {
      const keep = list.filter((pooled) => {
        if (pooled.lastUsed > cutoff && !pooled.isolate.isDisposed) return true;
        this.dispose(pooled);
        return false;
      });
      if (keep.length === 0) this.idle.delete(key);
      else this.idle.set(key, keep);
    }
  }

  private enforceCap(): void {
    let count = 0;
    for (const list of this.idle.values()) count += list.length;
    while (count > this.settings.maxWarmIsolates) {
      let oldest: { key: string; index: number; at: number } | undefined;
      for (const [key, list] of this.idle) {
        list.forEach((pooled, index) => {
          if (!oldest || pooled.lastUsed < oldest.at) oldest = { key, index, at: pooled.lastUsed };
        });
      }
      if (!oldest) break;
      const list = this.idle.get(oldest.key)!;
      const [pooled] = list.splice(oldest.index, 1);
      if (list.length === 0) this.idle.delete(oldest.key);
      if (pooled) this.dispose(pooled);
      count--;
    }
  }

  private dispose(pooled: PooledIsolate): void {
    try {
      if (!pooled.isolate.isDisposed) pooled.isolate.dispose();
    } catch {
      // Already disposed.
    }
  }
}
