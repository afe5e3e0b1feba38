// Sorting and paging: one order across types, the same on both stores, stable across pages.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";

/** Values of `v` in the documented ascending order: missing/null, booleans, numbers, strings
 * (bytewise), objects and arrays; equal ranks keep creation order. */
const ASCENDING: [string, unknown][] = [
  ["missing", undefined],
  ["null", null],
  ["false", false],
  ["true", true],
  ["-1.5", -1.5],
  ["2", 2],
  ["10", 10],
  ['"10"', "10"],
  ['"9"', "9"],
  ['"B"', "B"],
  ['"a"', "a"],
  ['"é"', "é"],
  ["object", { o: 1 }],
  ["array", [1]],
];

forEachStore((store) => {
  describe("sorting and paging", () => {
    let server: TestServer;
    let token: string;
    const list = (query: string) => server.api("GET", `/api/records/mixed?${query}`, { token });
    const labels = (body: { items: { label: string }[] }) => body.items.map((r) => r.label);

    beforeAll(async () => {
      server = await startServer(store);
      token = (await createUser(server)).token;
      // Created in a shuffled order, so creation order is not the expected order by accident.
      const order = [7, 2, 12, 0, 9, 4, 13, 1, 11, 5, 3, 10, 6, 8];
      for (const i of order) {
        const [label, v] = ASCENDING[i]!;
        const body: Record<string, unknown> = { label, group: i % 3, rank: i };
        if (v !== undefined) body.v = v;
        expect((await server.api("POST", "/api/records/mixed", { token, body })).status).toBe(201);
      }
    });
    afterAll(async () => server?.close());

    it("mixed types sort ascending in one cross-store order", async () => {
      const res = await list("sort=v");
      expect(res.status).toBe(200);
      // missing and null tie (rank 0) and keep creation order: missing was created first.
      expect(labels(res.body)).toEqual(ASCENDING.map(([l]) => l));
    });

    it("descending reverses the ranks; ties still keep creation order", async () => {
      const res = await list("sort=-v");
      // object and array tie: object (created first) comes first; same for null and missing.
      const expected = [
        "object",
        "array",
        ...ASCENDING.slice(2, 12)
          .map(([l]) => l)
          .reverse(),
        "missing",
        "null",
      ];
      expect(labels(res.body)).toEqual(expected);
    });

    it("sorts by several keys, each with its own direction", async () => {
      const res = await list("sort=group,-rank");
      const got = res.body.items.map((r: { group: number; rank: number }) => [r.group, r.rank]);
      const want = ASCENDING.map((_, i) => [i % 3, i]).sort((a, b) => a[0]! - b[0]! || b[1]! - a[1]!);
      expect(got).toEqual(want);
    });

    it("sorts by system fields and nested paths", async () => {
      const byCreated = await list("sort=-createdAt,-id");
      const byId = await list("sort=id");
      expect(labels(byCreated.body)).toEqual(labels(byId.body).reverse());
      await server.api("POST", "/api/records/nested", { token, body: { label: "x", a: { b: 2 } } });
      await server.api("POST", "/api/records/nested", { token, body: { label: "y", a: { b: 1 } } });
      await server.api("POST", "/api/records/nested", { token, body: { label: "z" } });
      const nested = await server.api("GET", "/api/records/nested?sort=a.b", { token });
      expect(labels(nested.body)).toEqual(["z", "y", "x"]);
    });

    it("pages with limit and offset cover the sorted list exactly once, with the total", async () => {
      const full = labels((await list("sort=-v&limit=1000")).body);
      const seen: string[] = [];
      for (let offset = 0; offset < 20; offset += 4) {
        const page = await list(`sort=-v&limit=4&offset=${offset}`);
        expect(page.body).toMatchObject({ total: 14, limit: 4, offset });
        seen.push(...labels(page.body));
      }
      expect(seen).toEqual(full);
      const past = await list("limit=5&offset=100");
      expect(past.body).toMatchObject({ items: [], total: 14 });
    });

    it("the filter narrows the total; the POST query takes the sort as a list", async () => {
      const res = await server.api("POST", "/api/records/mixed/query", {
        token,
        body: { filter: { group: 1 }, sort: ["-rank"], limit: 2, offset: 1 },
      });
      expect(res.status).toBe(200);
      const ranks = ASCENDING.map((_, i) => i)
        .filter((i) => i % 3 === 1)
        .reverse();
      expect(res.body.items.map((r: { rank: number }) => r.rank)).toEqual(ranks.slice(1, 3));
      expect(res.body).toMatchObject({ total: ranks.length, limit: 2, offset: 1 });
    });

    it("bad sort keys are a 400 with a message", async () => {
      for (const [sort, message] of [
        ["a;b", /Invalid field name/],
        ["-", /Empty field/],
        ["a,,b", /Empty field/],
        ["a,b,c,d,e,f", /at most 5/],
        ["data", null],
        ["v'); DROP TABLE records;--", /Invalid field name/],
        ["a.b.c.d.e.f.g.h.i", /too deep/],
      ] as const) {
        const res = await list(`sort=${encodeURIComponent(sort)}`);
        if (message === null) expect(res.status).toBe(200);
        else {
          expect(res.status, sort).toBe(400);
          expect(res.body.error.message).toMatch(message);
        }
      }
      expect((await list("limit=1000")).body.total).toBe(14);
    });
  });
});
