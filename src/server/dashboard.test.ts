// The dashboard is served at / from the Vite build (npm test builds it first, as npm ci does): its
// page and assets, the page again for any other path a browser asks for (the app routes in the
// browser), and the API's own JSON 404s untouched.
import { readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, type TestServer } from "../../test/harness.js";
import { DASHBOARD_DIR } from "./routes/dashboard.js";

describe("the dashboard's files", () => {
  let server: TestServer;
  const html = { accept: "text/html,application/xhtml+xml" };

  beforeAll(async () => {
    server = await startServer("sqlite");
  });
  afterAll(async () => server?.close());

  it("serves the page at /, and its hashed assets for a year", async () => {
    const page = await fetch(`${server.url}/`, { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    const text = await page.text();
    const asset = /(?:src|href)="(\/assets\/[^"]+\.js)"/.exec(text)?.[1];
    expect(asset, "index.html names its script").toBeDefined();
    expect(readdirSync(path.join(DASHBOARD_DIR, "assets")).length).toBeGreaterThan(0);
    const script = await fetch(`${server.url}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get("cache-control")).toMatch(/immutable/);
  });

  it("answers a browser's page request with the app, and leaves the API's 404s as JSON", async () => {
    const deep = await fetch(`${server.url}/events/POST_RECORD_CREATE`, { headers: html });
    expect(deep.status).toBe(200);
    expect(await deep.text()).toContain("<div");
    const api = await fetch(`${server.url}/api/nothing-here`, { headers: html });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: "not_found" } });
    const notBrowser = await fetch(`${server.url}/nothing-here`, { headers: { accept: "application/json" } });
    expect(notBrowser.status).toBe(404);
  });
});
