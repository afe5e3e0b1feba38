// Headers: a case-insensitive multimap of HTTP header fields. Names are stored lower-case (as
// fetch shows them); iteration is sorted and combines repeated fields with ", ", except
// set-cookie, whose values stay separate (and are also available from getSetCookie()).

export type HeadersInit = Headers | Iterable<readonly [string, string] | string[]> | Record<string, string>;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

function headerName(name: unknown): string {
  const text = String(name);
  if (!TOKEN.test(text)) throw new TypeError(`Invalid header name: "${text}"`);
  return text.toLowerCase();
}

function headerValue(value: unknown): string {
  const text = String(value).replace(EDGE_WHITESPACE, "");
  if (/[\0\r\n]|[^\0-\xff]/.test(text)) throw new TypeError(`Invalid header value: "${text}"`);
  return text;
}

export class Headers {
  #list: [string, string][] = [];

  constructor(init?: HeadersInit | null) {
    if (init === undefined || init === null) return;
    if (typeof init !== "object") throw new TypeError("Headers: init must be an object or a list of pairs");
    if (Symbol.iterator in init) {
      for (const pair of init as Iterable<Iterable<string>>) {
        const entry = [...pair];
        if (entry.length !== 2) throw new TypeError("Headers: each header must be a [name, value] pair");
        this.append(entry[0]!, entry[1]!);
      }
    } else {
      for (const name of Object.keys(init)) this.append(name, (init as Record<string, string>)[name]!);
    }
  }

  append(name: string, value: string): void {
    this.#list.push([headerName(name), headerValue(value)]);
  }

  delete(name: string): void {
    const key = headerName(name);
    this.#list = this.#list.filter(([n]) => n !== key);
  }

  get(name: string): string | null {
    const key = headerName(name);
    const values = this.#list.filter(([n]) => n === key).map(([, v]) => v);
    return values.length === 0 ? null : values.join(", ");
  }

  getSetCookie(): string[] {
    return this.#list.filter(([n]) => n === "set-cookie").map(([, v]) => v);
  }

  has(name: string): boolean {
    const key = headerName(name);
    return this.#list.some(([n]) => n === key);
  }

  set(name: string, value: string): void {
    const key = headerName(name);
    const text = headerValue(value);
    const at = this.#list.findIndex(([n]) => n === key);
    if (at < 0) {
      this.#list.push([key, text]);
      return;
    }
    this.#list[at] = [key, text];
    this.#list = this.#list.filter(([n], i) => n !== key || i === at);
  }

  forEach(callback: (value: string, name: string, headers: Headers) => void, thisArg?: unknown): void {
    for (const [name, value] of this) callback.call(thisArg, value, name, this);
  }

  *entries(): IterableIterator<[string, string]> {
    const names = [...new Set(this.#list.map(([n]) => n))].sort();
    for (const name of names) {
      if (name === "set-cookie") {
        for (const value of this.getSetCookie()) yield [name, value];
      } else {
        yield [name, this.get(name)!];
      }
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }
}
