// Turns console arguments into one log line, the way Node's console does in spirit: strings as
// they are, %s/%d/%i/%f/%j/%o/%O/%c substitutions, objects inspected to a bounded depth. Hostile
// values (throwing getters, revoked proxies, cycles) print a placeholder instead of failing.
import { isArray, keys, StringCtor, stringify } from "./intrinsics.js";

const MAX_DEPTH = 3;
const MAX_ITEMS = 100;
const MAX_STRING = 10_000;

export function formatArgs(args: unknown[]): string {
  const first = args[0];
  let rest = 1;
  let out: string;
  if (typeof first === "string" && first.includes("%") && args.length > 1) {
    out = substitute(first, args, (n) => {
      rest = n;
    });
  } else {
    out = typeof first === "string" ? first : inspect(first, 0, []);
  }
  for (let i = rest; i < args.length; i++) {
    const value = args[i];
    out += ` ${typeof value === "string" ? value : inspect(value, 0, [])}`;
  }
  return out;
}

function substitute(format: string, args: unknown[], used: (next: number) => void): string {
  let next = 1;
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c !== "%" || i + 1 >= format.length) {
      out += c;
      continue;
    }
    const spec = format[i + 1];
    if (spec === "%") {
      out += "%";
      i++;
      continue;
    }
    if (!"sdifjoOc".includes(spec!) || next >= args.length) {
      out += c;
      continue;
    }
    const value = args[next++];
    i++;
    if (spec === "s") out += typeof value === "string" ? value : inspect(value, 1, []);
    else if (spec === "d" || spec === "i")
      out += safe(() => StringCtor(spec === "i" ? Math.trunc(Number(value)) : Number(value)));
    else if (spec === "f") out += safe(() => StringCtor(Number(value)));
    else if (spec === "j") out += safe(() => stringify(value) ?? "undefined");
    else if (spec === "c") out += "";
    else out += inspect(value, 0, []);
  }
  used(next);
  return out;
}

function safe(fn: () => string): string {
  try {
    return fn();
  } catch {
    return "[unprintable]";
  }
}

export function inspect(value: unknown, depth: number, seen: unknown[]): string {
  try {
    return inspectInner(value, depth, seen);
  } catch {
    return "[unprintable]";
  }
}

function inspectInner(value: unknown, depth: number, seen: unknown[]): string {
  switch (typeof value) {
    case "string":
      return depth === 0 ? value : quote(value);
    case "number":
    case "boolean":
    case "undefined":
      return StringCtor(value);
    case "bigint":
      return `${StringCtor(value)}n`;
    case "symbol":
      return value.toString();
    case "function":
      return `[Function: ${(value as { name?: string }).name || "(anonymous)"}]`;
  }
  if (value === null) return "null";
  const obj = value as object;
  if (seen.includes(obj)) return "[Circular]";
  if (obj instanceof Error)
    return obj.stack && typeof obj.stack === "string" ? obj.stack : `${obj.name}: ${obj.message}`;
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? "Invalid Date" : obj.toISOString();
  if (obj instanceof RegExp) return obj.toString();
  if (depth > MAX_DEPTH) return isArray(obj) ? "[Array]" : "[Object]";
  seen.push(obj);
  try {
    if (isArray(obj)) {
      const items: string[] = [];
      for (let i = 0; i < obj.length && i < MAX_ITEMS; i++) items.push(inspect(obj[i], depth + 1, seen));
      if (obj.length > MAX_ITEMS) items.push(`... ${obj.length - MAX_ITEMS} more items`);
      return items.length === 0 ? "[]" : `[ ${items.join(", ")} ]`;
    }
    if (obj instanceof Map) {
      const items: string[] = [];
      for (const [k, v] of obj) {
        if (items.length >= MAX_ITEMS) break;
        items.push(`${inspect(k, depth + 1, seen)} => ${inspect(v, depth + 1, seen)}`);
      }
      return `Map(${obj.size}) { ${items.join(", ")} }`;
    }
    if (obj instanceof Set) {
      const items: string[] = [];
      for (const v of obj) {
        if (items.length >= MAX_ITEMS) break;
        items.push(inspect(v, depth + 1, seen));
      }
      return `Set(${obj.size}) { ${items.join(", ")} }`;
    }
    if (ArrayBuffer.isView(obj)) return `${obj.constructor?.name ?? "TypedArray"}(${obj.byteLength})`;
    const names = keys(obj);
    const items: string[] = [];
    for (const k of names) {
      if (items.length >= MAX_ITEMS) {
        items.push(`... ${names.length - MAX_ITEMS} more`);
        break;
      }
      const shown = /^[A-Za-z_$][\w$]*$/.test(k) ? k : quote(k);
      items.push(`${shown}: ${inspect((obj as Record<string, unknown>)[k], depth + 1, seen)}`);
    }
    const ctor = (obj as { constructor?: { name?: string } }).constructor;
    const prefix =
      ctor && ctor !== Object && typeof ctor.name === "string" && ctor.name ? `${ctor.name} ` : "";
    return items.length === 0 ? `${prefix}{}` : `${prefix}{ ${items.join(", ")} }`;
  } finally {
    seen.pop();
  }
}

function quote(s: string): string {
  const cut = s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}...` : s;
  return `'${cut.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}
