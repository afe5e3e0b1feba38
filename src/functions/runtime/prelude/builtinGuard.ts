// Tells whether function code changed the built-ins since its module loaded. A warm context serves
// one execution after another, so a change one execution makes to `Object.prototype`, `JSON.parse`,
// `Array.prototype.map` or a global such as `fetch` would otherwise be seen by the next one (maybe
// another caller's). `recordBuiltins` notes the watched objects after the bundle's top-level code
// has run; `builtinsIntact`, before each later execution, says whether they are still the same, and
// the worker replaces a context that is not with a fresh one.
//
// It runs before every warm execution, so it must be cheap: reading every property descriptor
// costs ~100 µs per execution (several times that while V8 has not optimized it yet). So each
// change is caught by the cheapest thing that reveals it:
// - a property set by assignment, replaced or deleted: its value, read directly, differs;
// - a property added by assignment or `__defineGetter__`: the count of enumerable keys grows;
// - anything done with Object.defineProperty / defineProperties / Reflect.defineProperty on a
//   watched object (added non-enumerable, turned into a getter, attributes changed): those three
//   are wrapped at boot to note it;
// - a new prototype, freeze / seal / preventExtensions: the prototype and extensibility.
// Reading values directly is safe only because of the wrappers: no watched data property can have
// become a getter unnoticed. (Defining through a Proxy of a built-in, or Error.captureStackTrace on
// one, slips past them; that takes deliberate effort, only affects the same function's later
// executions, and a getter it planted that the check reads runs as the ended execution, whose host
// callbacks the worker ignores.)
//
// The check runs before the next execution rather than at the end of the last one, because promise
// callbacks that execution left queued may still run after its handler returned. It uses only
// functions captured here at boot, so replaced built-ins cannot fool it.

const ownKeys = Reflect.ownKeys;
const apply = Reflect.apply;
const enumerableKeys = Object.keys;
const describe = Object.getOwnPropertyDescriptor;
const protoOf = Object.getPrototypeOf;
const isExtensible = Object.isExtensible;
const create = Object.create;
const defineProperty = Object.defineProperty;
const defineProperties = Object.defineProperties;
const reflectDefine = Reflect.defineProperty;
const bind = Function.prototype.bind;
const setHas = Set.prototype.has;
const hasOwn = Object.hasOwn;

interface Watched {
  target: object;
  /** Its own keys at boot, minus the ones that can never change. */
  keys: PropertyKey[];
  // As recorded. Every field and array slot exists from boot on, so recording only overwrites
  // them: nothing consults a prototype that function code may have given a setter.
  proto: unknown;
  extensible: boolean;
  enumerable: number;
  /** Per key: 1 for a non-enumerable data property (its value is read directly), else 0. */
  byValue: number[];
  /** Per key: value, getter, setter (MISSING for a key that was gone). */
  was: unknown[];
}

const MISSING = {};

let watched: Watched[] = [];
let watchedObjects = new Set<object>();
let globalObject: object | undefined;
let globalNames = new Set<PropertyKey>();
/** An execution used a wrapped define function on a watched object. */
let defined = false;
/** recordBuiltins has run in this context. */
let recorded = false;

/** The global names of a fresh context, before boot adds the platform's. */
const languageGlobals = ownKeys(globalThis);

/** The language's globals watched (besides every global boot adds: Web APIs, console, timers). */
const LANGUAGE_GLOBALS = new Set<PropertyKey>(
  (
    "Object Function Array Number Boolean String Symbol BigInt Date Promise RegExp Error TypeError " +
    "RangeError SyntaxError ReferenceError JSON Math Reflect Proxy Map Set WeakMap WeakSet " +
    "ArrayBuffer Uint8Array parseInt parseFloat isNaN isFinite encodeURIComponent decodeURIComponent eval"
  ).split(" "),
);

/** A property key as the define functions will see it, converted once. */
function toKey(key: unknown): PropertyKey {
  if (typeof key === "string" || typeof key === "symbol") return key;
  // Converted by setting it on a bare object, exactly as the define functions would convert it.
  const holder = create(null) as Record<PropertyKey, number>;
  holder[key as PropertyKey] = 0;
  return ownKeys(holder)[0]!;
}

function noteDefine(target: unknown, key?: PropertyKey): void {
  if (target === globalObject) {
    // New globals are the function's own state; only the watched names count.
    if (key === undefined || apply(setHas, globalNames, [key])) defined = true;
  } else if (apply(setHas, watchedObjects, [target])) {
    defined = true;
  }
}

/** Replaces `holder[name]` by `wrapper` bound, which looks native (`[native code]`) like the original. */
function wrap(holder: object, name: string, wrapper: (...args: never[]) => unknown): void {
  const bound = apply(bind, wrapper, [undefined]) as object;
  defineProperty(bound, "name", { value: name, configurable: true });
  defineProperty(holder, name, { value: bound, writable: true, enumerable: false, configurable: true });
}

function isObject(value: unknown): value is object {
  return value !== null && (typeof value === "object" || typeof value === "function");
}

function wrapDefineFunctions(): void {
  // A target that is not an object is the original's to refuse, before it converts the key.
  wrap(Object, "defineProperty", (target: object, key: PropertyKey, attributes: PropertyDescriptor) => {
    if (!isObject(target)) return defineProperty(target, key, attributes);
    const converted = toKey(key);
    noteDefine(target, converted);
    return defineProperty(target, converted, attributes);
  });
  wrap(Reflect, "defineProperty", (target: object, key: PropertyKey, attributes: PropertyDescriptor) => {
    if (!isObject(target)) return reflectDefine(target, key, attributes);
    const converted = toKey(key);
    noteDefine(target, converted);
    return reflectDefine(target, converted, attributes);
  });
  wrap(Object, "defineProperties", (target: object, properties: PropertyDescriptorMap) => {
    noteDefine(target);
    return defineProperties(target, properties);
  });
}

/**
 * Resolves what to watch and wraps the define functions. Called by boot, after the globals are in
 * place, before any function code runs in the context.
 */
export function watchBuiltins(g: typeof globalThis): void {
  wrapDefineFunctions();
  const arrayIterator = protoOf([][Symbol.iterator]());
  const targets: unknown[] = [
    Object,
    Object.prototype,
    Function.prototype,
    Array,
    Array.prototype,
    String.prototype,
    Number.prototype,
    Boolean.prototype,
    Symbol,
    Symbol.prototype,
    Promise,
    Promise.prototype,
    JSON,
    Reflect,
    Math,
    RegExp.prototype,
    Map.prototype,
    Set.prototype,
    WeakMap.prototype,
    Error,
    Error.prototype,
    TypeError.prototype,
    RangeError.prototype,
    SyntaxError.prototype,
    ReferenceError.prototype,
    protoOf(arrayIterator),
    arrayIterator,
    protoOf(new Map()[Symbol.iterator]()),
    protoOf(new Set()[Symbol.iterator]()),
    protoOf(""[Symbol.iterator]()),
    (g as { crypto?: object }).crypto,
    (g as { crypto?: { subtle?: object } }).crypto?.subtle,
  ];
  watched = [];
  watchedObjects = new Set();
  for (const target of targets) {
    if (!isObject(target)) continue;
    watched.push(entry(target, changeable(target, ownKeys(target))));
    watchedObjects.add(target);
  }
  // The global object: the platform's names and the language's main ones, not the names a function
  // adds (those are its module state).
  const names = ownKeys(g).filter((key) => LANGUAGE_GLOBALS.has(key) || !languageGlobals.includes(key));
  globalObject = g;
  globalNames = new Set(names);
  watched.push(entry(g, changeable(g, names)));
}

function entry(target: object, keys: PropertyKey[]): Watched {
  const byValue = new Array<number>(keys.length).fill(0);
  const was = new Array<unknown>(3 * keys.length).fill(MISSING);
  return { target, keys, proto: null, extensible: true, enumerable: 0, byValue, was };
}

/** A non-configurable, non-writable property never changes: not worth comparing. */
function changeable(target: object, keys: PropertyKey[]): PropertyKey[] {
  return keys.filter((key) => {
    const d = describe(target, key)!;
    return d.configurable || d.writable !== false;
  });
}

/**
 * Notes the built-ins as they are now: after the module's top-level code (which may have changed
 * them: that is the function's own starting point), before its handler. Once per context.
 */
export function recordBuiltins(): void {
  for (let i = 0; i < watched.length; i++) {
    const entry = watched[i]!;
    const { target, keys, byValue, was } = entry;
    entry.proto = protoOf(target);
    entry.extensible = isExtensible(target);
    entry.enumerable = target === globalObject ? 0 : enumerableKeys(target).length;
    for (let j = 0; j < keys.length; j++) {
      const d = describe(target, keys[j]!);
      const data = d !== undefined && hasOwn(d, "value");
      byValue[j] = data && !d.enumerable ? 1 : 0;
      was[3 * j] = d === undefined ? MISSING : data ? d.value : undefined;
      was[3 * j + 1] = d !== undefined && !data ? d.get : undefined;
      was[3 * j + 2] = d !== undefined && !data ? d.set : undefined;
    }
  }
  recorded = true;
  defined = false;
}

/** True when the watched built-ins are as recordBuiltins saw them (or nothing was recorded yet). */
export function builtinsIntact(): boolean {
  if (!recorded) return true;
  if (defined) return false;
  // First what cannot run function code, on every object: prototypes, extensibility, added keys.
  // After that no watched data property can be a getter, and values are read directly.
  for (let i = 0; i < watched.length; i++) if (!sameShape(watched[i]!)) return false;
  for (let i = 0; i < watched.length; i++) if (!sameProperties(watched[i]!)) return false;
  return true;
}

function sameShape({ target, proto, extensible, enumerable }: Watched): boolean {
  if (proto !== protoOf(target) || extensible !== isExtensible(target)) return false;
  if (target !== globalObject) return enumerable === enumerableKeys(target).length;
  // The function's own globals are enumerable; a watched one made enumerable is a change.
  const own = enumerableKeys(target);
  for (let j = 0; j < own.length; j++) if (apply(setHas, globalNames, [own[j]])) return false;
  return true;
}

function sameProperties({ target, keys, byValue, was }: Watched): boolean {
  const object = target as Record<PropertyKey, unknown>;
  for (let j = 0; j < keys.length; j++) {
    const before = was[3 * j];
    if (byValue[j] === 1) {
      let value: unknown;
      try {
        value = object[keys[j]!];
      } catch {
        // A deleted property whose inherited getter throws.
        return false;
      }
      // NaN (Number.NaN) equals itself here.
      if (value !== before && (value === value || before === before)) return false;
      continue;
    }
    const d = describe(target, keys[j]!);
    if (d === undefined) {
      if (before !== MISSING) return false;
    } else if (hasOwn(d, "value")) {
      if (d.value !== before || was[3 * j + 1] !== undefined || was[3 * j + 2] !== undefined) return false;
    } else if (before !== undefined || d.get !== was[3 * j + 1] || d.set !== was[3 * j + 2]) {
      return false;
    }
  }
  return true;
}
