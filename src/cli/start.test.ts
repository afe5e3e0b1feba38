import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createPgDatabase, forEachStore } from "../../test/harness.js";
import { runBackend, type SpawnedBackend, spawnBackend } from "../../test/spawnBackend.js";
import { VERSION } from "../version.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function stopOnCleanup(server: SpawnedBackend): void {
  cleanups.push(async () => {
    server.kill("SIGKILL");
    await server.exited;
  });
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "backend-cli-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function storeEnv(store: "sqlite" | "postgres"): Promise<Record<string, string | undefined>> {
  if (store === "sqlite") return { DATABASE_URL: undefined };
  const db = await createPgDatabase();
  cleanups.push(db.drop);
  return { DATABASE_URL: db.url };
}

describe("backend --help and --version", () => {
  it("prints the version from package.json", async () => {
    const { code, output } = await runBackend(["--version"]);
    expect(code).toBe(0);
    expect(output.trim()).toBe(VERSION);
  });

  it("lists the start command and its flags", async () => {
    const top = await runBackend(["--help"]);
    expect(top.code).toBe(0);
    expect(top.output).toMatch(/start\b.*start the server/);
    const start = await runBackend(["start", "--help"]);
    expect(start.output).toContain("--port");
    expect(start.output).toContain("--data");
    expect(start.output).toContain("DATABASE_URL");
  });

  it("refuses an invalid port with a clear message and exit code 1", async () => {
    const { code, output } = await runBackend(["start", "--port", "banana", "--data", tempDir()]);
    expect(code).toBe(1);
    expect(output).toMatch(/Invalid configuration: port/);
  });

  it("says which database it could not reach", async () => {
    const { code, output } = await runBackend(["start", "--port", "0"], {
      DATABASE_URL: "postgres://postgres:secret-pw@127.0.0.1:1/nowhere",
    });
    expect(code).toBe(1);
    expect(output).toMatch(
      /Could not open the database at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere/,
    );
    expect(output).not.toContain("secret-pw");
  });
});

forEachStore((store) => {
  describe("backend start", () => {
    it("npm start serves /healthz and prints its URL", async () => {
      const env = await storeEnv(store);
      const server = await spawnBackend({
        viaNpmStart: true,
        args: ["--port", "0", "--data", tempDir()],
        env,
      });
      stopOnCleanup(server);
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    });

    it("generates an admin key on first start, prints it once, and accepts it afterwards", async () => {
      const env = await storeEnv(store);
      const data = tempDir();
      const first = await spawnBackend({ args: ["--port", "0", "--data", data], env });
      stopOnCleanup(first);
      const key = /BACKEND_ADMIN_KEY=(\S+)/.exec(first.output())?.[1];
      expect(key).toBeTruthy();
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);

      const second = await spawnBackend({ args: ["--port", "0", "--data", data], env });
      stopOnCleanup(second);
      expect(second.output()).not.toContain("BACKEND_ADMIN_KEY=");
      const asAdmin = await fetch(`${second.url}/api/users`, { headers: { authorization: `Bearer ${key}` } });
      expect(asAdmin.status).toBe(200);
      const wrong = await fetch(`${second.url}/api/users`, {
        headers: { authorization: "Bearer not-the-key" },
      });
      expect(wrong.status).toBe(401);
    });

    it("shuts down gracefully on SIGTERM with exit code 0", async () => {
      const env = await storeEnv(store);
      const server = await spawnBackend({ args: ["--port", "0", "--data", tempDir()], env });
      stopOnCleanup(server);
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(0);
      expect(server.output()).toContain("SIGTERM received");
    });
  });
});

describe("backend start shutdown", () => {
  it("exits on SIGTERM even while a client keeps a keep-alive connection open", async () => {
    const server = await spawnBackend({
      args: ["--port", "0", "--data", tempDir()],
      env: { DATABASE_URL: undefined },
    });
    stopOnCleanup(server);
    const agent = new http.Agent({ keepAlive: true });
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get(`${server.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve(res.statusCode ?? 0));
        })
        .on("error", reject);
    });
    expect(status).toBe(200);
    // The agent still holds the idle connection open.
    server.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    agent.destroy();
  });
});
