import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgDatabase, forEachStore } from "../../test/harness.js";
import { runBackend, type SpawnedBackend, spawnBackend } from "../../test/spawnBackend.js";
import { readSecrets } from "../functions/secrets/readSecrets.js";
import { openStore, type Store } from "../storage/store.js";
import { runCli } from "./testing/runCli.js";

/** The command in this process (the bin's own start is tested in start.test.ts); stdin needs the bin. */
async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; output: string }> {
  const { code, output } = await runCli(args, env);
  return { code, output };
}

forEachStore((store) => {
  describe("backend secrets", () => {
    const adminKey = `cli-admin-key-${randomBytes(8).toString("hex")}`;
    const secretsKey = randomBytes(32).toString("base64");
    const dataDir = mkdtempSync(path.join(tmpdir(), "backend-secrets-cli-"));
    let server: SpawnedBackend;
    let env: Record<string, string>;
    let databaseUrl: string | undefined;
    let dropDatabase: (() => Promise<void>) | undefined;

    beforeAll(async () => {
      if (store === "postgres") {
        const db = await createPgDatabase();
        databaseUrl = db.url;
        dropDatabase = db.drop;
      }
      server = await spawnBackend({
        args: ["--port", "0", "--data", dataDir],
        env: { BACKEND_ADMIN_KEY: adminKey, BACKEND_SECRETS_KEY: secretsKey, DATABASE_URL: databaseUrl },
      });
      env = { BACKEND_URL: server.url, BACKEND_ADMIN_KEY: adminKey };
    });
    afterAll(async () => {
      if (server && server.child.exitCode === null) {
        server.child.kill("SIGTERM");
        await server.exited;
      }
      await dropDatabase?.();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** What the server stored, decrypted with the key it was given. */
    async function stored(): Promise<Record<string, string>> {
      const opened: Store = openStore({ databaseUrl, dataDir });
      try {
        return await readSecrets({ db: opened.db, secretsKey: Buffer.from(secretsKey, "base64") });
      } finally {
        await opened.close();
      }
    }

    it("sets a secret from the argument or from stdin without printing it", async () => {
      const fromArg = await cli(["secrets", "set", "API_TOKEN", "tok-from-argument"], env);
      expect(fromArg).toEqual({ code: 0, output: "Secret API_TOKEN created\n" });
      const value = `whsec_${randomBytes(8).toString("hex")}`;
      const fromStdin = await runBackend(["secrets", "set", "WEBHOOK_SECRET"], env, `${value}\n`);
      expect(fromStdin).toEqual({ code: 0, output: "Secret WEBHOOK_SECRET created\n" });
      const updated = await runBackend(["secrets", "set", "API_TOKEN"], env, "tok-2");
      expect(updated.output).toBe("Secret API_TOKEN updated\n");
      expect(await stored()).toEqual({ API_TOKEN: "tok-2", WEBHOOK_SECRET: value });
      expect(server.output()).not.toContain(value);
      const empty = await runBackend(["secrets", "set", "NOTHING"], env, "");
      expect(empty.code).toBe(1);
      expect(empty.output).toMatch(/No value for NOTHING/);
    });

    it("lists names, as a table or JSON, never values", async () => {
      const table = await cli(["secrets", "list"], env);
      expect(table.code).toBe(0);
      expect(table.output).toMatch(
        /^NAME {12}UPDATED\nAPI_TOKEN {7}\d{4}-\d\d-\d\dT.*\nWEBHOOK_SECRET {2}\d{4}-/,
      );
      expect(table.output).not.toContain("tok-2");
      const json = await cli(["secrets", "list", "--json"], env);
      expect(JSON.parse(json.output).map((s: { name: string }) => s.name)).toEqual([
        "API_TOKEN",
        "WEBHOOK_SECRET",
      ]);
      expect(json.output).not.toContain("tok-2");
    });

    it("deletes several secrets, and says which did not exist", async () => {
      const res = await cli(["secrets", "delete", "API_TOKEN", "MISSING"], env);
      expect(res.code).toBe(1);
      expect(res.output).toBe("Deleted API_TOKEN\nbackend: No secret named MISSING\n");
      expect(Object.keys(await stored())).toEqual(["WEBHOOK_SECRET"]);
    });

    it("explains a refused name and a missing admin key", async () => {
      const bad = await cli(["secrets", "set", "bad-name", "x"], env);
      expect(bad.code).toBe(1);
      expect(bad.output).toMatch(
        /PUT \/api\/secrets\/bad-name failed \(400\): 'bad-name' is not a valid secret name/,
      );
      const noKey = await cli(["secrets", "list"], { BACKEND_URL: server.url, BACKEND_ADMIN_KEY: "" });
      expect(noKey.code).toBe(1);
      expect(noKey.output).toMatch(/\(401\).*Set BACKEND_ADMIN_KEY or pass --admin-key/);
    });
  });
});
