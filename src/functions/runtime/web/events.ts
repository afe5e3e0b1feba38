// Event and EventTarget, minimal: enough for AbortSignal ("abort" listeners, onabort) and for code
// that dispatches its own events. There is no tree, so no capture/bubble phases.

export interface EventInit {
  bubbles?: boolean;
  cancelable?: boolean;
  composed?: boolean;
}

type Listener = ((event: Event) => void) | { handleEvent(event: Event): void };

interface AddOptions {
  capture?: boolean;
  once?: boolean;
  passive?: boolean;
  signal?: { aborted: boolean; addEventListener(type: "abort", fn: () => void): void };
}

let beginDispatch: (event: Event, target: EventTarget) => void;
let endDispatch: (event: Event) => void;
let stoppedImmediately: (event: Event) => boolean;

export class Event {
  static readonly NONE = 0;
  static readonly AT_TARGET = 2;

  readonly #type: string;
  readonly #bubbles: boolean;
  readonly #cancelable: boolean;
  readonly #composed: boolean;
  readonly #timeStamp = Date.now();
  #defaultPrevented = false;
  #stopImmediate = false;
  #target: EventTarget | null = null;
  #current: EventTarget | null = null;

  static {
    beginDispatch = (event, target) => {
      event.#target = target;
      event.#current = target;
    };
    endDispatch = (event) => {
      event.#current = null;
    };
    stoppedImmediately = (event) => event.#stopImmediate;
  }

  constructor(type: string, init: EventInit = {}) {
    if (type === undefined) throw new TypeError("Event requires a type");
    this.#type = String(type);
    this.#bubbles = Boolean(init.bubbles);
    this.#cancelable = Boolean(init.cancelable);
    this.#composed = Boolean(init.composed);
  }

  get type(): string {
    return this.#type;
  }
  get bubbles(): boolean {
    return this.#bubbles;
  }
  get cancelable(): boolean {
    return this.#cancelable;
  }
  get composed(): boolean {
    return this.#composed;
  }
  get defaultPrevented(): boolean {
    return this.#defaultPrevented;
  }
  get target(): EventTarget | null {
    return this.#target;
  }
  get currentTarget(): EventTarget | null {
    return this.#current;
  }
  get eventPhase(): number {
    return this.#current ? Event.AT_TARGET : Event.NONE;
  }
  get timeStamp(): number {
    return this.#timeStamp;
  }
  get isTrusted(): boolean {
    return false;
  }

  preventDefault(): void {
    if (this.#cancelable) this.#defaultPrevented = true;
  }

  stopPropagation(): void {
    // Nothing to propagate to: targets form no tree here.
  }

  stopImmediatePropagation(): void {
    this.#stopImmediate = true;
  }

  composedPath(): EventTarget[] {
    return this.#current ? [this.#current] : [];
  }

  get [Symbol.toStringTag](): string {
    return "Event";
  }
}

interface Registration {
  listener: Listener;
  capture: boolean;
  once: boolean;
  removed: boolean;
}

export class EventTarget {
  #listeners = new Map<string, Registration[]>();

  addEventListener(type: string, listener: Listener | null, options: AddOptions | boolean = {}): void {
    if (listener === null || listener === undefined) return;
    const opts = typeof options === "boolean" ? { capture: options } : (options ?? {});
    if (opts.signal?.aborted) return;
    const capture = Boolean(opts.capture);
    const list = this.#listeners.get(type) ?? [];
    if (list.some((r) => r.listener === listener && r.capture === capture)) return;
    list.push({ listener, capture, once: Boolean(opts.once), removed: false });
    this.#listeners.set(type, list);
    opts.signal?.addEventListener("abort", () => this.removeEventListener(type, listener, { capture }));
  }

  removeEventListener(
    type: string,
    listener: Listener | null,
    options: { capture?: boolean } | boolean = {},
  ): void {
    const capture = typeof options === "boolean" ? options : Boolean(options?.capture);
    const list = this.#listeners.get(type);
    const at = list?.findIndex((r) => r.listener === listener && r.capture === capture) ?? -1;
    if (!list || at < 0) return;
    list[at]!.removed = true;
    list.splice(at, 1);
  }

  dispatchEvent(event: Event): boolean {
    if (!(event instanceof Event)) throw new TypeError("dispatchEvent: argument is not an Event");
    beginDispatch(event, this);
    try {
      for (const registration of [...(this.#listeners.get(event.type) ?? [])]) {
        if (registration.removed) continue;
        if (registration.once) this.removeEventListener(event.type, registration.listener, registration);
        const { listener } = registration;
        try {
          if (typeof listener === "function") listener.call(this, event);
          else listener.handleEvent(event);
        } catch (err) {
          // As in browsers, a failing listener is reported and does not stop the others.
          globalThis.console?.error(err);
        }
        if (stoppedImmediately(event)) break;
      }
    } finally {
      endDispatch(event);
    }
    return !event.defaultPrevented;
  }

  get [Symbol.toStringTag](): string {
    return "EventTarget";
  }
}
