import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";

forEachStore((store) => {
  describe("the HTTP surface", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store);
    });
    afterAll(async () => server?.close());

    it("answers /healthz with 200 when the database is reachable", async () => {
      const res = await server.api("GET", "/healthz");
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "ok" });
    });

    it("answers an unknown route with a JSON 404", async () => {
      const res = await server.api("GET", "/api/nope");
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    });

    it("rejects a malformed Authorization header with 401", async () => {
      const res = await server.api("GET", "/api/nope", { headers: { authorization: "Basic abc" } });
      expect(res.status).toBe(401);
      expect(res.body.error.message).toMatch(/Bearer/);
    });

    it("serves an OpenAPI document", async () => {
      const res = await server.api("GET", "/api/openapi.json");
      expect(res.status).toBe(200);
      expect(res.body.openapi).toMatch(/^3\./);
    });
  });
});

forEachStore((store) => {
  describe("CORS", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store, { config: { corsOrigins: ["https://app.example.com"] } });
    });
    afterAll(async () => server?.close());

    it("answers a browser's preflight for an allowed origin, with the Authorization header allowed", async () => {
      const res = await server.api("OPTIONS", "/api/records/notes", {
        headers: {
          origin: "https://app.example.com",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
      expect(res.status).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
      expect(res.headers.get("access-control-allow-headers")).toMatch(/authorization/);
    });

    it("does not allow an origin that is not configured", async () => {
      const res = await server.api("GET", "/healthz", { headers: { origin: "https://evil.example.com" } });
      const api = await server.api("GET", "/api/openapi.json", {
        headers: { origin: "https://evil.example.com" },
      });
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(api.headers.get("access-control-allow-origin")).toBeNull();
    });
  });
});
