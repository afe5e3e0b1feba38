// TextEncoder / TextDecoder (UTF-8 only, as in Deno and Workers), written out in JS because an
// isolate has no ICU-backed decoder exposed. The decoder follows the WHATWG algorithm, so invalid
// input becomes U+FFFD exactly where a browser puts it, and `stream: true` keeps split sequences.
import { type BufferSource, viewBytes } from "./bytes.js";

/** Encodes to UTF-8; a lone surrogate becomes U+FFFD. */
export function utf8Encode(input: string): Uint8Array {
  const out = new Uint8Array(input.length * 3);
  const { written } = encodeInto(input, out);
  return out.slice(0, written);
}

function encodeInto(input: string, dest: Uint8Array): { read: number; written: number } {
  let read = 0;
  let written = 0;
  while (read < input.length) {
    let code = input.charCodeAt(read);
    let units = 1;
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = input.charCodeAt(read + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        units = 2;
      } else {
        code = 0xfffd;
      }
    }
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (written + size > dest.length) break;
    if (size === 1) {
      dest[written++] = code;
    } else {
      const lead = size === 2 ? 0xc0 : size === 3 ? 0xe0 : 0xf0;
      dest[written++] = lead | (code >> (6 * (size - 1)));
      for (let shift = 6 * (size - 2); shift >= 0; shift -= 6)
        dest[written++] = 0x80 | ((code >> shift) & 0x3f);
    }
    read += units;
  }
  return { read, written };
}

/** The WHATWG UTF-8 decoder state machine; one instance per stream. */
class Utf8Decoder {
  private needed = 0;
  private seen = 0;
  private code = 0;
  private lower = 0x80;
  private upper = 0xbf;

  decode(bytes: Uint8Array, flush: boolean, fatal: boolean): string {
    const parts: string[] = [];
    let units: number[] = [];
    const push = (code: number) => {
      if (code > 0xffff) {
        const c = code - 0x10000;
        units.push(0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
      } else {
        units.push(code);
      }
      if (units.length >= 8192) {
        parts.push(String.fromCharCode(...units));
        units = [];
      }
    };
    const invalid = () => {
      this.reset();
      if (fatal) throw new TypeError("The encoded data was not valid UTF-8");
      push(0xfffd);
    };

    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      if (this.needed === 0) {
        if (byte <= 0x7f) push(byte);
        else if (byte >= 0xc2 && byte <= 0xdf) this.start(1, byte & 0x1f);
        else if (byte >= 0xe0 && byte <= 0xef) {
          if (byte === 0xe0) this.lower = 0xa0;
          if (byte === 0xed) this.upper = 0x9f;
          this.start(2, byte & 0x0f);
        } else if (byte >= 0xf0 && byte <= 0xf4) {
          if (byte === 0xf0) this.lower = 0x90;
          if (byte === 0xf4) this.upper = 0x8f;
          this.start(3, byte & 0x07);
        } else invalid();
        continue;
      }
      if (byte < this.lower || byte > this.upper) {
        invalid();
        i--; // the byte that broke the sequence starts afresh
        continue;
      }
      this.lower = 0x80;
      this.upper = 0xbf;
      this.code = (this.code << 6) | (byte & 0x3f);
      if (++this.seen === this.needed) {
        const code = this.code;
        this.reset();
        push(code);
      }
    }
    if (flush && this.needed !== 0) invalid();
    if (units.length > 0) parts.push(String.fromCharCode(...units));
    return parts.join("");
  }

  private start(needed: number, code: number) {
    this.needed = needed;
    this.code = code;
  }

  private reset() {
    this.needed = 0;
    this.seen = 0;
    this.code = 0;
    this.lower = 0x80;
    this.upper = 0xbf;
  }
}

/**
 * Decodes UTF-8 the way `Response.text()` does: invalid bytes become U+FFFD and a leading BOM is
 * dropped (kept with stripBom false, as the form-urlencoded parser wants).
 */
export function utf8Decode(bytes: Uint8Array, stripBom = true): string {
  const text = new Utf8Decoder().decode(bytes, true, false);
  return stripBom && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export class TextEncoder {
  get encoding(): string {
    return "utf-8";
  }

  encode(input = ""): Uint8Array {
    return utf8Encode(String(input));
  }

  encodeInto(source: string, destination: Uint8Array): { read: number; written: number } {
    if (!(destination instanceof Uint8Array))
      throw new TypeError("encodeInto: destination must be a Uint8Array");
    return encodeInto(String(source), destination);
  }

  get [Symbol.toStringTag](): string {
    return "TextEncoder";
  }
}

const UTF8_LABELS = new Set([
  "utf-8",
  "utf8",
  "unicode-1-1-utf-8",
  "unicode11utf8",
  "unicode20utf8",
  "x-unicode20utf8",
]);

export class TextDecoder {
  readonly #fatal: boolean;
  readonly #ignoreBOM: boolean;
  #decoder = new Utf8Decoder();
  #bomChecked = false;

  constructor(label = "utf-8", options: { fatal?: boolean; ignoreBOM?: boolean } = {}) {
    if (!UTF8_LABELS.has(String(label).trim().toLowerCase())) {
      throw new RangeError(`The "${label}" encoding is not supported (functions decode UTF-8 only)`);
    }
    this.#fatal = Boolean(options.fatal);
    this.#ignoreBOM = Boolean(options.ignoreBOM);
  }

  get encoding(): string {
    return "utf-8";
  }

  get fatal(): boolean {
    return this.#fatal;
  }

  get ignoreBOM(): boolean {
    return this.#ignoreBOM;
  }

  decode(input?: BufferSource, options: { stream?: boolean } = {}): string {
    const stream = Boolean(options.stream);
    const bytes = input === undefined || input === null ? new Uint8Array(0) : viewBytes(input);
    let text: string;
    try {
      text = this.#decoder.decode(bytes, !stream, this.#fatal);
    } catch (err) {
      this.#decoder = new Utf8Decoder();
      this.#bomChecked = false;
      throw err;
    }
    if (!this.#ignoreBOM && !this.#bomChecked && text.length > 0) {
      this.#bomChecked = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!stream) this.#bomChecked = false;
    return text;
  }

  get [Symbol.toStringTag](): string {
    return "TextDecoder";
  }
}
