// Test fixture: deploys a function through the real admin API (PUT /api/functions/:name).
import type { TestServer } from "../../../../test/harness.js";

export async function deploy(
  server: TestServer,
  name: string,
  source: string,
  config?: Record<string, unknown>,
  file = "entry.ts",
): Promise<{ version: number; form: string }> {
  const res = await server.api("PUT", `/api/functions/${name}`, {
    token: server.adminKey,
    body: { files: { [file]: source }, ...(config ? { config } : {}) },
  });
  if (res.status !== 200) throw new Error(`deploy ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Resolves when `check` stops throwing; for things another process or the clock will make true. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
