// crypto.subtle for functions: digest (SHA-1/256/384/512) and HMAC keys (importKey raw/jwk,
// generateKey, exportKey, sign, verify). The hashing runs in the host (node:crypto); key bytes stay
// in a WeakMap here, out of reach of the key object. verify compares in constant time.
import { atob, btoa } from "./base64.js";
import { type BufferSource, copyBytes, toArrayBuffer } from "./bytes.js";
import { DOMException } from "./domException.js";
import type { WebHost } from "./host.js";

export type AlgorithmIdentifier =
  string | { name: string; hash?: string | { name: string }; length?: number };
export type KeyUsage = "sign" | "verify";

export interface HmacAlgorithm {
  name: "HMAC";
  hash: { name: string };
  length: number;
}

export interface JsonWebKey {
  kty?: string;
  k?: string;
  alg?: string;
  ext?: boolean;
  key_ops?: string[];
}

const HASHES = ["SHA-1", "SHA-256", "SHA-384", "SHA-512"];
const BLOCK_BYTES: Record<string, number> = { "SHA-1": 64, "SHA-256": 64, "SHA-384": 128, "SHA-512": 128 };
const JWK_ALG: Record<string, string> = {
  "SHA-1": "HS1",
  "SHA-256": "HS256",
  "SHA-384": "HS384",
  "SHA-512": "HS512",
};

const SECRET = Symbol("secret");
const keyBytes = new WeakMap<CryptoKey, Uint8Array>();

export class CryptoKey {
  readonly #algorithm: HmacAlgorithm;
  readonly #extractable: boolean;
  readonly #usages: KeyUsage[];

  constructor(token: symbol, algorithm: HmacAlgorithm, extractable: boolean, usages: KeyUsage[]) {
    if (token !== SECRET) throw new TypeError("Illegal constructor: use crypto.subtle.importKey");
    this.#algorithm = algorithm;
    this.#extractable = extractable;
    this.#usages = usages;
  }

  get type(): "secret" {
    return "secret";
  }
  get extractable(): boolean {
    return this.#extractable;
  }
  get algorithm(): HmacAlgorithm {
    return { ...this.#algorithm, hash: { ...this.#algorithm.hash } };
  }
  get usages(): KeyUsage[] {
    return [...this.#usages];
  }
  get [Symbol.toStringTag](): string {
    return "CryptoKey";
  }
}

function algorithmName(algorithm: AlgorithmIdentifier): string {
  const name = typeof algorithm === "string" ? algorithm : algorithm?.name;
  if (typeof name !== "string") throw new TypeError("Algorithm: name is required");
  return name.toUpperCase();
}

function hashName(hash: unknown): string {
  const name = typeof hash === "string" ? hash : (hash as { name?: unknown } | undefined)?.name;
  const upper = String(name).toUpperCase();
  if (!HASHES.includes(upper)) {
    throw new DOMException(
      `Unsupported hash: ${String(name)} (use ${HASHES.join(", ")})`,
      "NotSupportedError",
    );
  }
  return upper;
}

function hmacParams(algorithm: AlgorithmIdentifier): { hash: string; length?: number } {
  const name = algorithmName(algorithm);
  if (name !== "HMAC") {
    throw new DOMException(
      `${name} keys are not supported in functions (HMAC and SHA digests are)`,
      "NotSupportedError",
    );
  }
  if (typeof algorithm === "string" || algorithm.hash === undefined) {
    throw new TypeError('HMAC: algorithm.hash is required, e.g. { name: "HMAC", hash: "SHA-256" }');
  }
  const hash = hashName(algorithm.hash);
  return algorithm.length === undefined ? { hash } : { hash, length: Number(algorithm.length) };
}

function keyUsages(usages: readonly string[]): KeyUsage[] {
  const list = [...usages];
  for (const usage of list) {
    if (usage !== "sign" && usage !== "verify") {
      throw new DOMException(`HMAC keys cannot be used to ${usage}`, "SyntaxError");
    }
  }
  if (list.length === 0)
    throw new DOMException("A key needs at least one usage (sign, verify)", "SyntaxError");
  return list as KeyUsage[];
}

function makeKey(
  bytes: Uint8Array,
  hash: string,
  length: number | undefined,
  extractable: boolean,
  usages: string[],
) {
  if (bytes.length === 0) throw new DOMException("HMAC key must not be empty", "DataError");
  const bits = length ?? bytes.length * 8;
  if (bits > bytes.length * 8 || bits <= (bytes.length - 1) * 8) {
    throw new DOMException("HMAC key length does not match the key data", "DataError");
  }
  const key = new CryptoKey(
    SECRET,
    { name: "HMAC", hash: { name: hash }, length: bits },
    extractable,
    keyUsages(usages),
  );
  keyBytes.set(key, bytes);
  return key;
}

function usableKey(key: CryptoKey, algorithm: AlgorithmIdentifier, usage: KeyUsage): Uint8Array {
  const bytes = key instanceof CryptoKey ? keyBytes.get(key) : undefined;
  if (!bytes) throw new TypeError("Expected a CryptoKey from crypto.subtle.importKey");
  if (algorithmName(algorithm) !== "HMAC") {
    throw new DOMException(
      `${algorithmName(algorithm)} is not supported in functions (HMAC is)`,
      "NotSupportedError",
    );
  }
  if (!key.usages.includes(usage))
    throw new DOMException(`This key cannot be used to ${usage}`, "InvalidAccessError");
  return bytes;
}

/** Equal-length comparison whose time does not depend on where the bytes differ. */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function base64UrlDecode(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function base64UrlEncode(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

const notSupported = (what: string) => async () => {
  throw new DOMException(
    `crypto.subtle.${what} is not supported in functions (digest and HMAC are)`,
    "NotSupportedError",
  );
};

export function createSubtle(host: WebHost) {
  return {
    async digest(algorithm: AlgorithmIdentifier, data: BufferSource): Promise<ArrayBuffer> {
      const hash = hashName(typeof algorithm === "string" ? algorithm : algorithm?.name);
      return toArrayBuffer(await host.digest(hash, copyBytes(data)));
    },

    async importKey(
      format: string,
      keyData: BufferSource | JsonWebKey,
      algorithm: AlgorithmIdentifier,
      extractable: boolean,
      usages: string[],
    ): Promise<CryptoKey> {
      const { hash, length } = hmacParams(algorithm);
      if (format === "raw")
        return makeKey(copyBytes(keyData as BufferSource), hash, length, extractable, usages);
      if (format === "jwk") {
        const jwk = keyData as JsonWebKey;
        if (jwk?.kty !== "oct" || typeof jwk.k !== "string")
          throw new DOMException("Expected an oct JWK with k", "DataError");
        return makeKey(base64UrlDecode(jwk.k), hash, length, extractable, usages);
      }
      throw new DOMException(
        `Key format ${format} is not supported for HMAC (use raw or jwk)`,
        "NotSupportedError",
      );
    },

    async generateKey(
      algorithm: AlgorithmIdentifier,
      extractable: boolean,
      usages: string[],
    ): Promise<CryptoKey> {
      const { hash, length } = hmacParams(algorithm);
      const bytes = host.randomBytes(length ? Math.ceil(length / 8) : BLOCK_BYTES[hash]!);
      return makeKey(bytes, hash, length, extractable, usages);
    },

    async exportKey(format: string, key: CryptoKey): Promise<ArrayBuffer | JsonWebKey> {
      const bytes = key instanceof CryptoKey ? keyBytes.get(key) : undefined;
      if (!bytes) throw new TypeError("Expected a CryptoKey");
      if (!key.extractable) throw new DOMException("The key is not extractable", "InvalidAccessError");
      if (format === "raw") return toArrayBuffer(bytes);
      if (format === "jwk") {
        const alg = JWK_ALG[key.algorithm.hash.name]!;
        return { kty: "oct", k: base64UrlEncode(bytes), alg, ext: true, key_ops: key.usages };
      }
      throw new DOMException(
        `Key format ${format} is not supported for HMAC (use raw or jwk)`,
        "NotSupportedError",
      );
    },

    async sign(algorithm: AlgorithmIdentifier, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer> {
      const secret = usableKey(key, algorithm, "sign");
      return toArrayBuffer(await host.hmacSign(key.algorithm.hash.name, secret, copyBytes(data)));
    },

    async verify(
      algorithm: AlgorithmIdentifier,
      key: CryptoKey,
      signature: BufferSource,
      data: BufferSource,
    ): Promise<boolean> {
      const secret = usableKey(key, algorithm, "verify");
      const expected = copyBytes(signature);
      const actual = await host.hmacSign(key.algorithm.hash.name, secret, copyBytes(data));
      return timingSafeEqual(actual, expected);
    },

    encrypt: notSupported("encrypt"),
    decrypt: notSupported("decrypt"),
    deriveBits: notSupported("deriveBits"),
    deriveKey: notSupported("deriveKey"),
    wrapKey: notSupported("wrapKey"),
    unwrapKey: notSupported("unwrapKey"),
    get [Symbol.toStringTag]() {
      return "SubtleCrypto";
    },
  };
}
