// URLSearchParams: an ordered list of name/value pairs serialized as
// application/x-www-form-urlencoded. A URL's `searchParams` is linked to its URL, so a change on
// either side shows on the other (linkToUrl / resetFromUrl are for url.ts only).
import { utf8Decode, utf8Encode } from "./encoding.js";

export type URLSearchParamsInit =
  string | URLSearchParams | Iterable<readonly [string, string] | string[]> | Record<string, string>;

let link: (params: URLSearchParams, onChange: (query: string) => void) => void;
let reset: (params: URLSearchParams, query: string) => void;

/** Makes every change of `params` call `onChange` with the new serialized query. */
export function linkToUrl(params: URLSearchParams, onChange: (query: string) => void): void {
  link(params, onChange);
}

/** Replaces the pairs after the URL's search changed (without calling back into the URL). */
export function resetFromUrl(params: URLSearchParams, search: string): void {
  reset(params, search);
}

export class URLSearchParams {
  #list: [string, string][] = [];
  #onChange: ((query: string) => void) | undefined;

  static {
    link = (params, onChange) => {
      params.#onChange = onChange;
    };
    reset = (params, query) => {
      params.#list = parseQuery(query);
    };
  }

  constructor(init: URLSearchParamsInit = "") {
    if (init instanceof URLSearchParams) {
      this.#list = init.#list.map(([n, v]) => [n, v]);
    } else if (typeof init === "object" && init !== null && Symbol.iterator in init) {
      for (const pair of init as Iterable<Iterable<string>>) {
        const entry = [...pair];
        if (entry.length !== 2) throw new TypeError("URLSearchParams: each pair must have exactly two items");
        this.#list.push([String(entry[0]), String(entry[1])]);
      }
    } else if (typeof init === "object" && init !== null) {
      for (const name of Object.keys(init))
        this.#list.push([name, String((init as Record<string, string>)[name])]);
    } else {
      this.#list = parseQuery(String(init));
    }
  }

  get size(): number {
    return this.#list.length;
  }

  append(name: string, value: string): void {
    this.#list.push([String(name), String(value)]);
    this.#update();
  }

  delete(name: string, value?: string): void {
    const key = String(name);
    this.#list = this.#list.filter(([n, v]) => n !== key || (value !== undefined && v !== String(value)));
    this.#update();
  }

  get(name: string): string | null {
    const key = String(name);
    return this.#list.find(([n]) => n === key)?.[1] ?? null;
  }

  getAll(name: string): string[] {
    const key = String(name);
    return this.#list.filter(([n]) => n === key).map(([, v]) => v);
  }

  has(name: string, value?: string): boolean {
    const key = String(name);
    return this.#list.some(([n, v]) => n === key && (value === undefined || v === String(value)));
  }

  set(name: string, value: string): void {
    const key = String(name);
    const at = this.#list.findIndex(([n]) => n === key);
    if (at < 0) {
      this.#list.push([key, String(value)]);
    } else {
      this.#list[at] = [key, String(value)];
      this.#list = this.#list.filter(([n], i) => n !== key || i === at);
    }
    this.#update();
  }

  /** Stable sort by name, comparing UTF-16 code units as the spec says. */
  sort(): void {
    this.#list.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.#update();
  }

  forEach(callback: (value: string, name: string, params: URLSearchParams) => void, thisArg?: unknown): void {
    for (const [name, value] of this.#list) callback.call(thisArg, value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    for (const [name, value] of this.#list) yield [name, value];
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.#list) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.#list) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  toString(): string {
    return this.#list.map(([n, v]) => `${formEncode(n)}=${formEncode(v)}`).join("&");
  }

  get [Symbol.toStringTag](): string {
    return "URLSearchParams";
  }

  #update(): void {
    this.#onChange?.(this.toString());
  }
}

function parseQuery(query: string): [string, string][] {
  const text = query.startsWith("?") ? query.slice(1) : query;
  const list: [string, string][] = [];
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const name = eq >= 0 ? part.slice(0, eq) : part;
    const value = eq >= 0 ? part.slice(eq + 1) : "";
    list.push([formDecode(name), formDecode(value)]);
  }
  return list;
}

const HEX = "0123456789ABCDEF";

function formEncode(text: string): string {
  let out = "";
  for (const byte of utf8Encode(text)) {
    const safe =
      (byte >= 0x30 && byte <= 0x39) ||
      (byte >= 0x41 && byte <= 0x5a) ||
      (byte >= 0x61 && byte <= 0x7a) ||
      byte === 0x2a ||
      byte === 0x2d ||
      byte === 0x2e ||
      byte === 0x5f;
    if (safe) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += "+";
    else out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  return out;
}

function formDecode(text: string): string {
  const bytes = utf8Encode(text.replace(/\+/g, " "));
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    if (byte === 0x25 && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out[n++] = Number.parseInt(String.fromCharCode(bytes[i + 1]!, bytes[i + 2]!), 16);
      i += 2;
    } else {
      out[n++] = byte;
    }
  }
  return utf8Decode(out.subarray(0, n), false);
}

function isHex(byte: number | undefined): boolean {
  return byte !== undefined && /^[0-9A-Fa-f]$/.test(String.fromCharCode(byte));
}
