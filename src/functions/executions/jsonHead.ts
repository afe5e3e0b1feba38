// The start of a value's JSON text without writing all of it: a 1 MB result whose first 8 KB are
// kept costs about 8 KB of work, not a second JSON.stringify of the whole (the answer to the call
// already makes one). For the plain data that comes out of JSON.parse it is exactly the start of
// JSON.stringify(value); `toJSON` is honoured like JSON.stringify does. Written in JS, it is a few
// times slower per byte than JSON.stringify: worth it only for values several times the head.

/** The JSON text of `value`, or a start of it at least `maxChars` characters long. */
export function jsonHead(value: unknown, maxChars: number): string {
  const head: Head = { text: "", max: maxChars, keys: new Map() };
  write(value, head);
  return head.text;
}

interface Head {
  text: string;
  max: number;
  /** Keys as JSON (`"name":`): records in an array repeat the same few. */
  keys: Map<string, string>;
}

/** Writes `value`; true once the head is long enough (writing stops). */
function write(value: unknown, head: Head): boolean {
  switch (typeof value) {
    case "string": {
      // A long string is escaped only as far as it is kept.
      const room = head.max - head.text.length;
      head.text += JSON.stringify(value.length > room ? value.slice(0, room) : value);
      return head.text.length >= head.max;
    }
    case "number":
      head.text += Number.isFinite(value) ? String(value) : "null";
      return head.text.length >= head.max;
    case "boolean":
      head.text += value ? "true" : "false";
      return head.text.length >= head.max;
    case "object":
      break;
    default:
      head.text += "null";
      return head.text.length >= head.max;
  }
  if (value === null) {
    head.text += "null";
    return head.text.length >= head.max;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") {
    return write((value as { toJSON(): unknown }).toJSON(), head);
  }
  if (Array.isArray(value)) {
    head.text += "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) head.text += ",";
      if (write(value[i], head)) return true;
    }
    head.text += "]";
    return head.text.length >= head.max;
  }
  head.text += "{";
  let first = true;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === "function" || typeof item === "symbol") continue;
    let name = head.keys.get(key);
    if (name === undefined) {
      name = `${JSON.stringify(key)}:`;
      head.keys.set(key, name);
    }
    head.text += first ? name : `,${name}`;
    first = false;
    if (write(item, head)) return true;
  }
  head.text += "}";
  return head.text.length >= head.max;
}
