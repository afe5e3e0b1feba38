// The examples in docs/filters.md are executable: each filter must select exactly the records the
// page says it does, on both stores.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";

const page = readFileSync(new URL("../../docs/filters.md", import.meta.url), "utf8");
const records = JSON.parse(/```json records\n([\s\S]*?)\n```/.exec(page)![1]!) as { name: string }[];
const examples = [...page.matchAll(/```json\n([\s\S]*?)\n```\n\n?→ ([^\n(]*)/g)].map((m) => ({
  filter: JSON.parse(m[1]!) as Record<string, unknown>,
  names: m[2]!
    .split(",")
    .map((n) => n.trim())
    .filter(Boolean),
}));

forEachStore((store) => {
  describe("docs/filters.md", () => {
    let server: TestServer;
    let token: string;

    beforeAll(async () => {
      server = await startServer(store);
      token = (await createUser(server)).token;
      for (const record of records) {
        expect((await server.api("POST", "/api/records/customers", { token, body: record })).status).toBe(
          201,
        );
      }
    });
    afterAll(async () => server?.close());

    it("has the examples this test expects", () => {
      expect(records).toHaveLength(4);
      expect(examples.length).toBeGreaterThanOrEqual(15);
    });

    for (const { filter, names } of examples) {
      it(`${JSON.stringify(filter)} selects ${names.join(", ")}`, async () => {
        const res = await server.api(
          "GET",
          `/api/records/customers?filter=${encodeURIComponent(JSON.stringify(filter))}`,
          { token },
        );
        expect(res.status).toBe(200);
        // Listed in creation order, as the page writes them.
        expect(res.body.items.map((r: { name: string }) => r.name)).toEqual(names);
      });
    }
  });
});
