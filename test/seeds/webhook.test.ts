// A webhook receiver over ANY /functions/:name: it verifies an HMAC-SHA256 signature of the raw body
// with crypto.subtle and the signing secret from `Deno.env`, and rejects a tampered body.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy } from "../../src/functions/invoke/testing/deploy.js";
import { forEachStore, startServer, type TestServer } from "../harness.js";

const WEBHOOK = `const encoder = new TextEncoder();

function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

Deno.serve(async (req: Request) => {
  const signature = req.headers.get("x-signature") ?? "";
  const raw = new Uint8Array(await req.arrayBuffer());
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(Deno.env.get("WEBHOOK_SECRET")),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["verify"],
  );
  const valid = /^[0-9a-f]{64}$/.test(signature) && (await crypto.subtle.verify("HMAC", key, hexToBytes(signature), raw));
  if (!valid) {
    console.warn("rejected a webhook with a bad signature");
    return Response.json({ error: "invalid signature" }, { status: 401 });
  }
  const event = JSON.parse(new TextDecoder().decode(raw));
  await backend.create("payments", { ref: event.ref, amount: event.amount });
  return Response.json({ received: event.type });
});
`;

const SECRET = "whsec_4f9a1c2e8b7d6a5f4e3d2c1b0a9f8e7d";

forEachStore((store) => {
  describe("a webhook that verifies an HMAC-SHA256 signature of the raw body", () => {
    let server: TestServer;
    const sign = (body: string | Buffer, secret = SECRET) =>
      createHmac("sha256", secret).update(body).digest("hex");
    const post = (body: string, signature: string | undefined, type = "application/json") =>
      server.api("POST", "/functions/payments-webhook", {
        rawBody: body,
        headers: { "content-type": type, ...(signature === undefined ? {} : { "x-signature": signature }) },
      });

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      const set = await server.api("PUT", "/api/secrets/WEBHOOK_SECRET", {
        token: server.adminKey,
        body: { value: SECRET },
      });
      expect(set.status).toBeLessThan(300);
      await deploy(server, "payments-webhook", WEBHOOK, { access: "public" });
    });
    afterAll(async () => server?.close());

    it("accepts a body whose signature matches, byte for byte as sent", async () => {
      // Spacing, key order and non-ASCII text that a JSON round trip would change.
      const body = '{ "type":"payment.succeeded",\n  "ref":"ünïcødé-42",  "amount": 1250 }\n';
      const res = await post(body, sign(body));
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ received: "payment.succeeded" });
      const stored = await server.api("GET", "/api/records/payments", { token: server.adminKey });
      expect(stored.body.items.map((p: any) => [p.ref, p.amount])).toEqual([["ünïcødé-42", 1250]]);
    });

    it("rejects a tampered body, a wrong key and a missing signature", async () => {
      const body = '{"type":"payment.succeeded","ref":"r-1","amount":100}';
      const tampered = body.replace("100", "999");
      expect((await post(tampered, sign(body))).status).toBe(401);
      expect((await post(body, sign(body, "whsec_someone_else"))).status).toBe(401);
      const missing = await post(body, undefined);
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ error: "invalid signature" });
      const stored = await server.api("GET", "/api/records/payments", { token: server.adminKey });
      expect(stored.body.items.map((p: any) => p.ref)).not.toContain("r-1");
    });

    it("verifies bodies of other content types the same way", async () => {
      const form = "amount=100&ref=r-2&type=payment.succeeded";
      // Not JSON, so the function's JSON.parse throws after verifying: a 500, not a 401.
      expect((await post(form, sign(form), "application/x-www-form-urlencoded")).status).toBe(500);
      expect((await post(form, sign(`${form}x`), "application/x-www-form-urlencoded")).status).toBe(401);
    });
  });
});
