// The body half of Request and Response: what a body may be created from (string, bytes,
// URLSearchParams, another body's stream) and the one-shot readers text/json/arrayBuffer/bytes.
// Bodies are held in full (the isolate has no streams; `body` is a minimal stand-in), which is what
// webhooks want: the exact raw bytes.
import { BodyStream, takeStreamBytes } from "./bodyStream.js";
import { copyBytes, isBufferSource, toArrayBuffer } from "./bytes.js";
import { utf8Decode, utf8Encode } from "./encoding.js";
import { URLSearchParams } from "./urlSearchParams.js";

export type BodyInit = string | ArrayBuffer | ArrayBufferView | URLSearchParams | BodyStream;

export interface ExtractedBody {
  bytes: Uint8Array | null;
  /** The content type the body implies, used when the headers name none. */
  type: string | null;
}

export function extractBody(init: unknown): ExtractedBody {
  if (init === undefined || init === null) return { bytes: null, type: null };
  if (typeof init === "string") return { bytes: utf8Encode(init), type: "text/plain;charset=UTF-8" };
  if (init instanceof URLSearchParams) {
    return { bytes: utf8Encode(init.toString()), type: "application/x-www-form-urlencoded;charset=UTF-8" };
  }
  if (isBufferSource(init)) return { bytes: copyBytes(init), type: null };
  if (init instanceof BodyStream) return { bytes: takeStreamBytes(init), type: null };
  if (typeof init === "object" && typeof (init as { getReader?: unknown }).getReader === "function") {
    throw new TypeError(
      "Stream bodies are not supported in functions: pass a string, bytes or URLSearchParams",
    );
  }
  // Anything else is stringified, as WebIDL does (so `new Response(42)` has the body "42").
  return { bytes: utf8Encode(String(init)), type: "text/plain;charset=UTF-8" };
}

let peek: (body: Body) => Uint8Array | null;

/** The body bytes without consuming them (for clone and fetch). */
export function peekBody(body: Body): Uint8Array | null {
  return peek(body);
}

export class Body {
  readonly #bytes: Uint8Array | null;
  #used = false;
  #stream: BodyStream | null = null;

  static {
    peek = (body) => body.#bytes;
  }

  constructor(bytes: Uint8Array | null) {
    this.#bytes = bytes;
  }

  get bodyUsed(): boolean {
    return this.#used;
  }

  /** The body as a (minimal) stream; null when there is no body. */
  get body(): BodyStream | null {
    if (this.#bytes === null) return null;
    this.#stream ??= new BodyStream(() => this.#take());
    return this.#stream;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return toArrayBuffer(this.#consume());
  }

  async bytes(): Promise<Uint8Array> {
    return this.#consume().slice();
  }

  async text(): Promise<string> {
    return utf8Decode(this.#consume());
  }

  async json(): Promise<unknown> {
    return JSON.parse(utf8Decode(this.#consume()));
  }

  #consume(): Uint8Array {
    if (this.#stream?.locked) throw new TypeError("Body is unusable: its stream is locked to a reader");
    return this.#take();
  }

  #take(): Uint8Array {
    if (this.#used) throw new TypeError("Body is unusable: Body has already been read");
    if (this.#bytes === null) return new Uint8Array(0);
    this.#used = true;
    return this.#bytes;
  }
}
