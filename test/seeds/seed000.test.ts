// Seed 000 ("Functions & messages"): handleTrialExpiration runs as written (fixtures/
// 000_handleTrialExpiration.js.txt): it finds exactly the users whose trial ended and who have not
// paid, and each gets an email in the outbox. The same with `await backend.query(...)`.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy } from "../../src/functions/invoke/testing/deploy.js";
import { createClient } from "../../src/sdk/index.js";
import { createUser, forEachStore, startServer, type TestServer } from "../harness.js";

const SEED = readFileSync(new URL("./fixtures/000_handleTrialExpiration.js.txt", import.meta.url), "utf8");

const AWAITED = `async function handleTrialExpiration() {
  const users = await backend.query('users', {
    trialEndsAt: { $lte: new Date() },
    isPaid: false
  });
  for (const user of users) {
    await backend.sendEmail(user.email, 'Your trial is ending');
  }
}
`;

forEachStore((store) => {
  describe("seed 000: handleTrialExpiration", () => {
    let server: TestServer;
    const emails: Record<string, string> = {};

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      const past = "2001-02-03T04:05:06.000Z";
      const future = new Date(Date.now() + 7 * 86_400_000).toISOString();
      const people: Record<string, Record<string, unknown>> = {
        endedUnpaid: { trialEndsAt: past, isPaid: false },
        endedJustNow: { trialEndsAt: new Date(Date.now() - 60_000).toISOString(), isPaid: false },
        endedPaid: { trialEndsAt: past, isPaid: true },
        runningUnpaid: { trialEndsAt: future, isPaid: false },
        noTrial: { isPaid: false },
        untouched: {},
      };
      for (const [who, fields] of Object.entries(people)) {
        const { user } = await createUser(server);
        emails[who] = user.email;
        if (Object.keys(fields).length === 0) continue;
        const res = await server.api("PATCH", `/api/users/${user.id}`, {
          token: server.adminKey,
          body: fields,
        });
        expect(res.status).toBe(200);
      }
      await deploy(server, "trial-reminder", SEED, undefined, "entry.js");
      await deploy(server, "trial-reminder-await", AWAITED, undefined, "entry.js");
    });
    afterAll(async () => server?.close());

    async function outboxCounts(): Promise<Record<string, number>> {
      const res = await server.api("GET", "/api/emails?limit=1000", { token: server.adminKey });
      const counts: Record<string, number> = {};
      for (const email of res.body.items) {
        expect(email.subject).toBe("Your trial is ending");
        counts[email.to] = (counts[email.to] ?? 0) + 1;
      }
      return counts;
    }

    it("the source is the seed's, verbatim", () => {
      expect(SEED).toContain("function handleTrialExpiration() {");
      expect(SEED).toContain("const users = backend.query('users', {");
      expect(SEED).toContain("users.forEach(user => {");
    });

    it("runs as written and mails exactly the users whose trial ended and who have not paid", async () => {
      const admin = createClient({ url: server.url, token: server.adminKey });
      expect(await admin.functions.invoke("trial-reminder")).toBeNull();
      expect(await outboxCounts()).toEqual({ [emails.endedUnpaid!]: 1, [emails.endedJustNow!]: 1 });
    });

    it("with await backend.query(...) it finds and mails the same users", async () => {
      const admin = createClient({ url: server.url, token: server.adminKey });
      await admin.executeFunction("trial-reminder-await");
      expect(await outboxCounts()).toEqual({ [emails.endedUnpaid!]: 2, [emails.endedJustNow!]: 2 });
    });
  });
});
