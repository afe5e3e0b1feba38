// AbortController and AbortSignal (with AbortSignal.abort/timeout/any). fetch listens to a
// request's signal; AbortSignal.timeout uses the runtime's timers, handed over by installWebApis.
import { DOMException } from "./domException.js";
import { Event, EventTarget } from "./events.js";

interface Timers {
  setTimeout(fn: () => void, ms: number): number;
}

let timers: Timers | undefined;

/** Called once by installWebApis with the runtime's timers. */
export function useTimers(value: Timers): void {
  timers = value;
}

const CREATE = Symbol("create");
let signalAbort: (signal: AbortSignal, reason: unknown) => void;

export class AbortSignal extends EventTarget {
  #aborted = false;
  #reason: unknown = undefined;
  onabort: ((event: Event) => void) | null = null;

  static {
    signalAbort = (signal, reason) => {
      if (signal.#aborted) return;
      signal.#aborted = true;
      signal.#reason =
        reason === undefined ? new DOMException("This operation was aborted", "AbortError") : reason;
      const event = new Event("abort");
      try {
        signal.onabort?.call(signal, event);
      } catch (err) {
        globalThis.console?.error(err);
      }
      signal.dispatchEvent(event);
    };
  }

  constructor(token?: symbol) {
    if (token !== CREATE) throw new TypeError("Illegal constructor: use new AbortController().signal");
    super();
  }

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  throwIfAborted(): void {
    if (this.#aborted) throw this.#reason;
  }

  static abort(reason?: unknown): AbortSignal {
    const signal = new AbortSignal(CREATE);
    signalAbort(signal, reason);
    return signal;
  }

  static timeout(ms: number): AbortSignal {
    const delay = Number(ms);
    if (!Number.isFinite(delay) || delay < 0)
      throw new TypeError("AbortSignal.timeout: ms must be a non-negative number");
    if (!timers) throw new Error("AbortSignal.timeout is not available before installWebApis");
    const signal = new AbortSignal(CREATE);
    timers.setTimeout(
      () => signalAbort(signal, new DOMException("The operation timed out.", "TimeoutError")),
      delay,
    );
    return signal;
  }

  static any(signals: Iterable<AbortSignal>): AbortSignal {
    const result = new AbortSignal(CREATE);
    const list = [...signals];
    const aborted = list.find((s) => s.aborted);
    if (aborted) {
      signalAbort(result, aborted.reason);
      return result;
    }
    for (const source of list) {
      source.addEventListener("abort", () => signalAbort(result, source.reason), { once: true });
    }
    return result;
  }

  override get [Symbol.toStringTag](): string {
    return "AbortSignal";
  }
}

export class AbortController {
  readonly #signal = new AbortSignal(CREATE);

  get signal(): AbortSignal {
    return this.#signal;
  }

  abort(reason?: unknown): void {
    signalAbort(this.#signal, reason);
  }

  get [Symbol.toStringTag](): string {
    return "AbortController";
  }
}
