// SHA digests and HMAC for `crypto.subtle` inside the isolate, computed by node:crypto.
import { createHash, createHmac } from "node:crypto";

const NODE_NAMES: Record<string, string> = {
  "SHA-1": "sha1",
  "SHA-256": "sha256",
  "SHA-384": "sha384",
  "SHA-512": "sha512",
};

function nodeHashName(algorithm: string): string {
  const name = NODE_NAMES[String(algorithm).toUpperCase()];
  if (!name)
    throw new Error(`Unsupported hash algorithm: ${algorithm} (use SHA-1, SHA-256, SHA-384 or SHA-512)`);
  return name;
}

function bytesOf(data: Uint8Array): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) {
    const view = data as ArrayBufferView;
    return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  }
  if ((data as unknown) instanceof ArrayBuffer) return new Uint8Array(data as unknown as ArrayBuffer);
  throw new TypeError("Expected bytes (Uint8Array)");
}

function plain(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength).slice();
}

export async function digest(algorithm: string, data: Uint8Array): Promise<Uint8Array> {
  return plain(createHash(nodeHashName(algorithm)).update(bytesOf(data)).digest());
}

export async function hmacSign(hash: string, key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  return plain(createHmac(nodeHashName(hash), bytesOf(key)).update(bytesOf(data)).digest());
}
