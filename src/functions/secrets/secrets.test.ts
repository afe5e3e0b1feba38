import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { readSecrets } from "./readSecrets.js";
import { decryptSecret, encryptSecret } from "./secretCipher.js";
import { KEY_FILE, loadSecretsKey } from "./secretsKey.js";

// A value that cannot appear anywhere by accident.
const VALUE = `sk_live_${randomBytes(12).toString("hex")}`;

forEachStore((store) => {
  describe("secrets", () => {
    let server: TestServer;
    let userToken: string;
    const lines: string[] = [];

    beforeAll(async () => {
      const log = pino({ level: "trace" }, { write: (line: string) => void lines.push(line) });
      server = await startServer(store, { config: { logLevel: "trace" }, log });
      userToken = (await createUser(server)).token;
    });
    afterAll(async () => server?.close());

    const put = (name: string, value: unknown, token = server.adminKey) =>
      server.api("PUT", `/api/secrets/${name}`, { token, body: { value } });

    it("sets, lists (names only), replaces and deletes secrets", async () => {
      const created = await put("STRIPE_API_KEY", VALUE);
      expect(created.status).toBe(200);
      expect(created.body).toEqual({
        name: "STRIPE_API_KEY",
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        created: true,
      });
      expect((await put("webhook_secret", "whsec_1")).status).toBe(200);
      const replaced = await put("webhook_secret", "whsec_2");
      expect(replaced.body.created).toBe(false);

      const list = await server.api("GET", "/api/secrets", { token: server.adminKey });
      expect(list.status).toBe(200);
      expect(list.body).toEqual({
        items: [
          { name: "STRIPE_API_KEY", createdAt: expect.any(String), updatedAt: expect.any(String) },
          { name: "webhook_secret", createdAt: expect.any(String), updatedAt: expect.any(String) },
        ],
      });
      expect(JSON.stringify(list.body)).not.toContain(VALUE);
      expect(JSON.stringify(list.body)).not.toContain("whsec");

      const env = await readSecrets(server.platform.deps);
      expect(env).toEqual({ STRIPE_API_KEY: VALUE, webhook_secret: "whsec_2" });

      expect(
        (await server.api("DELETE", "/api/secrets/webhook_secret", { token: server.adminKey })).status,
      ).toBe(204);
      const again = await server.api("DELETE", "/api/secrets/webhook_secret", { token: server.adminKey });
      expect(again.status).toBe(404);
      expect(again.body.error.message).toBe("No secret named webhook_secret");
      expect(Object.keys(await readSecrets(server.platform.deps))).toEqual(["STRIPE_API_KEY"]);
    });

    it("refuses bad names and values with 400, and anyone but an admin with 401/403", async () => {
      const badName = await put("1ABC", "x");
      expect(badName.status).toBe(400);
      expect(badName.body.error.message).toMatch(/'1ABC' is not a valid secret name/);
      expect((await put("has-dash", "x")).status).toBe(400);
      expect((await put("EMPTY", "")).body.error.message).toMatch(/The value is empty/);
      expect((await put("NUMBER", 42)).body.error.message).toMatch(/value must be a string/);
      expect((await put("BIG", "x".repeat(64 * 1024 + 1))).body.error.message).toMatch(
        /larger than 65536 bytes/,
      );

      for (const [method, url] of [
        ["PUT", "/api/secrets/X"],
        ["GET", "/api/secrets"],
        ["DELETE", "/api/secrets/X"],
      ] as const) {
        const body = method === "PUT" ? { value: "v" } : undefined;
        expect((await server.api(method, url, body ? { body } : {})).status).toBe(401);
        expect(
          (await server.api(method, url, body ? { body, token: userToken } : { token: userToken })).status,
        ).toBe(403);
      }
    });

    it("stores only ciphertext: the value is not in the database in clear text", async () => {
      await put("DB_CHECK", VALUE);
      const rows = await server.platform.deps.db.selectFrom("secrets").selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(VALUE);
      const row = rows.find((r) => r.name === "DB_CHECK")!;
      // iv (12) + tag (16) + ciphertext (as long as the value)
      expect(Buffer.from(row.ciphertext, "base64").length).toBe(12 + 16 + VALUE.length);
      expect(Buffer.from(row.ciphertext, "base64").toString("latin1")).not.toContain(VALUE);
      if (store === "sqlite") {
        const dir = server.platform.deps.config.dataDir;
        const files = readdirSync(dir).filter((f) => f.startsWith("data.db"));
        expect(files).toContain("data.db");
        const bytes = Buffer.concat(files.map((file) => readFileSync(path.join(dir, file))));
        // The row is in these bytes (its name is stored as is), the value is not.
        expect(bytes.includes(Buffer.from("DB_CHECK"))).toBe(true);
        expect(bytes.includes(Buffer.from(VALUE))).toBe(false);
      }
    });

    it("never writes a value to the logs", async () => {
      await put("LOGGED", VALUE);
      await server.api("GET", "/api/secrets", { token: server.adminKey });
      await readSecrets(server.platform.deps);
      await put("1BAD", VALUE);
      await server.api("PUT", "/api/secrets/LOGGED", {
        token: server.adminKey,
        rawBody: `{"value":"${VALUE}"`,
        headers: { "content-type": "application/json" },
      });
      const logs = lines.join("");
      expect(logs).toContain("/api/secrets/LOGGED");
      expect(logs).not.toContain(VALUE);
    });

    it("a different key cannot decrypt, and a ciphertext moved to another name does not decrypt", async () => {
      await put("MOVED", VALUE);
      const wrongKey = { db: server.platform.deps.db, secretsKey: randomBytes(32) };
      await expect(readSecrets(wrongKey)).rejects.toThrow(/cannot be decrypted with this server's key/);
      const row = await server.platform.deps.db
        .selectFrom("secrets")
        .select("ciphertext")
        .where("name", "=", "MOVED")
        .executeTakeFirstOrThrow();
      expect(() => decryptSecret(server.platform.deps.secretsKey, "OTHER_NAME", row.ciphertext)).toThrow(
        "The secret OTHER_NAME cannot be decrypted",
      );
      expect(decryptSecret(server.platform.deps.secretsKey, "MOVED", row.ciphertext)).toBe(VALUE);
    });
  });
});

describe("the secrets key", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), "backend-key-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("reads BACKEND_SECRETS_KEY as 64 hex digits or as base64", () => {
    const key = randomBytes(32);
    const dataDir = tempDir();
    expect(loadSecretsKey({ secretsKey: key.toString("hex"), dataDir })).toEqual(key);
    expect(loadSecretsKey({ secretsKey: key.toString("base64"), dataDir })).toEqual(key);
    expect(loadSecretsKey({ secretsKey: key.toString("base64url"), dataDir })).toEqual(key);
    // Given a key, no key file is written.
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it("refuses a key that is not 32 bytes, saying how to make one", () => {
    for (const bad of [randomBytes(16).toString("hex"), randomBytes(31).toString("base64"), "x".repeat(44)]) {
      expect(() => loadSecretsKey({ secretsKey: bad, dataDir: tempDir() })).toThrow(
        "BACKEND_SECRETS_KEY (secretsKey) is not a valid secrets key: it must be 32 bytes written as 64 hex digits " +
          "or as base64 (44 characters); generate one with: openssl rand -base64 32",
      );
    }
  });

  it("otherwise creates secrets.key (mode 0600) in the data folder on first use and reuses it", () => {
    const dataDir = path.join(tempDir(), "nested", "data");
    const first = loadSecretsKey({ dataDir });
    const file = path.join(dataDir, KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(first).toHaveLength(32);
    expect(loadSecretsKey({ dataDir })).toEqual(first);
    const sealed = encryptSecret(first, "A", "value");
    expect(decryptSecret(loadSecretsKey({ dataDir }), "A", sealed)).toBe("value");
  });

  it("says which key file is broken", () => {
    const dataDir = tempDir();
    writeFileSync(path.join(dataDir, KEY_FILE), "not a key\n");
    expect(() => loadSecretsKey({ dataDir })).toThrow(
      `${path.join(dataDir, KEY_FILE)} is not a valid secrets key`,
    );
  });
});
