import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebIsolate, type WebIsolate } from "./testing/webIsolate.js";

// The isolate's URL and URLSearchParams are checked against Node's own implementations.
let web: WebIsolate;

beforeAll(async () => {
  web = await createWebIsolate({
    fetchPolicy: { allow: [], timeoutMs: 1000, maxResponseBytes: 1000 },
    signal: new AbortController().signal,
  });
});

afterAll(() => web.dispose());

const PARTS = [
  "href",
  "origin",
  "protocol",
  "username",
  "password",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
];

function nodeParts(url: URL): Record<string, string> {
  return Object.fromEntries(PARTS.map((p) => [p, (url as unknown as Record<string, string>)[p]!]));
}

describe("URL", () => {
  const inputs: [string, string?][] = [
    ["https://user:pa%20ss@Example.COM:8443/a/../b/c?x=1&y=two#frag"],
    ["http://example.com"],
    ["HTTP://EXAMPLE.com:80/"],
    ["http://[::1]:8080/p"],
    ["http://2130706433/"],
    ["http://0x7f.1/"],
    ["https://münchen.de/ü?q=ä b#ö"],
    ["mailto:someone@example.com"],
    ["data:text/plain,hi"],
    ["file:///etc/hosts"],
    ["/relative?x=1", "https://api.example.com/v1/"],
    ["../up", "http://a/b/c/d"],
    ["?q=1", "http://a/b"],
    ["//other.host/p", "https://a/"],
  ];

  it("parses into the same parts as Node's URL", async () => {
    const ours = await web.run<Record<string, string>[]>(`
      const parts = ${JSON.stringify(PARTS)};
      return ${JSON.stringify(inputs)}.map(([input, base]) => {
        const url = base === null ? new URL(input) : new URL(input, base);
        return Object.fromEntries(parts.map((p) => [p, url[p]]));
      });`);
    expect(ours).toEqual(inputs.map(([input, base]) => nodeParts(new URL(input, base))));
  });

  it("throws a TypeError for what Node refuses, and canParse/parse agree", async () => {
    const bad = ["not a url", "http://", "http://exa mple.com", "/relative-without-base", "http://[::1/"];
    const ours = await web.run<unknown[]>(`
      return ${JSON.stringify(bad)}.map((input) => {
        let error;
        try { new URL(input); } catch (e) { error = e.constructor === TypeError; }
        return [error, URL.canParse(input), URL.parse(input)];
      });`);
    expect(ours).toEqual(bad.map(() => [true, false, null]));
    for (const input of bad) expect(URL.canParse(input)).toBe(false);
    expect(
      await web.run(`return [URL.canParse("/x", "http://a"), URL.parse("/x", "http://a").href]`),
    ).toEqual([true, "http://a/x"]);
  });

  it("setters give the same href as Node's", async () => {
    const start = "https://user:pw@example.com:8443/a/b?x=1#h";
    const ops: [string, string][] = [
      ["protocol", "http"],
      ["protocol", "mailto"],
      ["username", "us er@x"],
      ["password", "p:w/d"],
      ["host", "other.org:81"],
      ["host", "other.org"],
      ["hostname", "h.io"],
      ["hostname", "h.io:99"],
      ["port", "8080"],
      ["port", ""],
      ["port", "443"],
      ["port", "abc"],
      ["port", "99999"],
      ["pathname", "/a b/c?d#e"],
      ["pathname", "no-slash"],
      ["search", "?a=1 2&b"],
      ["search", "c=3"],
      ["search", ""],
      ["hash", "#top"],
      ["hash", "bottom"],
      ["hash", ""],
      ["href", "http://new.example/x?y=1"],
    ];
    const ours = await web.run<string[][]>(`
      return ${JSON.stringify(ops)}.map(([prop, value]) => {
        const url = new URL(${JSON.stringify(start)});
        url[prop] = value;
        return [url.href, JSON.stringify([...url.searchParams])];
      });`);
    const expected = ops.map(([prop, value]) => {
      const url = new URL(start);
      (url as unknown as Record<string, string>)[prop] = value;
      return [url.href, JSON.stringify([...url.searchParams])];
    });
    expect(ours).toEqual(expected);
  });

  it("keeps searchParams and the URL in sync both ways", async () => {
    const ours = await web.run(`
      const url = new URL("https://example.com/p?a=1#f");
      const params = url.searchParams;
      params.append("q", "a b&c=€");
      const afterAppend = url.href;
      url.search = "?z=9";
      const sameObject = params === url.searchParams;
      const z = params.get("z");
      params.delete("z");
      const afterDelete = url.href;
      url.href = "http://other/?k=v";
      return { afterAppend, sameObject, z, afterDelete, k: params.get("k"), json: JSON.stringify({ url }) };
    `);
    const url = new URL("https://example.com/p?a=1#f");
    url.searchParams.append("q", "a b&c=€");
    expect(ours).toEqual({
      afterAppend: url.href,
      sameObject: true,
      z: "9",
      afterDelete: "https://example.com/p#f",
      k: "v",
      json: '{"url":"http://other/?k=v"}',
    });
  });
});

describe("URLSearchParams", () => {
  it("parses, reads and serializes like Node's", async () => {
    const inputs = [
      "a=1&b=2&a=3",
      "?x=%20y+z",
      "q=%E2%82%AC&bad=%zz&%&%e2%82",
      "=&=x&&a",
      "emoji=😀&sp=a b",
      "",
    ];
    const ours = await web.run(`
      return ${JSON.stringify(inputs)}.map((input) => {
        const p = new URLSearchParams(input);
        return [p.toString(), [...p], p.size, p.get("a"), p.getAll("a")];
      });`);
    expect(ours).toEqual(
      inputs.map((input) => {
        const p = new URLSearchParams(input);
        return [p.toString(), [...p], p.size, p.get("a"), p.getAll("a")];
      }),
    );
  });

  it("builds from records and pairs, sorts stably and edits like Node's", async () => {
    const script = (U: string) => `
      const fromRecord = new ${U}({ b: "2", a: "1 & 1", "ü": "ö" });
      const fromPairs = new ${U}([["z", "1"], ["a", "2"], ["z", "0"]]);
      fromPairs.sort();
      const edited = new ${U}("a=1&b=2&a=3&c=4");
      edited.set("a", "x");
      edited.delete("c", "5");
      const hasPair = [edited.has("a", "x"), edited.has("a", "1"), edited.has("c")];
      edited.delete("c", "4");
      const seen = [];
      edited.forEach((v, k) => seen.push(k + ":" + v));
      return [fromRecord.toString(), fromPairs.toString(), edited.toString(), hasPair, seen,
        [...edited.keys()], [...edited.values()], new ${U}(edited).toString()];`;
    const ours = await web.run(script("URLSearchParams"));
    const node = new Function("NodeParams", script("NodeParams"))(URLSearchParams);
    expect(ours).toEqual(node);
  });
});
