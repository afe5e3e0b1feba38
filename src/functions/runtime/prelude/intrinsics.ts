// Built-ins captured when the prelude boots, before any function code runs in the context. The
// prelude calls these instead of the globals, so a function that replaces `JSON.stringify` or
// `Array.prototype.map` breaks only its own code, never the runtime's result or log handling.
export const stringify = JSON.stringify;
export const parse = JSON.parse;
export const freeze = Object.freeze;
export const defineProperty = Object.defineProperty;
export const keys = Object.keys;
export const apply = Reflect.apply;
export const isArray = Array.isArray;
export const dateNow = Date.now;
export const StringCtor = String;
export const ErrorCtor = Error;
export const RangeErrorCtor = RangeError;
export const TypeErrorCtor = TypeError;
export const SyntaxErrorCtor = SyntaxError;
export const MapCtor = Map;
export const PromiseCtor = Promise;
const promiseThen = Promise.prototype.then;
const resolved = Promise.resolve();

/** Runs `fn` as a microtask without consulting Promise.prototype.then as the function left it. */
export function enqueueMicrotask(fn: () => void): void {
  apply(promiseThen, resolved, [fn]);
}
