// client.schedules against a real server on both stores, with the injectable clock (Monday
// 2027-01-04, 08:00 in New York), and without a server: what each call sends.
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import type { ScheduleWithRuns, TickItem as ServerTick } from "../schedules/listSchedules.js";
import type { ScheduleItem as ServerSchedule } from "../schedules/schedule.js";
import type { Preview } from "../schedules/previewSchedule.js";
import type { ManualRun as ServerRun } from "../schedules/runScheduleNow.js";
import {
  createClient,
  type FetchLike,
  type ManualRun,
  type ScheduleItem,
  type SchedulePreview,
  type TickItem,
} from "./index.js";
import { rejection } from "./testing/rejection.js";

const REPORT = `export default async function (payload, context) {
  return { kind: payload?.kind ?? null, manual: context.manual };
}`;
const EXPIRE = `export default async function (payload, context) {
  await backend.create("expired", { userId: payload.userId, schedule: context.schedule_name });
}`;

forEachStore((store) => {
  describe("schedules with the SDK", () => {
    const clock = new ManualClock(new Date("2027-01-04T13:00:00Z"));
    let server: TestServer;
    const admin = () => createClient({ url: server.url, token: server.adminKey });

    beforeAll(async () => {
      server = await startServer(store, { clock, config: { schedules: { pollMs: 100 } } });
      await deploy(server, "report", REPORT);
      await deploy(server, "expire", EXPIRE);
    });
    afterAll(async () => server?.close());

    it("an admin creates, lists, changes, previews, runs and deletes a schedule", async () => {
      const { schedules } = admin();
      const created = await schedules.create({
        function: "report",
        name: "daily-report",
        schedule: "weekdays at 9 AM",
        timezone: "America/New_York",
        payload: { kind: "daily" },
        catchUp: "all",
      });
      expect(created).toMatchObject({
        name: "daily-report",
        function: "report",
        kind: "recurring",
        cron: "0 9 * * 1-5",
        timezone: "America/New_York",
        payload: { kind: "daily" },
        catchUp: "all",
        overlap: "skip",
        active: true,
        source: "api",
        nextRunAt: "2027-01-04T14:00:00.000Z",
      });

      expect((await schedules.list()).map((s) => s.name)).toEqual(["daily-report"]);
      expect(await schedules.list({ function: "expire" })).toEqual([]);
      const [listed] = await schedules.list({ kind: "recurring", next: 2 });
      expect(listed!.nextRuns).toEqual(["2027-01-04T14:00:00.000Z", "2027-01-05T14:00:00.000Z"]);
      expect((await schedules.get("daily-report", { next: 3 })).nextRuns).toHaveLength(3);
      expect((await schedules.get(created.id)).nextRuns).toHaveLength(5);

      expect(await schedules.update("daily-report", { active: false })).toMatchObject({
        active: false,
        nextRunAt: null,
      });
      const changed = await schedules.update("daily-report", {
        active: true,
        schedule: "daily at 10 AM",
        endsAt: new Date("2027-01-31T00:00:00Z"),
        maxRuns: 10,
      });
      expect(changed).toMatchObject({
        active: true,
        expression: "daily at 10 AM",
        cron: "0 10 * * *",
        endsAt: "2027-01-31T00:00:00.000Z",
        maxRuns: 10,
        nextRunAt: "2027-01-04T15:00:00.000Z",
      });
      expect(await schedules.update("daily-report", { endsAt: null, maxRuns: null })).toMatchObject({
        endsAt: null,
        maxRuns: null,
      });

      expect(
        await schedules.preview({
          schedule: "last Friday of the month at 5 PM",
          timezone: "Europe/London",
          count: 2,
        }),
      ).toEqual({
        expression: "last Friday of the month at 5 PM",
        cron: "0 17 * * 5L",
        phrase: true,
        timezone: "Europe/London",
        nextRuns: ["2027-01-29T17:00:00.000Z", "2027-02-26T17:00:00.000Z"],
      });

      const run = await schedules.run("daily-report");
      expect(run).toMatchObject({
        status: "success",
        result: { kind: "daily", manual: true },
        error: null,
        tick: {
          schedule: "daily-report",
          status: "done",
          manual: true,
          scheduledAt: "2027-01-04T13:00:00.000Z",
        },
      });
      expect(run.executionId).toBe(run.tick.executionId);
      const ticks = await schedules.ticks("daily-report");
      expect(ticks.map((t) => t.id)).toEqual([run.tick.id]);
      expect(await schedules.ticks("daily-report", { status: "failed" })).toEqual([]);
      expect(await schedules.ticks("daily-report", { before: new Date("2027-01-04T13:00:00Z") })).toEqual([]);

      expect(await schedules.delete("daily-report")).toBeUndefined();
      expect(await rejection(schedules.get("daily-report"))).toMatchObject({
        status: 404,
        code: "not_found",
      });
      // Its history stays.
      expect(await schedules.ticks("daily-report", { limit: 1 })).toHaveLength(1);
    });

    it("runAt and runAfter run a function once, durably; cancel takes one back", async () => {
      const { schedules } = admin();
      const soon = await schedules.runAfter(60_000, "expire", { userId: "u_1" });
      expect(soon).toMatchObject({
        kind: "once",
        function: "expire",
        payload: { userId: "u_1" },
        nextRunAt: "2027-01-04T13:01:00.000Z",
        source: "api",
      });
      const later = await schedules.runAt(new Date("2027-01-04T13:02:00Z"), "expire", { userId: "u_2" });
      expect(later.nextRunAt).toBe("2027-01-04T13:02:00.000Z");
      expect((await schedules.list({ kind: "once" })).map((s) => s.id).sort()).toEqual(
        [soon.id, later.id].sort(),
      );
      await schedules.cancel(later.id);

      clock.advance(3 * 60_000);
      const expired = async () =>
        (await server.api("GET", "/api/records/expired", { token: server.adminKey })).body.items;
      await eventually(async () =>
        expect(await expired()).toMatchObject([{ userId: "u_1", schedule: soon.name }]),
      );
      await eventually(async () =>
        expect((await schedules.ticks(soon.id)).map((t) => t.status)).toEqual(["done"]),
      );
      expect(await expired()).toHaveLength(1);
      expect(await schedules.get(soon.id)).toMatchObject({ nextRunAt: null, runs: 1, nextRuns: [] });
      expect(await rejection(schedules.cancel(later.id))).toMatchObject({ status: 404 });
    });

    it("refuses bad input with the server's message", async () => {
      const { schedules } = admin();
      const phrase = await rejection(schedules.preview({ schedule: "evry day" }));
      expect(phrase).toMatchObject({ status: 400, code: "invalid_input" });
      expect(phrase.message).toContain('"evry day" is not a schedule');
      const both = await rejection(
        schedules.create({ function: "report", schedule: "daily", at: "2027-02-01T00:00:00Z" }),
      );
      expect(both.message).toContain("Give exactly one of schedule");
      const zone = await rejection(
        schedules.create({ function: "report", schedule: "daily", timezone: "Mars/Base" }),
      );
      expect(zone.message).toContain("timezone 'Mars/Base' is not an IANA time zone");
      expect(await rejection(schedules.create({ function: "nope", schedule: "daily" }))).toMatchObject({
        status: 404,
      });
      expect(await rejection(schedules.run("nope"))).toMatchObject({ status: 404 });
    });

    it("schedules are for admins: a user gets 403, no token 401", async () => {
      const { token } = await createUser(server);
      const user = createClient({ url: server.url, token });
      expect(await rejection(user.schedules.list())).toMatchObject({ status: 403 });
      expect(await rejection(user.schedules.runAfter(1000, "expire", {}))).toMatchObject({ status: 403 });
      const anonymous = createClient({ url: server.url });
      expect(await rejection(anonymous.schedules.preview({ schedule: "daily" }))).toMatchObject({
        status: 401,
      });
    });
  });
});

describe("client.schedules without a server", () => {
  function recording(answer: unknown = {}) {
    const calls: { url: string; method: string; body?: string }[] = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, method: init.method, ...(init.body !== undefined ? { body: init.body } : {}) });
      const text = answer === undefined ? "" : JSON.stringify(answer);
      return {
        status: 200,
        statusText: "OK",
        headers: { get: () => "application/json" },
        text: async () => text,
      };
    };
    return { calls, client: createClient({ url: "https://api.example.com/b", token: "admin-key", fetch }) };
  }

  it("sends the API's field names, dates as ISO-8601, and encodes names in paths", async () => {
    const { calls, client } = recording();
    await client.schedules.create({
      function: "report",
      schedule: "daily at 9 AM",
      catchUp: "none",
      overlap: "allow",
      active: false,
      endsAt: new Date("2027-02-01T00:00:00Z"),
      maxRuns: 3,
    });
    await client.schedules.runAt(new Date("2027-01-05T00:00:00Z"), "expire", { userId: "u_1" });
    await client.schedules.runAfter(90_000, "expire");
    await client.schedules.update("a/b c", { endsAt: null, description: null, payload: { n: 1 } });
    expect(calls.map((c) => [c.method, c.url, c.body && JSON.parse(c.body)])).toEqual([
      [
        "POST",
        "https://api.example.com/b/api/schedules",
        {
          function: "report",
          schedule: "daily at 9 AM",
          catch_up: "none",
          overlap: "allow",
          active: false,
          ends_at: "2027-02-01T00:00:00.000Z",
          max_runs: 3,
        },
      ],
      [
        "POST",
        "https://api.example.com/b/api/schedules",
        { function: "expire", at: "2027-01-05T00:00:00.000Z", payload: { userId: "u_1" } },
      ],
      ["POST", "https://api.example.com/b/api/schedules", { function: "expire", after_ms: 90_000 }],
      [
        "PATCH",
        "https://api.example.com/b/api/schedules/a%2Fb%20c",
        { ends_at: null, description: null, payload: { n: 1 } },
      ],
    ]);
  });

  it("puts filters in the query and unwraps listings", async () => {
    const { calls, client } = recording({ items: [{ id: "s1" }] });
    expect(await client.schedules.list({ kind: "once", next: 2 })).toEqual([{ id: "s1" }]);
    expect(
      await client.schedules.ticks("nightly", { status: "missed", limit: 5, before: new Date(0) }),
    ).toEqual([{ id: "s1" }]);
    await client.schedules.get("nightly", { next: 3 });
    await client.schedules.run("nightly");
    await client.schedules.cancel("nightly.once.1");
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      "GET https://api.example.com/b/api/schedules?kind=once&next=2",
      "GET https://api.example.com/b/api/schedules/nightly/ticks?status=missed&limit=5&before=1970-01-01T00%3A00%3A00.000Z",
      "GET https://api.example.com/b/api/schedules/nightly?next=3",
      "POST https://api.example.com/b/api/schedules/nightly/run",
      "DELETE https://api.example.com/b/api/schedules/nightly.once.1",
    ]);
  });

  it("its types are the server's answers, written out for apps (the SDK imports no server code)", () => {
    expectTypeOf<Omit<ScheduleItem, "nextRuns">>().toEqualTypeOf<ServerSchedule>();
    expectTypeOf<ScheduleItem["nextRuns"]>().toEqualTypeOf<ScheduleWithRuns["nextRuns"]>();
    expectTypeOf<TickItem>().toEqualTypeOf<ServerTick>();
    expectTypeOf<ManualRun>().toEqualTypeOf<ServerRun>();
    expectTypeOf<SchedulePreview>().toEqualTypeOf<Preview>();
  });
});
