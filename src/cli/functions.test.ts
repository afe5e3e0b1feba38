import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgDatabase, forEachStore } from "../../test/harness.js";
import { BIN, REPO_ROOT, type SpawnedBackend, spawnBackend } from "../../test/spawnBackend.js";
import { eventually } from "../functions/invoke/testing/deploy.js";
import { sinceDate } from "./functions/logs.js";
import { runCli } from "./testing/runCli.js";

const ADMIN_KEY = "cli-functions-test-admin-key-0123456789";

forEachStore((store) => {
  describe("backend functions invoke / logs", () => {
    let server: SpawnedBackend;
    let dataDir: string;
    let dropDb: (() => Promise<void>) | undefined;
    const env = () => ({ BACKEND_URL: server.url, BACKEND_ADMIN_KEY: ADMIN_KEY });
    // In this process (the bin's own start is tested in start.test.ts); --follow needs the bin.
    const cli = async (...args: string[]) => {
      const { code, output } = await runCli(["functions", ...args], env());
      return { code, output };
    };

    async function deploy(name: string, source: string): Promise<void> {
      const res = await fetch(`${server.url}/api/functions/${name}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" },
        body: JSON.stringify({ files: { "entry.ts": source } }),
      });
      expect(res.status).toBe(200);
    }

    beforeAll(async () => {
      dataDir = mkdtempSync(path.join(tmpdir(), "backend-cli-fn-"));
      let databaseUrl: string | undefined;
      if (store === "postgres") {
        const database = await createPgDatabase();
        databaseUrl = database.url;
        dropDb = database.drop;
      }
      server = await spawnBackend({
        args: ["--port", "0", "--data", dataDir],
        env: { BACKEND_ADMIN_KEY: ADMIN_KEY, DATABASE_URL: databaseUrl },
      });
      await deploy(
        "hello",
        `export default async function (event) {
           console.log("greeting " + event.name);
           console.warn("warned about " + event.name);
           return { message: "Hello, " + event.name + "!" };
         }`,
      );
      await deploy("boom", `export default () => { throw new Error("it broke"); }`);
    });
    afterAll(async () => {
      server?.child.kill("SIGTERM");
      await server?.exited;
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it("invoke prints the result as JSON", async () => {
      const { code, output } = await cli("invoke", "hello", "-d", '{"name":"Ada"}');
      expect(code).toBe(0);
      expect(JSON.parse(output)).toEqual({ message: "Hello, Ada!" });
    });

    it("invoke exits with 1 and the message when the function fails, is missing or the key is wrong", async () => {
      const failed = await cli("invoke", "boom");
      expect(failed.code).toBe(1);
      expect(failed.output).toContain("it broke");
      const missing = await cli("invoke", "nope");
      expect(missing.code).toBe(1);
      expect(missing.output).toContain("No function named nope");
      const noKey = await runCli(["functions", "invoke", "hello"], {
        BACKEND_URL: server.url,
        BACKEND_ADMIN_KEY: "",
      });
      expect(noKey.code).toBe(1);
      expect(noKey.output).toMatch(/401.*BACKEND_ADMIN_KEY/);
    });

    it("logs prints the latest lines oldest first, filtered by name, level and time, or as JSON", async () => {
      await cli("invoke", "hello", "-d", '{"name":"Logs"}');
      const plain = await cli("logs", "hello", "--since", "1h");
      expect(plain.code).toBe(0);
      const lines = plain.output.trim().split("\n");
      const greeting = lines.findIndex((l) => l.includes("greeting Logs"));
      expect(greeting).toBeGreaterThanOrEqual(0);
      expect(lines[greeting]).toMatch(/^\S+Z INFO {2}hello greeting Logs$/);
      expect(lines[greeting + 1]).toContain("WARN  hello warned about Logs");

      const warnings = await cli("logs", "hello", "--level", "warn", "--json");
      const parsed = warnings.output
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      expect(parsed.length).toBeGreaterThan(0);
      expect(parsed.every((l) => l.level === "warn" && l.function === "hello")).toBe(true);

      const badSince = await cli("logs", "--since", "last tuesday");
      expect(badSince.code).toBe(1);
      expect(badSince.output).toContain("--since must be a duration");
    });

    it("logs --follow prints new lines as functions run", async () => {
      const child = spawn(process.execPath, [BIN, "functions", "logs", "hello", "--follow"], {
        cwd: REPO_ROOT,
        env: { ...process.env, ...env() },
      });
      let output = "";
      child.stdout.on("data", (c: Buffer) => {
        output += c.toString();
      });
      child.stderr.on("data", (c: Buffer) => {
        output += c.toString();
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      try {
        // The history comes after the stream is open: once it is printed, new lines will follow.
        await eventually(() => expect(output).toContain("greeting Ada"), 10_000);
        const marker = `Follow-${Date.now()}`;
        await cli("invoke", "hello", "-d", JSON.stringify({ name: marker }));
        await eventually(() => expect(output).toContain(`greeting ${marker}`), 10_000);
      } finally {
        child.kill("SIGTERM");
      }
      expect(await exited).toBe(0);
    });
  });
});

describe("--since", () => {
  it("takes a duration ago or a date", () => {
    const now = Date.parse("2030-01-01T12:00:00Z");
    expect(sinceDate("90s", now)).toBe("2030-01-01T11:58:30.000Z");
    expect(sinceDate("2h", now)).toBe("2030-01-01T10:00:00.000Z");
    expect(sinceDate("1d", now)).toBe("2029-12-31T12:00:00.000Z");
    expect(sinceDate("2030-01-01T09:00:00+01:00", now)).toBe("2030-01-01T08:00:00.000Z");
  });
});
