import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";

const MB = 1024 * 1024;

forEachStore((store) => {
  describe("bad record input gets a 4xx with a message and harms nothing", () => {
    let server: TestServer;
    let token: string;
    let keepId: string;

    const expectError = (res: { status: number; body: any }, status: number, message: RegExp) => {
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
    };

    beforeAll(async () => {
      server = await startServer(store);
      token = (await createUser(server)).token;
      keepId = (await server.api("POST", "/api/records/things", { token, body: { keep: "me", n: 1 } })).body
        .id;
    });
    afterAll(async () => server?.close());

    const intact = async () => {
      const res = await server.api("GET", "/api/records/things", { token: server.adminKey });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([expect.objectContaining({ id: keepId, keep: "me", n: 1 })]);
      expect(res.body.total).toBe(1);
    };

    it("a body that is not a JSON object is a 400", async () => {
      for (const body of [[1, 2], "text", 42, true, null]) {
        const res = await server.api("POST", "/api/records/things", { token, body });
        expectError(res, 400, /JSON object/);
      }
      const patch = await server.api("PATCH", `/api/records/things/${keepId}`, { token, body: ["x"] });
      expectError(patch, 400, /JSON object/);
      const broken = await server.api("POST", "/api/records/things", {
        token,
        rawBody: '{"a": ',
        headers: { "content-type": "application/json" },
      });
      expectError(broken, 400, /not valid JSON/);
      await intact();
    });

    it("bad and reserved collection names are a 400 naming the rule", async () => {
      for (const name of ["users", "_private", "9lives", "a.b", "x".repeat(65), "semi;colon", "quote'd"]) {
        const res = await server.api("POST", `/api/records/${encodeURIComponent(name)}`, {
          token,
          body: { a: 1 },
        });
        expect(res.status, name).toBe(400);
        expect(res.body.error.message).toMatch(name === "users" ? /reserved/ : /Invalid collection name/);
        expect((await server.api("GET", `/api/records/${encodeURIComponent(name)}`, { token })).status).toBe(
          400,
        );
      }
      expect((await server.api("POST", "/api/records/Ok-name_2", { token, body: { a: 1 } })).status).toBe(
        201,
      );
    });

    it("invalid field names, top-level or nested, are a 400 and store nothing", async () => {
      const bad = [
        { "a'); DROP TABLE records;--": 1 },
        { $where: "1 == 1" },
        { "a.b": 1 },
        { "": 1 },
        { "1st": 1 },
        { "with space": 1 },
        { nested: { "bad-key": 1 } },
        { list: [{ ok: 1 }, { $set: 2 }] },
        { ["x".repeat(65)]: 1 },
      ];
      for (const body of bad) {
        const res = await server.api("POST", "/api/records/things", { token, body });
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.message).toMatch(/Invalid field name/);
        const patch = await server.api("PATCH", `/api/records/things/${keepId}`, { token, body });
        expect(patch.status).toBe(400);
      }
      await intact();
    });

    it("__proto__ keys are refused, not merged into anything", async () => {
      const res = await server.api("POST", "/api/records/things", {
        token,
        rawBody: '{"__proto__": {"admin": true}, "a": 1}',
        headers: { "content-type": "application/json" },
      });
      expect(res.status).toBe(400);
      await intact();
    });

    it("documents nested deeper than 32 levels are a 400", async () => {
      let deep: unknown = 1;
      for (let i = 0; i < 40; i++) deep = { d: deep };
      expectError(await server.api("POST", "/api/records/things", { token, body: { deep } }), 400, /nest/);
      let fine: unknown = 1;
      for (let i = 0; i < 31; i++) fine = { d: fine };
      const ok = await server.api("POST", "/api/records/deep", { token, body: { fine } });
      expect(ok.status).toBe(201);
      expect(ok.body.fine).toEqual(fine);
    });

    it("a body over 1 MB is a 413; just under the limit is stored whole", async () => {
      const over = await server.api("POST", "/api/records/big", { token, body: { blob: "x".repeat(MB) } });
      expect(over.status).toBe(413);
      expect(over.body.error.code).toBe("payload_too_large");

      const blob = "y".repeat(MB - 64);
      const body = { blob };
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(MB);
      const ok = await server.api("POST", "/api/records/big", { token, body });
      expect(ok.status).toBe(201);
      const read = await server.api("GET", `/api/records/big/${ok.body.id}`, { token });
      expect(read.body.blob).toBe(blob);

      const bump = await server.api("PATCH", `/api/records/big/${ok.body.id}`, {
        token,
        body: { more: "z".repeat(1000) },
      });
      // Each body is small, but the merged record would pass the limit.
      expect(bump.status).toBe(413);
      expect(bump.body.error.message).toMatch(/at most 1048576 bytes/);
      expect((await server.api("GET", `/api/records/big/${ok.body.id}`, { token })).body).not.toHaveProperty(
        "more",
      );
    });

    it("unknown record ids are a 404, long ones too", async () => {
      expect((await server.api("GET", "/api/records/things/nope", { token })).status).toBe(404);
      expect((await server.api("GET", `/api/records/things/${"x".repeat(150)}`, { token })).status).toBe(404);
      expect(
        (await server.api("GET", `/api/records/things/${encodeURIComponent("' OR 1=1 --")}`, { token }))
          .status,
      ).toBe(404);
    });

    it("bad paging parameters are a 400", async () => {
      for (const q of ["limit=0", "limit=1001", "limit=abc", "offset=-1"]) {
        const res = await server.api("GET", `/api/records/things?${q}`, { token });
        expect(res.status, q).toBe(400);
        expect(res.body.error.message).toMatch(/limit|offset/);
      }
      const res = await server.api("POST", "/api/records/things/query", { token, body: { filter: [1] } });
      expectError(res, 400, /filter/);
    });
  });
});
