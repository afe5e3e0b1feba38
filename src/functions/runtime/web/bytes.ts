// Byte views shared by the Web APIs: every API that takes "a BufferSource" accepts an ArrayBuffer
// or any view of one, and copies it when it keeps the data (so later writes by the caller do not leak in).

export type BufferSource = ArrayBuffer | ArrayBufferView;

export function isBufferSource(value: unknown): value is BufferSource {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** A Uint8Array over the same memory (no copy). */
export function viewBytes(source: BufferSource): Uint8Array {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  throw new TypeError("Expected an ArrayBuffer or an ArrayBuffer view (such as Uint8Array)");
}

export function copyBytes(source: BufferSource): Uint8Array {
  return viewBytes(source).slice();
}

/** An ArrayBuffer holding exactly these bytes. */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}
