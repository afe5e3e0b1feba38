// structuredClone: a deep copy by the HTML structured-clone rules for the types functions use
// (plain objects, arrays, Date, RegExp, Map, Set, ArrayBuffer and typed arrays, Error, boxed
// primitives), keeping shared and cyclic references. Functions, symbols, promises and weak
// collections throw DataCloneError, as in browsers.
import { DOMException } from "./domException.js";

type TypedArrayConstructor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;

const ERRORS: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

const UNCLONEABLE = new Set(["Promise", "WeakMap", "WeakSet", "WeakRef", "Generator", "AsyncGenerator"]);

function cannotClone(what: string): DOMException {
  return new DOMException(`${what} could not be cloned.`, "DataCloneError");
}

export function structuredClone<T>(...args: [value?: T, options?: { transfer?: unknown[] }]): T {
  const [value, options] = args;
  if (args.length === 0) throw new TypeError("structuredClone requires 1 argument");
  if (options?.transfer && options.transfer.length > 0) {
    throw new DOMException("Transferring objects is not supported in functions", "DataCloneError");
  }
  return clone(value, new Map()) as T;
}

function clone(value: unknown, seen: Map<object, unknown>): unknown {
  if (typeof value === "function")
    throw cannotClone(`${value.name ? `function ${value.name}` : "A function"}`);
  if (typeof value === "symbol") throw cannotClone(String(value));
  if (value === null || typeof value !== "object") return value;
  if (seen.has(value)) return seen.get(value);

  const tag = Object.prototype.toString.call(value).slice(8, -1);
  const remember = <V>(copy: V): V => {
    seen.set(value, copy);
    return copy;
  };

  if (value instanceof Date) return remember(new Date(value.getTime()));
  if (value instanceof RegExp) return remember(new RegExp(value.source, value.flags));
  if (value instanceof ArrayBuffer) return remember(value.slice(0));
  if (ArrayBuffer.isView(value)) {
    const buffer = clone(value.buffer, seen) as ArrayBuffer;
    if (value instanceof DataView) return remember(new DataView(buffer, value.byteOffset, value.byteLength));
    const Ctor = value.constructor as TypedArrayConstructor & { BYTES_PER_ELEMENT: number };
    return remember(new Ctor(buffer, value.byteOffset, value.byteLength / Ctor.BYTES_PER_ELEMENT));
  }
  if (value instanceof Map) {
    const copy = remember(new Map());
    for (const [k, v] of value) copy.set(clone(k, seen), clone(v, seen));
    return copy;
  }
  if (value instanceof Set) {
    const copy = remember(new Set());
    for (const v of value) copy.add(clone(v, seen));
    return copy;
  }
  if (value instanceof Error) {
    const Ctor = ERRORS[value.name] ?? Error;
    const copy = remember(new Ctor(value.message));
    if (value.stack !== undefined) copy.stack = value.stack;
    if ("cause" in value) copy.cause = clone(value.cause, seen);
    return copy;
  }
  if (tag === "Boolean" || tag === "Number" || tag === "String" || tag === "BigInt") {
    return remember(Object((value as { valueOf(): unknown }).valueOf()));
  }
  if (UNCLONEABLE.has(tag)) throw cannotClone(`#<${tag}>`);

  // Arrays keep their length (and holes); every other object becomes a plain object of its own
  // enumerable string keys, as the spec does for class instances.
  const copy: Record<string, unknown> = remember(Array.isArray(value) ? new Array(value.length) : {});
  for (const key of Object.keys(value)) copy[key] = clone((value as Record<string, unknown>)[key], seen);
  return copy;
}
