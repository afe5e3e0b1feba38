// Randomness for `crypto.getRandomValues` and `crypto.randomUUID` inside the isolate, drawn from
// the operating system's CSPRNG (an isolate has no entropy source of its own).
import { webcrypto } from "node:crypto";

/** The Web Crypto quota: getRandomValues refuses more than this many bytes at once. */
export const MAX_RANDOM_BYTES = 65_536;

export function randomBytes(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 0 || n > MAX_RANDOM_BYTES) {
    throw new RangeError(`randomBytes: n must be an integer from 0 to ${MAX_RANDOM_BYTES}, got ${n}`);
  }
  // A plain Uint8Array (not a Buffer) so it copies into the isolate as what the isolate expects.
  return webcrypto.getRandomValues(new Uint8Array(n));
}

export function randomUUID(): string {
  return webcrypto.randomUUID();
}
