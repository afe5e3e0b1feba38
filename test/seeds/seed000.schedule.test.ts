// Seed 000's trial scenario as written: handleTrialExpiration (fixtures/000_handleTrialExpiration.js.txt)
// scheduled "Daily at 9 AM" in a time zone. Driven by the injectable clock across three simulated
// days, each tick mails each user whose trial ended unpaid exactly once, and nobody else.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.js";
import { deploy, eventually } from "../../src/functions/invoke/testing/deploy.js";
import { createUser, forEachStore, startServer, type TestServer } from "../harness.js";

const SEED = readFileSync(new URL("./fixtures/000_handleTrialExpiration.js.txt", import.meta.url), "utf8");

forEachStore((store) => {
  describe("seed 000: handleTrialExpiration on its schedule", () => {
    // Sunday 2027-01-03, 08:00 in Chicago.
    const clock = new ManualClock(new Date("2027-01-03T14:00:00Z"));
    let server: TestServer;
    const emails: Record<string, string> = {};

    beforeAll(async () => {
      server = await startServer(store, { clock, config: { schedules: { pollMs: 100 } } });
      const people: Record<string, Record<string, unknown>> = {
        endedUnpaid: { trialEndsAt: "2001-02-03T04:05:06.000Z", isPaid: false },
        endedPaid: { trialEndsAt: "2001-02-03T04:05:06.000Z", isPaid: true },
        runningUnpaid: { trialEndsAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), isPaid: false },
        noTrial: {},
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
      await deploy(
        server,
        "trial-reminder",
        SEED,
        { triggers: { schedules: [{ schedule: "Daily at 9 AM", timezone: "America/Chicago" }] } },
        "entry.js",
      );
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

    it("shows the phrase back as cron with its next runs in Chicago time", async () => {
      const res = await server.api("GET", "/api/schedules/trial-reminder?next=3", { token: server.adminKey });
      expect(res.body).toMatchObject({
        expression: "Daily at 9 AM",
        cron: "0 9 * * *",
        timezone: "America/Chicago",
        nextRuns: ["2027-01-03T15:00:00.000Z", "2027-01-04T15:00:00.000Z", "2027-01-05T15:00:00.000Z"],
      });
    });

    it("mails each ended, unpaid trial exactly once per tick over three days", async () => {
      expect(await outboxCounts()).toEqual({});
      for (let day = 1; day <= 3; day++) {
        // 08:59:59 in Chicago: nothing yet.
        clock.set(new Date(Date.parse("2027-01-03T14:59:59Z") + (day - 1) * 86_400_000));
        expect(await outboxCounts()).toEqual(day === 1 ? {} : { [emails.endedUnpaid!]: day - 1 });
        // 09:00:00.
        clock.advance(1000);
        await eventually(async () => expect(await outboxCounts()).toEqual({ [emails.endedUnpaid!]: day }));
        await eventually(async () => {
          const ticks = await server.api("GET", "/api/schedules/trial-reminder/ticks", {
            token: server.adminKey,
          });
          expect(ticks.body.items).toHaveLength(day);
          expect(ticks.body.items[0]).toMatchObject({ status: "done", catchUp: false });
        });
      }
      const ticks = await server.api("GET", "/api/schedules/trial-reminder/ticks", {
        token: server.adminKey,
      });
      expect(ticks.body.items.map((t: { scheduledAt: string }) => t.scheduledAt)).toEqual([
        "2027-01-05T15:00:00.000Z",
        "2027-01-04T15:00:00.000Z",
        "2027-01-03T15:00:00.000Z",
      ]);
    });
  });
});
