// The `body` of a Request or Response: not a real ReadableStream (the isolate holds bodies whole),
// but enough of one for the common uses: passing it on (`new Response(upstream.body, upstream)`),
// `body.getReader().read()` and `for await (const chunk of body)`. Reading it consumes the body.

let take: (stream: BodyStream) => Uint8Array;

/** The bytes behind a body stream, consuming its owner (for `new Response(stream)`). */
export function takeStreamBytes(stream: BodyStream): Uint8Array {
  return take(stream);
}

export interface BodyReader {
  read(): Promise<{ done: true; value: undefined } | { done: false; value: Uint8Array }>;
  releaseLock(): void;
  cancel(): Promise<void>;
  readonly closed: Promise<void>;
}

export class BodyStream {
  readonly #consume: () => Uint8Array;
  #locked = false;

  static {
    take = (stream) => {
      if (stream.#locked) throw new TypeError("The body stream is locked to a reader");
      stream.#locked = true;
      return stream.#consume();
    };
  }

  constructor(consume: () => Uint8Array) {
    this.#consume = consume;
  }

  get locked(): boolean {
    return this.#locked;
  }

  getReader(): BodyReader {
    if (this.#locked) throw new TypeError("The body stream is locked to a reader");
    this.#locked = true;
    let finished = false;
    return {
      read: async () => {
        if (finished) return { done: true, value: undefined };
        finished = true;
        const bytes = this.#consume();
        return bytes.byteLength > 0 ? { done: false, value: bytes } : { done: true, value: undefined };
      },
      releaseLock: () => {
        this.#locked = false;
      },
      cancel: async () => {
        finished = true;
      },
      closed: Promise.resolve(),
    };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    const reader = this.getReader();
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return;
      yield chunk.value;
    }
  }

  get [Symbol.toStringTag](): string {
    return "ReadableStream";
  }
}
