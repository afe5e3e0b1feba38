import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { REQUEST_LOG_SAMPLE, requestIds } from "./app.js";

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
      const res = await server.api("GET", "/api/functions", { headers: { authorization: "Basic abc" } });
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

/** A logger at `level` whose lines are kept in memory. */
function memoryLogger(level: string): { log: pino.Logger; lines: { msg: string; [k: string]: unknown }[] } {
  const lines: { msg: string; [k: string]: unknown }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level }, sink), lines };
}

describe("request logs", () => {
  const completed = (lines: { msg: string }[]) => lines.filter((l) => l.msg === "request completed");

  it("at info, log the failed requests and one in REQUEST_LOG_SAMPLE of the rest", async () => {
    const { log, lines } = memoryLogger("info");
    const server = await startServer("sqlite", { log });
    try {
      // Requests 1..98 succeed (not logged), 99 fails (logged), 100 is the sample.
      for (let i = 0; i < REQUEST_LOG_SAMPLE - 2; i++)
        expect((await server.api("GET", "/healthz")).status).toBe(200);
      expect(completed(lines)).toEqual([]);
      expect((await server.api("GET", "/api/nope")).status).toBe(404);
      expect((await server.api("GET", "/healthz")).status).toBe(200);
      // The line is written once the answer has gone out (onResponse).
      await expect.poll(() => completed(lines).length).toBe(2);
      const logged = completed(lines);
      expect(logged[0]).toMatchObject({ req: { method: "GET", url: "/api/nope" }, res: { statusCode: 404 } });
      expect(logged[0]).not.toHaveProperty("sampled");
      expect(logged[1]).toMatchObject({ req: { url: "/healthz" }, res: { statusCode: 200 }, sampled: true });
    } finally {
      await server.close();
    }
  });

  it("at debug, log every request", async () => {
    const { log, lines } = memoryLogger("debug");
    const server = await startServer("sqlite", { log });
    try {
      for (let i = 0; i < 5; i++) await server.api("GET", "/healthz");
      await expect.poll(() => completed(lines).length).toBe(5);
    } finally {
      await server.close();
    }
  });
});

describe("request ids", () => {
  it("are unique within a process and across processes (another generator: another prefix)", () => {
    const one = requestIds();
    const other = requestIds();
    const ids = [...Array.from({ length: 1000 }, one), ...Array.from({ length: 1000 }, other)];
    expect(new Set(ids).size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^rq[A-Za-z0-9_-]{12}-[0-9a-z]+$/);
  });

  it("are answered in x-request-id on /api, one per request", async () => {
    const server = await startServer("sqlite");
    try {
      const first = await server.api("GET", "/api/openapi.json");
      const second = await server.api("GET", "/api/openapi.json");
      const ids = [first.headers.get("x-request-id"), second.headers.get("x-request-id")];
      expect(ids[0]).toMatch(/^rq/);
      expect(ids[1]).not.toBe(ids[0]);
    } finally {
      await server.close();
    }
  });
});
