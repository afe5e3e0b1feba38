// Every operator of the filter language, on both stores, through the records API: the same
// filter must select the same records on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";

const DOCS = [
  { name: "a", n: 1, s: "10", b: true, z: null, tags: ["x", "y"], addr: { city: "Paris", zip: 75001 } },
  { name: "b", n: 2.5, s: "9", b: false, addr: { city: "Lyon" } },
  { name: "c", n: 10, s: "abc", b: true, tags: ["y"] },
  { name: "d", n: "5", s: 5, z: 0, addr: "Paris" },
  { name: "e" },
  { name: "f", n: -3, b: null, z: false, addr: { city: null } },
];

/** [filter, names it selects]: the expectations are MongoDB's semantics. */
const CASES: [string, Record<string, unknown>, string[]][] = [
  ["no condition", {}, ["a", "b", "c", "d", "e", "f"]],
  ["implicit equality with a number", { n: 1 }, ["a"]],
  ["1.0 equals 1", { n: 1.0 }, ["a"]],
  ["a string never equals a number", { n: "1" }, []],
  ["a number never equals a string", { s: 10 }, []],
  ["the string '5' matches only the string", { n: "5" }, ["d"]],
  ["the number 5 matches only the number", { s: 5 }, ["d"]],
  ["implicit equality with a boolean", { b: true }, ["a", "c"]],
  ["false is not null, 0 or missing", { b: false }, ["b"]],
  ["0 is not false", { z: 0 }, ["d"]],
  ["false is not 0", { z: false }, ["f"]],
  ["1 is not true", { b: 1 }, []],
  ["null matches null and missing", { z: null }, ["a", "b", "c", "e"]],
  ["$eq", { n: { $eq: 10 } }, ["c"]],
  ["$eq null", { b: { $eq: null } }, ["d", "e", "f"]],
  ["$ne matches missing fields too", { b: { $ne: true } }, ["b", "d", "e", "f"]],
  ["$ne null means present and not null", { z: { $ne: null } }, ["d", "f"]],
  ["$ne with a string", { name: { $ne: "a" } }, ["b", "c", "d", "e", "f"]],
  ["$gt on numbers skips strings", { n: { $gt: 2 } }, ["b", "c"]],
  ["$gte", { n: { $gte: 2.5 } }, ["b", "c"]],
  ["$lt with negatives", { n: { $lt: 0 } }, ["f"]],
  ["$lte", { n: { $lte: 1 } }, ["a", "f"]],
  ["$gt on strings is bytewise and skips numbers", { s: { $gt: "5" } }, ["b", "c"]],
  ["$lt on strings", { name: { $lt: "c" } }, ["a", "b"]],
  ["$gt with a string operand ignores numbers", { n: { $gt: "1" } }, ["d"]],
  ["two operators on one field", { n: { $gt: 0, $lt: 5 } }, ["a", "b"]],
  ["$in mixes types, each matching its own kind", { n: { $in: [1, 10, "5"] } }, ["a", "c", "d"]],
  ["$in with null matches missing", { z: { $in: [null, false] } }, ["a", "b", "c", "e", "f"]],
  ["$in empty matches nothing", { n: { $in: [] } }, []],
  ["$nin matches missing fields too", { n: { $nin: [1, 10] } }, ["b", "d", "e", "f"]],
  ["$nin empty matches everything", { n: { $nin: [] } }, ["a", "b", "c", "d", "e", "f"]],
  ["$exists true counts null values", { z: { $exists: true } }, ["a", "d", "f"]],
  ["$exists false", { z: { $exists: false } }, ["b", "c", "e"]],
  ["a nested path", { "addr.city": "Paris" }, ["a"]],
  ["a nested path through a non-object is missing", { "addr.city": null }, ["c", "d", "e", "f"]],
  ["$exists on a nested path", { "addr.city": { $exists: true } }, ["a", "b", "f"]],
  ["a range on a nested path", { "addr.zip": { $gte: 75000 } }, ["a"]],
  ["$ne on a nested path", { "addr.city": { $ne: "Paris" } }, ["b", "c", "d", "e", "f"]],
  ["several fields are AND-ed", { b: true, n: { $gt: 5 } }, ["c"]],
  ["$and", { $and: [{ b: true }, { n: { $gt: 5 } }] }, ["c"]],
  ["$or", { $or: [{ name: "a" }, { n: { $lt: 0 } }] }, ["a", "f"]],
  [
    "$or inside $and",
    { $and: [{ $or: [{ b: true }, { b: false }] }, { tags: { $exists: true } }] },
    ["a", "c"],
  ],
  ["$and inside $or", { $or: [{ $and: [{ b: true }, { n: 1 }] }, { name: "e" }] }, ["a", "e"]],
  ["a whole array equals an identical array", { tags: ["x", "y"] }, ["a"]],
  ["array order matters", { tags: ["y", "x"] }, []],
  ["$in with array values", { tags: { $in: [["y"], ["z"]] } }, ["c"]],
  ["a value that looks like SQL is just a value", { name: "a' OR '1'='1" }, []],
  [
    "system fields filter like any other",
    { ownerId: { $exists: true }, name: { $in: ["a", "b"] } },
    ["a", "b"],
  ],
];

forEachStore((store) => {
  describe("the filter language", () => {
    let server: TestServer;
    let token: string;

    beforeAll(async () => {
      server = await startServer(store);
      token = (await createUser(server)).token;
      for (const doc of DOCS) {
        const res = await server.api("POST", "/api/records/docs", { token, body: doc });
        expect(res.status).toBe(201);
      }
    });
    afterAll(async () => server?.close());

    const names = (body: { items: { name: string }[] }) => body.items.map((r) => r.name).sort();

    for (const [title, filter, expected] of CASES) {
      it(`${title}: ${JSON.stringify(filter)}`, async () => {
        const viaGet = await server.api(
          "GET",
          `/api/records/docs?filter=${encodeURIComponent(JSON.stringify(filter))}`,
          { token },
        );
        expect(viaGet.status).toBe(200);
        expect(names(viaGet.body)).toEqual(expected);
        expect(viaGet.body.total).toBe(expected.length);
        const viaPost = await server.api("POST", "/api/records/docs/query", { token, body: { filter } });
        expect(viaPost.status).toBe(200);
        expect(names(viaPost.body)).toEqual(expected);
      });
    }
  });
});
