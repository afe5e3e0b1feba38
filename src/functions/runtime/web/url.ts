// URL: the WHATWG URL object model. Parsing itself is done by the host (Node's WHATWG parser, via
// host.urlParse), so every edge case of hosts and encodings matches Node; setters rebuild the href
// and re-parse it, ignoring values that would not parse, as browsers do.
import type { UrlParts } from "./host.js";
import { linkToUrl, resetFromUrl, URLSearchParams } from "./urlSearchParams.js";

let parseWithHost: (href: string, base?: string) => UrlParts | null = () => {
  throw new Error("URL parsing is not available before installWebApis");
};

/** Called once by installWebApis with the host's parser. */
export function useUrlParser(parse: (href: string, base?: string) => UrlParts | null): void {
  parseWithHost = parse;
}

function parse(url: unknown, base?: unknown): UrlParts | null {
  return base === undefined ? parseWithHost(String(url)) : parseWithHost(String(url), String(base));
}

const SPECIAL = new Set(["http:", "https:", "ws:", "wss:", "ftp:", "file:"]);
const USERINFO_SET = ` "#<>?\`{}/:;=@[\\]^|`;

/** Percent-encodes ASCII controls and `set`; other characters are left for the parser to encode. */
function percentEncode(text: string, set: string): string {
  let out = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const encode = code < 0x20 || code === 0x7f || set.includes(char);
    out += encode ? `%${code.toString(16).toUpperCase().padStart(2, "0")}` : char;
  }
  return out;
}

export class URL {
  #parts: UrlParts;
  readonly #query: URLSearchParams;

  constructor(url: string | URL, base?: string | URL) {
    const parts = parse(url, base);
    if (!parts) throw new TypeError(`Invalid URL: ${String(url)}`);
    this.#parts = parts;
    this.#query = new URLSearchParams(parts.search);
    linkToUrl(this.#query, (query) => this.#rebuild({ search: query ? `?${query}` : "" }, false));
  }

  static canParse(url: string | URL, base?: string | URL): boolean {
    return parse(url, base) !== null;
  }

  static parse(url: string | URL, base?: string | URL): URL | null {
    return URL.canParse(url, base) ? new URL(url, base) : null;
  }

  get href(): string {
    return this.#parts.href;
  }

  set href(value: string) {
    const parts = parse(value);
    if (!parts) throw new TypeError(`Invalid URL: ${String(value)}`);
    this.#parts = parts;
    resetFromUrl(this.#query, parts.search);
  }

  get origin(): string {
    return this.#parts.origin;
  }

  get protocol(): string {
    return this.#parts.protocol;
  }

  set protocol(value: string) {
    const scheme = String(value).split(":")[0] ?? "";
    if (!/^[A-Za-z][A-Za-z0-9+.-]*$/.test(scheme)) return;
    const next = `${scheme.toLowerCase()}:`;
    // Switching between special (http, file, ...) and other schemes is refused by the spec.
    if (SPECIAL.has(next) !== SPECIAL.has(this.#parts.protocol)) return;
    const parts = parse(next + this.#parts.href.slice(this.#parts.protocol.length));
    if (parts && parts.protocol === next) this.#parts = parts;
  }

  get username(): string {
    return this.#parts.username;
  }

  set username(value: string) {
    if (this.#hasHost()) this.#rebuild({ username: percentEncode(String(value), USERINFO_SET) });
  }

  get password(): string {
    return this.#parts.password;
  }

  set password(value: string) {
    if (this.#hasHost()) this.#rebuild({ password: percentEncode(String(value), USERINFO_SET) });
  }

  get host(): string {
    return this.#parts.host;
  }

  set host(value: string) {
    const target = this.#splitHost(value);
    if (target) this.#setHost(target.hostname, target.port ?? this.#parts.port);
  }

  get hostname(): string {
    return this.#parts.hostname;
  }

  set hostname(value: string) {
    const target = this.#splitHost(value);
    // "host:port" is not a hostname: the spec ignores the whole value.
    if (target && target.port === undefined) this.#setHost(target.hostname, this.#parts.port);
  }

  get port(): string {
    return this.#parts.port;
  }

  set port(value: string) {
    if (!this.#hasHost() || this.#parts.protocol === "file:") return;
    const text = String(value);
    const digits = text === "" ? "" : /^\d+/.exec(text)?.[0];
    if (digits !== undefined) this.#setHost(this.#parts.hostname, digits);
  }

  get pathname(): string {
    return this.#parts.pathname;
  }

  set pathname(value: string) {
    if (this.#opaquePath()) return;
    let path = String(value).replace(/\?/g, "%3F").replace(/#/g, "%23");
    if (this.#hasAuthority() && !path.startsWith("/") && !path.startsWith("\\")) path = `/${path}`;
    this.#rebuild({ pathname: path });
  }

  get search(): string {
    return this.#parts.search;
  }

  set search(value: string) {
    const query = String(value).replace(/^\?/, "").replace(/#/g, "%23");
    this.#rebuild({ search: query ? `?${query}` : "" });
  }

  get searchParams(): URLSearchParams {
    return this.#query;
  }

  get hash(): string {
    return this.#parts.hash;
  }

  set hash(value: string) {
    const fragment = String(value).replace(/^#/, "");
    this.#rebuild({ hash: fragment ? `#${fragment}` : "" });
  }

  toString(): string {
    return this.#parts.href;
  }

  toJSON(): string {
    return this.#parts.href;
  }

  get [Symbol.toStringTag](): string {
    return "URL";
  }

  #hasAuthority(): boolean {
    return this.#parts.href.startsWith(`${this.#parts.protocol}//`);
  }

  #hasHost(): boolean {
    return this.#parts.host !== "";
  }

  #opaquePath(): boolean {
    return !this.#hasAuthority() && !this.#parts.pathname.startsWith("/");
  }

  #splitHost(value: string): { hostname: string; port?: string } | null {
    if (this.#opaquePath()) return null;
    const text = String(value).split(/[/?#\\]/)[0] ?? "";
    const match = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?/.exec(text);
    if (!match || match[1] === "") return null;
    return match[2] === undefined ? { hostname: match[1]! } : { hostname: match[1]!, port: match[2] };
  }

  #setHost(hostname: string, port: string): void {
    this.#rebuild({ host: port ? `${hostname}:${port}` : hostname });
  }

  /** Serializes the parts with `changes` applied and re-parses; an unparsable result is ignored. */
  #rebuild(changes: Partial<UrlParts>, resetQuery = true): void {
    const p = { ...this.#parts, ...changes };
    const userinfo = p.username || p.password ? `${p.username}${p.password ? `:${p.password}` : ""}@` : "";
    const href = this.#hasAuthority()
      ? `${p.protocol}//${userinfo}${p.host}${p.pathname}${p.search}${p.hash}`
      : `${p.protocol}${p.pathname}${p.search}${p.hash}`;
    const parts = parse(href);
    if (!parts) return;
    this.#parts = parts;
    if (resetQuery) resetFromUrl(this.#query, parts.search);
  }
}
