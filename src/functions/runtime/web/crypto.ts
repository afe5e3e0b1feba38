// The `crypto` global: getRandomValues and randomUUID from the host's CSPRNG, and crypto.subtle.
import { DOMException } from "./domException.js";
import type { WebHost } from "./host.js";
import { createSubtle } from "./subtle.js";

const MAX_RANDOM_BYTES = 65_536;

export function createCrypto(host: WebHost) {
  return {
    subtle: createSubtle(host),

    getRandomValues<T extends ArrayBufferView>(array: T): T {
      const integer =
        ArrayBuffer.isView(array) &&
        !(array instanceof DataView) &&
        !(array instanceof Float32Array) &&
        !(array instanceof Float64Array);
      if (!integer) {
        throw new DOMException(
          "getRandomValues needs an integer typed array (such as Uint8Array)",
          "TypeMismatchError",
        );
      }
      if (array.byteLength > MAX_RANDOM_BYTES) {
        throw new DOMException(
          `getRandomValues: ${array.byteLength} bytes requested, at most ${MAX_RANDOM_BYTES} per call`,
          "QuotaExceededError",
        );
      }
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength).set(
        host.randomBytes(array.byteLength),
      );
      return array;
    },

    randomUUID(): string {
      return host.randomUUID();
    },

    get [Symbol.toStringTag]() {
      return "Crypto";
    },
  };
}
