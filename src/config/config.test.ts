import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";

function project(configText?: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "backend-config-"));
  if (configText !== undefined) writeFileSync(path.join(dir, "backend.config.jsonc"), configText);
  return dir;
}

describe("loadConfig", () => {
  it("uses the documented defaults", () => {
    const cwd = project();
    const config = loadConfig({ cwd, env: {} });
    expect(config.port).toBe(8787);
    expect(config.host).toBe("127.0.0.1");
    expect(config.dataDir).toBe(path.join(cwd, ".backend"));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.bodyLimit).toBe(1024 * 1024);
  });

  it("layers the config file, then the environment, then flags", () => {
    const cwd = project(`{
      // comments and trailing commas are fine
      "server": { "port": 9000, "emailFrom": "App <app@example.com>", "host": "0.0.0.0", },
    }`);
    const config = loadConfig({ cwd, env: { PORT: "9100", HOST: "127.0.0.2" }, flags: { port: "9200" } });
    expect(config.port).toBe(9200);
    expect(config.host).toBe("127.0.0.2");
    expect(config.emailFrom).toBe("App <app@example.com>");
  });

  it("reports a syntax error in the config file with file, line and column", () => {
    const cwd = project(`{\n  "server": {\n    "port": 8787\n    "host": "x"\n  }\n}`);
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/backend\.config\.jsonc:4:5: CommaExpected/);
  });

  it("names the invalid setting", () => {
    const cwd = project(`{ "server": { "port": "eighty", "bodyLimit": -1 } }`);
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/port: .*; bodyLimit: /);
  });

  it("rejects unknown server settings instead of ignoring a typo", () => {
    const cwd = project(`{ "server": { "prot": 1 } }`);
    expect(() => loadConfig({ cwd, env: {} })).toThrow(/prot/);
  });

  it("accepts only postgres URLs in DATABASE_URL", () => {
    const cwd = project();
    expect(() => loadConfig({ cwd, env: { DATABASE_URL: "mysql://x@localhost/db" } })).toThrow(
      /postgres:\/\//,
    );
    expect(loadConfig({ cwd, env: { DATABASE_URL: "postgres://u@127.0.0.1/db" } }).databaseUrl).toBe(
      "postgres://u@127.0.0.1/db",
    );
  });
});
