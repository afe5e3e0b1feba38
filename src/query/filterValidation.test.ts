// Hostile and malformed filters get a 400 that says what is wrong, and the data is untouched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";

let nested: Record<string, unknown> = { a: 1 };
for (let i = 0; i < 12; i++) nested = { $and: [nested] };

const BAD: [string, unknown, RegExp][] = [
  ["SQL in a field name", { "a'); DROP TABLE records;--": 1 }, /Invalid field name/],
  ["SQL in a nested field name", { "a.b'--": 1 }, /Invalid field name/],
  ["a JSON-path in a field name", { "$.a": 1 }, /Unknown operator/],
  ["array syntax in a field name", { "tags[0]": "x" }, /Invalid field name/],
  ["quotes in a field name", { 'a"b': 1 }, /Invalid field name/],
  ["an empty field name", { "": 1 }, /Invalid field name/],
  ["a field path too deep", { "a.b.c.d.e.f.g.h.i": 1 }, /too deep/],
  ["$where", { $where: "this.a == 1" }, /Unknown operator '\$where'/],
  ["an unknown operator", { a: { $regex: "^x" } }, /Unknown operator '\$regex' on 'a'/],
  ["$not", { $not: { a: 1 } }, /Unknown operator/],
  ["an inherited name as operator", { a: { $eq: 1, constructor: 1 } }, /Unknown operator 'constructor'/],
  ["toString as operator", { a: { $gt: 1, toString: 1 } }, /Unknown operator 'toString'/],
  ["over-deep nesting", nested, /nest at most 8/],
  ["an empty $or", { $or: [] }, /non-empty array/],
  ["$and with a non-array", { $and: { a: 1 } }, /non-empty array/],
  ["$or with a non-object", { $or: [1] }, /JSON object/],
  ["$in with a non-array", { a: { $in: 1 } }, /takes an array/],
  ["$exists with a non-boolean", { a: { $exists: 1 } }, /true or false/],
  ["$gt with null", { a: { $gt: null } }, /number, a string or a date/],
  ["$lt with a boolean", { a: { $lt: true } }, /number, a string or a date/],
  ["$gte with an array", { a: { $gte: [1] } }, /number, a string or a date/],
  ["a whole object as a value", { addr: { city: "Paris" } }, /whole objects/],
  ["an object inside $in", { a: { $in: [{ b: 1 }] } }, /whole objects/],
  ["too many $in values", { a: { $in: Array.from({ length: 1001 }, (_, i) => i) } }, /at most 1000/],
  [
    "too many conditions",
    { $or: Array.from({ length: 201 }, (_, i) => ({ a: i })) },
    /at most 200 conditions/,
  ],
];

forEachStore((store) => {
  describe("filters that are wrong or hostile", () => {
    let server: TestServer;
    let token: string;

    const count = async () =>
      (await server.api("GET", "/api/records/victims", { token: server.adminKey })).body.total as number;

    beforeAll(async () => {
      server = await startServer(store);
      token = (await createUser(server)).token;
      for (const a of [1, 2, 3]) await server.api("POST", "/api/records/victims", { token, body: { a } });
    });
    afterAll(async () => server?.close());

    for (const [title, filter, message] of BAD) {
      it(`${title} is a 400 with a clear message`, async () => {
        const viaGet = await server.api(
          "GET",
          `/api/records/victims?filter=${encodeURIComponent(JSON.stringify(filter))}`,
          { token },
        );
        expect(viaGet.status).toBe(400);
        expect(viaGet.body.error.code).toBe("invalid_input");
        expect(viaGet.body.error.message).toMatch(message);
        const viaPost = await server.api("POST", "/api/records/victims/query", { token, body: { filter } });
        expect(viaPost.status).toBe(400);
        expect(viaPost.body.error.message).toMatch(message);
        expect(await count()).toBe(3);
      });
    }

    it("malformed JSON or a non-object in the filter parameter is a 400", async () => {
      for (const [text, message] of [
        ['{"a": ', /not valid JSON/],
        ["{a: 1}", /not valid JSON/],
        ["[1, 2]", /must be a JSON object/],
        ['"a"', /must be a JSON object/],
        ["42", /must be a JSON object/],
      ] as const) {
        const res = await server.api("GET", `/api/records/victims?filter=${encodeURIComponent(text)}`, {
          token,
        });
        expect(res.status, text).toBe(400);
        expect(res.body.error.message).toMatch(message);
      }
      const twice = await server.api("GET", "/api/records/victims?filter=%7B%7D&filter=%7B%7D", { token });
      expect(twice.status).toBe(400);
      expect(await count()).toBe(3);
    });

    it("values carrying SQL are compared as values and match nothing", async () => {
      for (const value of ["1; DROP TABLE records", "' OR 1=1 --", "\\' OR '1'='1", "$.a"]) {
        const res = await server.api("POST", "/api/records/victims/query", {
          token,
          body: { filter: { a: value, $or: [{ a: { $gt: value } }, { a: { $in: [value] } }] } },
        });
        expect(res.status).toBe(200);
        expect(res.body.total).toBe(0);
      }
      expect(await count()).toBe(3);
    });
  });
});
