// Cluster fixtures: real `backend start` processes, each in a project folder of its own whose
// backend.config.jsonc holds the given server settings, all with one admin key and one secrets key
// (the nodes of a cluster must read the same secrets). Every node still alive after the test is
// SIGKILLed, and its folder removed, by `cleanUp`.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type SpawnedBackend, spawnBackend } from "./spawnBackend.js";

export const CLUSTER_ADMIN_KEY = "cluster-test-admin-key-0123456789";
const SECRETS_KEY = randomBytes(32).toString("base64");

export class ClusterNodes {
  private readonly cleanups: (() => Promise<void> | void)[] = [];

  /** A fresh project folder, removed by cleanUp. */
  folder(): string {
    const dir = mkdtempSync(path.join(tmpdir(), "backend-cluster-"));
    this.cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }

  /** Starts a node with `server` settings in backend.config.jsonc, in `dir` (a new folder by default). */
  async start(
    server: Record<string, unknown>,
    options: { databaseUrl?: string; dir?: string } = {},
  ): Promise<SpawnedBackend> {
    const dir = options.dir ?? this.folder();
    writeFileSync(path.join(dir, "backend.config.jsonc"), JSON.stringify({ server }, null, 2));
    const node = await spawnBackend({
      cwd: dir,
      args: ["--port", "0", "--data", path.join(dir, "data")],
      env: {
        BACKEND_ADMIN_KEY: CLUSTER_ADMIN_KEY,
        BACKEND_SECRETS_KEY: SECRETS_KEY,
        DATABASE_URL: options.databaseUrl,
      },
    });
    this.cleanups.push(async () => {
      if (node.child.exitCode !== null || node.child.signalCode !== null) return;
      node.kill("SIGKILL");
      await node.exited;
    });
    return node;
  }

  /** Runs `cleanup` with the others, in reverse order of registration. */
  defer(cleanup: () => Promise<void> | void): void {
    this.cleanups.push(cleanup);
  }

  async cleanUp(): Promise<void> {
    while (this.cleanups.length > 0) await this.cleanups.pop()!();
  }
}
