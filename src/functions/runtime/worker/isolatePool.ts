// The worker's isolates. Each isolate serves one function version (fn.key) and one execution at a
// time; idle ones stay warm for the next call of that version, with their context (the module
// loaded in it) kept for that call, until idleEvictMs passes or the least-recently-used cap pushes
// them out. A few spare isolates with the prelude compiled and a context booted wait for first
// calls, which then only compile the function itself (with V8 cached data when the worker has it);
// `prepare` does that much ahead of the first call, right after a deploy.
import ivm from "isolated-vm";
import type { PreludeInput } from "../prelude/contract.js";
import type { WorkerSettings } from "../protocol.js";
import type { FunctionCode } from "../types.js";
import { type BootedContext, bootContext, releaseContext, sameEnv } from "./bootContext.js";
import type { BridgeClient } from "./bridgeClient.js";
import { CodeCache } from "./codeCache.js";
import { IdleIsolates } from "./idleIsolates.js";
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
  /** The context the next execution runs in (booted; its module maybe loaded already). */
  booted?: BootedContext;
  /** A fresh context on its way, after the last one was discarded. */
  booting?: Promise<BootedContext | undefined>;
  lastUsed: number;
  /** Prepared after a deploy and not called yet. */
  prepared?: boolean;
}

/** Function versions remembered as thread-only, at most (the oldest are forgotten first). */
const MAX_THREAD_ONLY = 10_000;

/** compileScript also sets these (the typings leave them out). */
type CompiledScript = ivm.Script & {
  cachedData?: ivm.ExternalCopy<ArrayBuffer>;
  cachedDataRejected?: boolean;
};

/** A prepare took a spare; the next one is built this long after, once the first call is served. */
const PREPARE_REFILL_DELAY_MS = 250;

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
  private readonly idle: IdleIsolates;
  private readonly spares: PooledIsolate[] = [];
  private readonly preparing = new Map<string, Promise<void>>();
  private readonly code = new CodeCache();
  /**
   * fn.key of the versions whose warm executions go through an isolated-vm thread only (runJob.ts):
   * the function made a backend call, or an attempt on the worker's own thread made one or ran out
   * of its time slice. Every isolate of the version follows.
   */
  private readonly threadOnlyKeys = new Set<string>();
  private preludeCache: ivm.ExternalCopy<ArrayBuffer> | undefined;
  private spareMemoryMb = 128;
  private refilling = false;
  private closed = false;

  constructor(
    private readonly preludeCode: string,
    private readonly settings: WorkerSettings,
    private readonly bridge: BridgeClient,
  ) {
    this.idle = new IdleIsolates(settings.idleEvictMs, settings.maxWarmIsolates, (pooled) =>
      this.dispose(pooled),
    );
  }

  /** Compiles the prelude once to produce its cached data, and fills the spares. */
  async start(): Promise<void> {
    const first = await this.create(this.spareMemoryMb);
    first.booted = await this.boot(first);
    this.spares.push(first);
    this.refill();
  }

  /** An isolate for `fn`, with its code compiled; the caller has it alone until release(). */
  async acquire(fn: FunctionCode, memoryMb: number): Promise<PooledIsolate> {
    // A prepare of this version that is under way gets there first: wait for it, don't redo it.
    const preparing = this.preparing.get(fn.key);
    if (preparing) await preparing.catch(() => {});
    const warm = this.takeWarm(fn.key, memoryMb);
    if (warm) return warm;
    this.spareMemoryMb = memoryMb;
    const pooled = this.takeSpare(memoryMb) ?? (await this.create(memoryMb));
    try {
      await this.compile(pooled, fn);
    } catch (error) {
      this.dispose(pooled);
      throw error;
    }
    return pooled;
  }

  /**
   * An idle warm isolate of `key`, taken without waiting; undefined when there is none or a
   * prepare of that version is under way (acquire waits for it).
   */
  takeWarm(key: string, memoryMb: number): PooledIsolate | undefined {
    return this.preparing.has(key) ? undefined : this.idle.take(key, memoryMb);
  }

  /**
   * The context for the next execution on `pooled`: its warm one, unless that one loaded with
   * other secrets (`env`), in which case a fresh one.
   */
  async context(pooled: PooledIsolate, env: Record<string, string>): Promise<BootedContext> {
    const usable = this.usableContext(pooled, env);
    if (usable) return usable;
    if (pooled.booted) this.dropContext(pooled);
    const ready = pooled.booting ? await pooled.booting : undefined;
    pooled.booting = undefined;
    pooled.booted = ready ?? (await this.boot(pooled));
    return pooled.booted;
  }

  /** The context of `pooled` if the next execution (with secrets `env`) may run in it as it is. */
  usableContext(pooled: PooledIsolate, env: Record<string, string>): BootedContext | undefined {
    const current = pooled.booted;
    return current && (!current.loaded || sameEnv(current.env, env)) ? current : undefined;
  }

  /** Throws the context of `pooled` away; the next context() boots a fresh one. */
  dropContext(pooled: PooledIsolate): void {
    if (pooled.booted) releaseContext(pooled.booted);
    pooled.booted = undefined;
  }

  /**
   * Back to the pool after an execution; a broken or disposed isolate is dropped. Without
   * `keepContext` its context is discarded and a fresh one booted while the isolate waits.
   */
  release(pooled: PooledIsolate, reusable: boolean, keepContext: boolean): void {
    // Spares are rebuilt after an execution, not during one: creating an isolate blocks the
    // worker's thread for a moment, which would otherwise land on the first call it serves.
    if (!this.refilling && this.spares.length < this.settings.spareIsolates) {
      setImmediate(() => this.refill());
    }
    if (!reusable || this.closed || pooled.isolate.isDisposed || !pooled.key) {
      this.dispose(pooled);
      return;
    }
    if (!keepContext || !pooled.booted?.loaded) {
      this.dropContext(pooled);
      pooled.booting ??= this.bootLater(pooled);
    }
    this.produceCachedData(pooled);
    this.idle.park(pooled);
  }

  /**
   * Gets an isolate ready for `fn` before its first call: compiled and with a context booted, idle
   * under fn.key (its V8 cached data is produced after its first call, as for any other). The bundle's top-level code is not run: that belongs
   * to the first execution, with its logs and its caller.
   */
  prepare(fn: FunctionCode, memoryMb: number): Promise<void> {
    if (this.closed || this.idle.has(fn.key, memoryMb)) {
      return Promise.resolve();
    }
    const running = this.preparing.get(fn.key);
    if (running) return running;
    const task = this.prepareNow(fn, memoryMb).finally(() => this.preparing.delete(fn.key));
    this.preparing.set(fn.key, task);
    return task;
  }

  /** Whether warm executions of `key` must skip the worker's own thread (runJob.ts). */
  isThreadOnly(key: string): boolean {
    return this.threadOnlyKeys.has(key);
  }

  markThreadOnly(key: string): void {
    if (this.threadOnlyKeys.has(key)) return;
    this.threadOnlyKeys.add(key);
    if (this.threadOnlyKeys.size > MAX_THREAD_ONLY) {
      this.threadOnlyKeys.delete(this.threadOnlyKeys.values().next().value!);
    }
  }

  /** Keys of the warm (idle) isolates, for stats. */
  warmKeys(): string[] {
    return this.idle.keys();
  }

  get spareCount(): number {
    return this.spares.length;
  }

  close(): void {
    this.closed = true;
    this.idle.close();
    for (const pooled of this.spares.splice(0)) this.dispose(pooled);
  }

  private async prepareNow(fn: FunctionCode, memoryMb: number): Promise<void> {
    const pooled = this.takeSpare(memoryMb) ?? (await this.create(memoryMb));
    try {
      // Without producing cached data: that makes the compile slower, and the first call, which
      // comes right after a deploy, may be waiting. release() produces it after that call.
      await this.compile(pooled, fn);
      pooled.booted ??= await this.boot(pooled);
    } catch (error) {
      this.dispose(pooled);
      throw error;
    }
    if (this.closed) {
      this.dispose(pooled);
      return;
    }
    // The versions this one replaced will not be called again (short of a rollback).
    this.idle.retire(fn.name, fn.key);
    pooled.prepared = true;
    this.idle.park(pooled);
    // Building a spare blocks the worker's thread for a moment; the first call is due now.
    setTimeout(() => this.refill(), PREPARE_REFILL_DELAY_MS).unref();
  }

  private takeSpare(memoryMb: number): PooledIsolate | undefined {
    const index = this.spares.findIndex((s) => s.memoryMb === memoryMb && !s.isolate.isDisposed);
    return index >= 0 ? this.spares.splice(index, 1)[0] : undefined;
  }

  private boot(pooled: PooledIsolate): Promise<BootedContext> {
    return bootContext(pooled.isolate, pooled.prelude, this.bridge, {
      bridgeUsed: () => {
        if (pooled.key) this.markThreadOnly(pooled.key);
      },
    });
  }

  /** A fresh context, booted once the current turn (the outcome's delivery) is done. */
  private bootLater(pooled: PooledIsolate): Promise<BootedContext | undefined> {
    return new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => (pooled.isolate.isDisposed ? undefined : this.boot(pooled)))
      .catch(() => undefined);
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
      return { isolate, memoryMb, prelude, lastUsed: Date.now() };
    } catch (error) {
      if (!isolate.isDisposed) isolate.dispose();
      throw error;
    }
  }

  /**
   * Runs a throwaway execution in a new spare so the prelude's own functions are compiled in that
   * isolate before a real call needs them (contexts of one isolate share compiled code), then
   * boots the context the spare's first call will use.
   */
  private async warmUp(pooled: PooledIsolate): Promise<PooledIsolate> {
    const booted = await this.boot(pooled);
    try {
      await booted.dispatch.apply(undefined, ["begin", WARM_UP_INPUT, 1] as never, {
        arguments: { copy: true },
      });
      const script = await pooled.isolate.compileScript(WARM_UP_CODE);
      await script.run(booted.context);
      script.release();
      await booted.dispatch.apply(undefined, ["invoke"] as never, { result: { promise: true, copy: true } });
    } finally {
      releaseContext(booted);
    }
    pooled.booted = await this.boot(pooled);
    return pooled;
  }

  /**
   * Compiles the function in `pooled`, with V8's cached data when the worker has it. Without, the
   * compile does not produce it (that would lengthen the cold start; release() produces it
   * afterwards, off the execution's path).
   */
  private async compile(pooled: PooledIsolate, fn: FunctionCode): Promise<void> {
    const cached = this.code.get(fn.key);
    const filename = bundleFileName(fn.name);
    const script: CompiledScript = await pooled.isolate.compileScript(fn.code, {
      filename,
      ...(cached ? { cachedData: cached } : {}),
    });
    if (cached && script.cachedDataRejected) this.code.delete(fn.key);
    pooled.key = fn.key;
    pooled.script = script;
    pooled.source = fn.code;
    pooled.filename = filename;
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

  private dispose(pooled: PooledIsolate): void {
    try {
      if (!pooled.isolate.isDisposed) pooled.isolate.dispose();
    } catch {
      // Already disposed.
    }
  }
}
