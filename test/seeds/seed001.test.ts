// Seed 001 (Base44's "Backend Functions Overview"): its entry.ts runs with only the import
// specifier changed to "backend" (fixtures/001_entry.ts.txt), called through the SDK and over HTTP.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy } from "../../src/functions/invoke/testing/deploy.js";
import { BackendError, createClient } from "../../src/sdk/index.js";
import { createUser, forEachStore, startServer, type TestServer } from "../harness.js";

const ENTRY = readFileSync(new URL("./fixtures/001_entry.ts.txt", import.meta.url), "utf8");

forEachStore((store) => {
  describe("seed 001: a Deno.serve function with createClientFromRequest", () => {
    let server: TestServer;
    let user: Awaited<ReturnType<typeof createUser>>;

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      user = await createUser(server, { full_name: "Ada Lovelace" });
      // Public, so that the function itself decides who is welcome (its own 401), as in the seed.
      const deployed = await deploy(server, "sendWelcomeEmail", ENTRY, { access: "public" });
      expect(deployed.form).toBe("deno");
    });
    afterAll(async () => server?.close());

    it("the source is the seed's, with only the import specifier changed", () => {
      expect(ENTRY).toContain('import { createClientFromRequest } from "backend";');
      expect(ENTRY).toContain("message: `Hello, ${name || user.full_name}!`");
    });

    it('without a token it answers 401 {"error":"Unauthorized"}, over HTTP and the invoke API', async () => {
      for (const path of ["/functions/sendWelcomeEmail", "/api/functions/sendWelcomeEmail/invoke"]) {
        const res = await fetch(`${server.url}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "Alice" }),
        });
        expect(res.status).toBe(401);
        expect(await res.text()).toBe('{"error":"Unauthorized"}');
      }
      const error = await createClient({ url: server.url })
        .functions.invoke("sendWelcomeEmail", { name: "Alice" })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackendError);
      expect((error as BackendError).status).toBe(401);
      expect((error as BackendError).message).toBe("Unauthorized");
    });

    it("through the SDK with a user token it greets the user, or the name posted", async () => {
      const base44 = createClient({ url: server.url, token: user.token });
      expect(await base44.functions.invoke("sendWelcomeEmail", {})).toEqual({
        message: "Hello, Ada Lovelace!",
      });
      expect(await base44.functions.invoke("sendWelcomeEmail", { name: "Alice" })).toEqual({
        message: "Hello, Alice!",
      });
      expect(await base44.executeFunction("sendWelcomeEmail", { name: "Bob" })).toEqual({
        message: "Hello, Bob!",
      });
    });

    it("over plain HTTP with a user token it greets the user, or the name posted", async () => {
      const post = (body: unknown) =>
        server.api("POST", "/functions/sendWelcomeEmail", { token: user.token, body });
      const named = await post({ name: "Alice" });
      expect(named.status).toBe(200);
      expect(named.body).toEqual({ message: "Hello, Alice!" });
      expect((await post({})).body).toEqual({ message: "Hello, Ada Lovelace!" });
    });
  });
});
