// Every call uses the deployed functions, their names and the secrets from memory while nothing
// changed (storage/cacheGenerations.ts). These pin that a change is seen by the very next call,
// on the node that made it and on another node of the same database.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { readGenerations } from "../../storage/cacheGenerations.js";
import { deploy } from "./testing/deploy.js";

forEachStore((store) => {
  describe("calls never see a stale function or secret", () => {
    let a: TestServer;
    let b: TestServer;
    const secretsKey = randomBytes(32).toString("base64");

    beforeAll(async () => {
      a = await startServer(store, { config: { secretsKey, functions: { workers: 1 } } });
      // A second node on the same database (the same SQLite file, or the same PostgreSQL database).
      const { dataDir, databaseUrl } = a.platform.deps.config;
      b = await startServer(store, {
        config: { secretsKey, dataDir, ...(databaseUrl ? { databaseUrl } : {}), functions: { workers: 1 } },
      });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    const viaHttp = async (server: TestServer, path: string) => {
      const res = await server.api("GET", `/functions/${path}`);
      return res.status === 200 ? res.body : res.status;
    };
    const viaInvoke = async (server: TestServer, name: string) => {
      const res = await server.api("POST", `/api/functions/${name}/invoke`, { body: {} });
      return res.status === 200 ? res.body : res.status;
    };
    const both = async (read: (server: TestServer) => Promise<unknown>) => [await read(a), await read(b)];
    const admin = (server: TestServer) => ({ token: server.adminKey });

    it("a deploy, a rollback and a delete are seen by the next call on either node", async () => {
      await deploy(a, "flip", "export default () => 'v1'", { access: "public" });
      // Each node now holds flip v1 and the list of names in memory.
      expect(await both((s) => viaHttp(s, "flip"))).toEqual(["v1", "v1"]);
      expect(await both((s) => viaInvoke(s, "flip"))).toEqual(["v1", "v1"]);

      await deploy(b, "flip", "export default () => 'v2'", { access: "public" });
      expect(await both((s) => viaHttp(s, "flip"))).toEqual(["v2", "v2"]);
      expect(await both((s) => viaInvoke(s, "flip"))).toEqual(["v2", "v2"]);

      expect((await a.api("POST", "/api/functions/flip/rollback", admin(a))).status).toBe(200);
      expect(await both((s) => viaHttp(s, "flip"))).toEqual(["v1", "v1"]);
      expect(await both((s) => viaInvoke(s, "flip"))).toEqual(["v1", "v1"]);

      // A path below flip reaches flip until a function of that longer name exists.
      expect(await both((s) => viaHttp(s, "flip/deep"))).toEqual(["v1", "v1"]);
      await deploy(b, "flip/deep", "export default () => 'deep'", { access: "public" });
      expect(await both((s) => viaHttp(s, "flip/deep"))).toEqual(["deep", "deep"]);
      expect((await a.api("DELETE", "/api/functions/flip/deep", admin(a))).status).toBe(204);
      expect(await both((s) => viaHttp(s, "flip/deep"))).toEqual(["v1", "v1"]);

      // An access change is part of the version that runs.
      await deploy(a, "flip", "export default () => 'v3'", { access: "admin" });
      expect(await both((s) => viaInvoke(s, "flip"))).toEqual([401, 401]);

      expect((await b.api("DELETE", "/api/functions/flip", admin(b))).status).toBe(204);
      expect(await both((s) => viaHttp(s, "flip"))).toEqual([404, 404]);
      expect(await both((s) => viaInvoke(s, "flip"))).toEqual([404, 404]);

      // Deleted and deployed again: version 1 again, with other content.
      await deploy(b, "flip", "export default () => 'reborn'", { access: "public" });
      expect(await both((s) => viaHttp(s, "flip"))).toEqual(["reborn", "reborn"]);
    });

    it("a secret set, replaced or deleted is seen by the next call on either node", async () => {
      await deploy(a, "token", "export default (_event, ctx) => ctx.env.TOKEN ?? 'none'", {
        access: "public",
      });
      expect(await both((s) => viaInvoke(s, "token"))).toEqual(["none", "none"]);
      const put = (server: TestServer, value: string) =>
        server.api("PUT", "/api/secrets/TOKEN", { ...admin(server), body: { value } });

      expect((await put(a, "first-value")).status).toBe(200);
      expect(await both((s) => viaInvoke(s, "token"))).toEqual(["first-value", "first-value"]);
      expect((await put(b, "second-value")).status).toBe(200);
      expect(await both((s) => viaInvoke(s, "token"))).toEqual(["second-value", "second-value"]);
      expect((await a.api("DELETE", "/api/secrets/TOKEN", admin(a))).status).toBe(204);
      expect(await both((s) => viaInvoke(s, "token"))).toEqual(["none", "none"]);
    });

    it("only a change moves a generation: an unchanged deploy or a failed delete does not", async () => {
      const generations = () => readGenerations(a.platform.deps.db);
      await deploy(a, "steady", "export default () => 'same'", { access: "public" });
      const before = await generations();
      await deploy(b, "steady", "export default () => 'same'", { access: "public" });
      expect((await a.api("DELETE", "/api/functions/nothing-here", admin(a))).status).toBe(404);
      expect((await a.api("DELETE", "/api/secrets/NOTHING", admin(a))).status).toBe(404);
      expect(await both((s) => viaHttp(s, "steady"))).toEqual(["same", "same"]);
      expect(await generations()).toEqual(before);
      await deploy(b, "steady", "export default () => 'changed'", { access: "public" });
      expect(await generations()).toEqual({ ...before, functions: before.functions + 1 });
    });
  });
});
