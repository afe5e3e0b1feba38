import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebIsolate, type WebIsolate } from "./testing/webIsolate.js";

// Each script runs in the isolate and against Node's own globals; the answers must be equal.
const AsyncFunction = (async () => {}).constructor as new (body: string) => () => Promise<unknown>;

let web: WebIsolate;

beforeAll(async () => {
  web = await createWebIsolate({
    fetchPolicy: { allow: [], timeoutMs: 1000, maxResponseBytes: 1000 },
    signal: new AbortController().signal,
  });
});

afterAll(() => web.dispose());

async function sameAsNode(script: string): Promise<unknown> {
  const ours = await web.run(script);
  expect(ours).toEqual(await new AsyncFunction(script)());
  return ours;
}

describe("TextEncoder and TextDecoder", () => {
  it("encode like Node's, lone surrogates included", async () => {
    await sameAsNode(`
      const enc = new TextEncoder();
      const strings = ["", "ascii", "héllo", "€ 😀 𝄞", "\\ud800 lone", "end \\udc00", "\\u0000\\u007f\\u0080\\u07ff\\u0800\\uffff"];
      const into = new Uint8Array(5);
      const progress = enc.encodeInto("a😀b", into);
      return [enc.encoding, strings.map((s) => [...enc.encode(s)]), progress, [...into]];`);
  });

  it("decode valid and broken UTF-8 like Node's, streaming included", async () => {
    await sameAsNode(`
      const cases = [
        [0x68, 0x69], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xff, 0x41], [0xf0, 0x9f, 0x41], [0xef, 0xbb, 0xbf, 0x41],
        [0x80, 0xbf, 0xc2],
      ];
      const plain = cases.map((c) => new TextDecoder().decode(new Uint8Array(c)));
      const keepBom = new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x41]));
      const stream = new TextDecoder();
      const bytes = new TextEncoder().encode("\\ufeffa€😀b");
      let streamed = "";
      for (const byte of bytes) streamed += stream.decode(new Uint8Array([byte]), { stream: true });
      streamed += stream.decode();
      const fatal = (() => { try { new TextDecoder("utf8", { fatal: true }).decode(new Uint8Array([0xff])); return "none"; }
        catch (e) { return e.constructor.name; } })();
      const label = new TextDecoder("UTF8").encoding;
      const view = new TextDecoder().decode(new DataView(new Uint8Array([0x61, 0x62, 0x63]).buffer, 1, 2));
      return { plain, keepBom, streamed, fatal, label, view };`);
  });

  it("refuses encodings other than UTF-8", async () => {
    expect(await web.run(`try { new TextDecoder("latin1"); } catch (e) { return e.constructor.name; }`)).toBe(
      "RangeError",
    );
  });
});

describe("atob and btoa", () => {
  it("match Node's, with the forgiving decoder and InvalidCharacterError", async () => {
    await sameAsNode(`
      const strings = ["", "f", "fo", "foo", "foob", "fooba", "foobar", "\\u00ff\\u0000\\u0080"];
      const encoded = strings.map((s) => btoa(s));
      const decoded = ["Zm9v", "Zm9vYg", "Zm9vYg==", " Zm9v\\nYmFy ", "Zg=="].map((s) => atob(s));
      const errorOf = (f) => { try { f(); return "none"; } catch (e) { return [e.name, e instanceof DOMException]; } };
      return { encoded, decoded, errors: [errorOf(() => btoa("€")), errorOf(() => atob("Zm9v!")), errorOf(() => atob("Zm9vY")), errorOf(() => atob("Zg="))] };`);
  });
});

describe("structuredClone", () => {
  it("deep-copies the structured types and keeps cycles and shared references (as Node's)", async () => {
    await sameAsNode(`
      const shared = { n: 1 };
      const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
      const source = {
        date: new Date(1700000000000), re: /a+b/gi, map: new Map([[shared, "x"], ["k", shared]]),
        set: new Set([1, "two", shared]), bytes: new Uint8Array(buffer, 1, 2), words: new Uint16Array(buffer),
        nested: { list: [1, , 3], big: 10n, nil: null, undef: undefined }, boxed: new String("s"),
        error: new RangeError("bad"), instance: new (class Point { constructor() { this.x = 1; } })(),
      };
      source.self = source;
      const copy = structuredClone(source);
      const errorOf = (f) => { try { f(); return "none"; } catch (e) { return [e.name, e instanceof DOMException]; } };
      return {
        distinct: copy !== source && copy.nested !== source.nested,
        cycle: copy.self === copy,
        sharedKept: [...copy.map.keys()][0] === copy.map.get("k") && [...copy.set][2] === copy.map.get("k"),
        date: [copy.date instanceof Date, copy.date.getTime()],
        re: [copy.re instanceof RegExp, copy.re.source, copy.re.flags],
        views: [copy.bytes instanceof Uint8Array, [...copy.bytes], copy.bytes.buffer === copy.words.buffer,
          copy.bytes.buffer !== buffer],
        nested: [copy.nested.list.length, 1 in copy.nested.list, copy.nested.big, "undef" in copy.nested],
        boxed: [typeof copy.boxed, String(copy.boxed)],
        error: [copy.error instanceof RangeError, copy.error.message],
        instance: [Object.getPrototypeOf(copy.instance) === Object.prototype, copy.instance.x],
        refused: [errorOf(() => structuredClone(() => 1)), errorOf(() => structuredClone({ f() {} })),
          errorOf(() => structuredClone(Symbol("s"))), errorOf(() => structuredClone(Promise.resolve()))],
      };`);
  });
});

describe("AbortController and AbortSignal", () => {
  it("abort once, call listeners and onabort, and combine signals (as Node's)", async () => {
    await sameAsNode(`
      const controller = new AbortController();
      const calls = [];
      controller.signal.onabort = (e) => calls.push("onabort:" + e.type);
      controller.signal.addEventListener("abort", () => calls.push("listener"));
      const combined = AbortSignal.any([controller.signal, new AbortController().signal]);
      const before = [controller.signal.aborted, controller.signal.reason, combined.aborted];
      controller.abort();
      controller.abort("again");
      const reason = controller.signal.reason;
      const thrown = (() => { try { controller.signal.throwIfAborted(); } catch (e) { return e === reason; } })();
      const pre = AbortSignal.abort("why");
      const illegal = (() => { try { new AbortSignal(); return "none"; } catch (e) { return e.constructor.name; } })();
      const timeout = AbortSignal.timeout(10);
      await new Promise((resolve) => timeout.addEventListener("abort", resolve));
      return {
        before, calls, reason: [reason.name, reason.message, reason instanceof DOMException, reason.code],
        thrown, combined: [combined.aborted, combined.reason === reason], pre: [pre.aborted, pre.reason], illegal,
        timeout: [timeout.reason.name, timeout.reason.code],
      };`);
  });
});

describe("Event and EventTarget", () => {
  it("dispatch to listeners with once, handleEvent, signal and preventDefault (as Node's)", async () => {
    await sameAsNode(`
      const target = new EventTarget();
      const calls = [];
      const a = (e) => calls.push("a:" + e.type + ":" + (e.target === target) + ":" + (e.currentTarget === target));
      target.addEventListener("ping", a);
      target.addEventListener("ping", a);
      target.addEventListener("ping", () => calls.push("once"), { once: true });
      target.addEventListener("ping", { handleEvent: (e) => calls.push("object") });
      const stop = new AbortController();
      target.addEventListener("ping", () => calls.push("until-abort"), { signal: stop.signal });
      const first = target.dispatchEvent(new Event("ping"));
      stop.abort();
      target.removeEventListener("ping", a);
      target.dispatchEvent(new Event("ping"));
      target.addEventListener("cancel", (e) => e.preventDefault());
      const notCancelable = target.dispatchEvent(new Event("cancel"));
      const cancelable = target.dispatchEvent(new Event("cancel", { cancelable: true }));
      target.addEventListener("stop", (e) => { calls.push("stop1"); e.stopImmediatePropagation(); });
      target.addEventListener("stop", () => calls.push("stop2"));
      target.dispatchEvent(new Event("stop"));
      const e = new Event("x", { bubbles: true });
      return { calls, first, notCancelable, cancelable, event: [e.type, e.bubbles, e.cancelable, e.defaultPrevented, e.target] };`);
  });
});

describe("installWebApis", () => {
  it("defines every API as a non-enumerable global", async () => {
    const names = [
      "fetch",
      "Request",
      "Response",
      "Headers",
      "URL",
      "URLSearchParams",
      "TextEncoder",
      "TextDecoder",
      "atob",
      "btoa",
      "crypto",
      "CryptoKey",
      "structuredClone",
      "AbortController",
      "AbortSignal",
      "Event",
      "EventTarget",
      "DOMException",
    ];
    const out = await web.run(`
      const names = ${JSON.stringify(names)};
      return {
        types: names.map((n) => typeof globalThis[n]),
        enumerable: names.filter((n) => Object.keys(globalThis).includes(n)),
        helpers: ["__web", "$fetch", "$urlParse"].filter((n) => n in globalThis),
        tags: [String(new Headers()), String(crypto), Object.prototype.toString.call(crypto.subtle)],
      };`);
    expect(out).toEqual({
      types: names.map((n) => (n === "crypto" ? "object" : "function")),
      enumerable: [],
      helpers: [],
      tags: ["[object Headers]", "[object Crypto]", "[object SubtleCrypto]"],
    });
  });
});
