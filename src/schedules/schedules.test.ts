// Schedules end to end on a real server, with the injectable clock: ticks at their time in their
// time zone, what the function receives, history, catch-up after downtime (none, one, all), overlap,
// one-off runs that survive a restart, and the API's answers to bad input.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { apiOf, createTestStorage, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { configSchema } from "../config/config.js";
import { ManualClock, ShiftedClock } from "../core/clock.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import { createPlatform, type Platform } from "../platform.js";

/** A function that stores what it was given, one record per run. */
const RECORDER = `export default async function (payload, context) {
  await backend.create("runs", {
    schedule: context.schedule_name,
    scheduledTime: context.scheduled_time,
    catchUp: context.catch_up,
    missed: context.missed_ticks,
    manual: context.manual,
    trigger: context.trigger,
    payload: payload ?? null,
  });
  return "ran";
}
`;

type Run = {
  schedule: string;
  scheduledTime: string;
  catchUp: boolean;
  missed: number;
  manual: boolean;
  trigger: string;
  payload: unknown;
};
type Tick = {
  status: string;
  scheduledAt: string;
  catchUp: boolean;
  missed: number;
  executionId: string | null;
};

async function api(server: TestServer, method: string, path: string, body?: unknown) {
  return server.api(method, path, { token: server.adminKey, ...(body === undefined ? {} : { body }) });
}

async function runsOf(server: TestServer, schedule?: string): Promise<Run[]> {
  const res = await api(server, "GET", "/api/records/runs?limit=1000&sort=scheduledTime");
  const runs = (res.body.items ?? []) as Run[];
  return schedule ? runs.filter((r) => r.schedule === schedule) : runs;
}

/** The runs of one-off schedules of expire-trial (named expire-trial.once.*). */
async function trialRuns(server: TestServer): Promise<Run[]> {
  return (await runsOf(server)).filter((r) => r.schedule.startsWith("expire-trial."));
}

async function ticksOf(server: TestServer, schedule: string): Promise<Tick[]> {
  const res = await api(server, "GET", `/api/schedules/${schedule}/ticks?limit=1000`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items;
}

forEachStore((store) => {
  describe("schedules", () => {
    // Monday 2027-01-04, 08:00 in New York.
    const clock = new ManualClock(new Date("2027-01-04T13:00:00Z"));
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer(store, { clock, config: { schedules: { pollMs: 100 } } });
    });
    afterAll(async () => server?.close());
    afterEach(async () => {
      const fns = await api(server, "GET", "/api/functions");
      for (const fn of fns.body.items as { name: string }[])
        await api(server, "DELETE", `/api/functions/${fn.name}`);
      const runs = await api(server, "GET", "/api/records/runs?limit=1000");
      for (const run of (runs.body.items ?? []) as { id: string }[])
        await api(server, "DELETE", `/api/records/runs/${run.id}`);
    });

    it("runs a phrase schedule at its time in its time zone, passing payload, name and scheduled time", async () => {
      clock.set(new Date("2027-01-04T13:00:00Z"));
      await deploy(server, "report", RECORDER, {
        triggers: {
          schedules: [
            {
              schedule: "weekdays at 9 AM",
              timezone: "America/New_York",
              payload: { kind: "daily" },
              name: "daily-report",
            },
          ],
        },
      });
      const listed = await api(server, "GET", "/api/schedules/daily-report?next=3");
      expect(listed.status).toBe(200);
      expect(listed.body).toMatchObject({
        name: "daily-report",
        function: "report",
        cron: "0 9 * * 1-5",
        timezone: "America/New_York",
        active: true,
        source: "config",
        nextRunAt: "2027-01-04T14:00:00.000Z",
        nextRuns: ["2027-01-04T14:00:00.000Z", "2027-01-05T14:00:00.000Z", "2027-01-06T14:00:00.000Z"],
      });

      clock.set(new Date("2027-01-04T13:59:59Z"));
      expect(await runsOf(server)).toEqual([]);
      clock.set(new Date("2027-01-04T14:00:00.050Z"));
      const [run] = await eventually(async () => {
        const runs = await runsOf(server);
        expect(runs).toHaveLength(1);
        return runs;
      });
      expect(run).toMatchObject({
        schedule: "daily-report",
        scheduledTime: "2027-01-04T14:00:00.000Z",
        catchUp: false,
        missed: 0,
        manual: false,
        trigger: "schedule",
        payload: { kind: "daily" },
      });
      // The tick is the history, linked to its execution, whose cause is the tick.
      const [tick] = await eventually(async () => {
        const ticks = await ticksOf(server, "daily-report");
        expect(ticks[0]?.status).toBe("done");
        return ticks;
      });
      const executions = await api(server, "GET", "/api/executions?function=report");
      expect(executions.body.items[0]).toMatchObject({ id: tick!.executionId, trigger: "schedule" });
      expect(executions.body.items[0].cause.kind).toBe("tick");
      // The trace of the run starts at its tick.
      const trace = await api(server, "GET", `/api/traces/${tick!.executionId}`);
      expect(trace.body.root).toMatchObject({
        kind: "tick",
        schedule: "daily-report",
        function: "report",
        status: "done",
        at: "2027-01-04T14:00:00.000Z",
        children: [
          expect.objectContaining({ kind: "execution", id: tick!.executionId, trigger: "schedule" }),
        ],
      });
      const after = await api(server, "GET", "/api/schedules/daily-report");
      expect(after.body).toMatchObject({
        lastRunAt: "2027-01-04T14:00:00.000Z",
        lastStatus: "done",
        lastExecutionId: tick!.executionId,
        nextRunAt: "2027-01-05T14:00:00.000Z",
        runs: 1,
      });
    });

    it("does not overlap a run still going, and records the skipped ticks", async () => {
      clock.set(new Date("2027-01-05T00:00:00Z"));
      await deploy(
        server,
        "slow",
        `export default async function (payload, context) {
  await backend.create("runs", { schedule: context.schedule_name, scheduledTime: context.scheduled_time });
  // Holds on until the test lets it go.
  for (;;) {
    const go = await backend.query("gates", { open: true });
    if (go.length > 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
`,
        { triggers: { schedules: [{ schedule: "* * * * * *", name: "every-second" }] }, timeout: 60_000 },
      );
      clock.advance(1000);
      await eventually(async () => expect(await runsOf(server, "every-second")).toHaveLength(1));
      // Three more ticks come while the first run holds on.
      for (let i = 0; i < 3; i++) {
        clock.advance(1000);
        await eventually(async () =>
          expect((await ticksOf(server, "every-second")).filter((t) => t.status === "skipped")).toHaveLength(
            i + 1,
          ),
        );
      }
      expect(await runsOf(server, "every-second")).toHaveLength(1);
      await api(server, "POST", "/api/records/gates", { open: true });
      await eventually(async () => expect((await ticksOf(server, "every-second"))[3]?.status).toBe("done"));
      // Free again: the next tick runs.
      clock.advance(1000);
      await eventually(async () => expect(await runsOf(server, "every-second")).toHaveLength(2));
      const ticks = await ticksOf(server, "every-second");
      expect(ticks).toHaveLength(5);
      expect(ticks.filter((t) => t.status === "skipped")).toHaveLength(3);
      expect(ticks.at(-1)?.status).toBe("done");
      const gates = await api(server, "GET", "/api/records/gates");
      for (const gate of gates.body.items) await api(server, "DELETE", `/api/records/gates/${gate.id}`);
      await api(server, "PATCH", "/api/schedules/every-second", { active: false });
    });

    it("creates, previews, changes, runs now and deletes schedules through the API, with clear errors", async () => {
      clock.set(new Date("2027-01-04T13:00:00Z"));
      await deploy(server, "job", RECORDER);
      const preview = await api(server, "POST", "/api/schedules/preview", {
        schedule: "first Monday of each month at 9 AM",
        timezone: "Asia/Kolkata",
        count: 2,
      });
      expect(preview.body).toEqual({
        expression: "first Monday of each month at 9 AM",
        cron: "0 9 * * 1#1",
        phrase: true,
        timezone: "Asia/Kolkata",
        nextRuns: ["2027-02-01T03:30:00.000Z", "2027-03-01T03:30:00.000Z"],
      });
      const bad = await api(server, "POST", "/api/schedules", { function: "job", schedule: "evry day" });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('"evry day" is not a schedule');
      expect(bad.body.error.message).toContain("daily at 9 AM");
      for (const [body, message] of [
        [{ function: "job", schedule: "daily", timezone: "Mars/Olympus" }, "IANA"],
        [{ function: "nope", schedule: "daily" }, "No function named 'nope'"],
        [{ function: "job" }, "exactly one of schedule"],
        [{ function: "job", at: "tomorrow" }, "ISO-8601"],
        [{ function: "job", schedule: "daily", catch_up: "some" }, "catch_up"],
      ] as const) {
        const res = await api(server, "POST", "/api/schedules", body);
        expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body.error.message).toContain(message);
      }

      const made = await api(server, "POST", "/api/schedules", {
        function: "job",
        name: "nightly",
        schedule: "every day at 21:30",
        timezone: "Europe/Paris",
        payload: { n: 1 },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body).toMatchObject({
        name: "nightly",
        cron: "30 21 * * *",
        source: "api",
        nextRunAt: "2027-01-04T20:30:00.000Z",
      });
      const taken = await api(server, "POST", "/api/schedules", {
        function: "job",
        name: "nightly",
        schedule: "hourly",
      });
      expect(taken.status).toBe(409);

      const now = await api(server, "POST", "/api/schedules/nightly/run");
      expect(now.status).toBe(200);
      // Twice at the same instant (the test clock stands still): two runs, each its own tick.
      const twice = await api(server, "POST", "/api/schedules/nightly/run");
      expect(twice.body).toMatchObject({ status: "success", tick: { manual: true } });
      expect(twice.body.tick.id).not.toBe(now.body.tick.id);
      expect(now.body).toMatchObject({
        status: "success",
        result: "ran",
        tick: { manual: true, status: "done" },
      });
      expect(await runsOf(server, "nightly")).toEqual([
        expect.objectContaining({ manual: true, payload: { n: 1 } }),
        expect.objectContaining({ manual: true, payload: { n: 1 } }),
      ]);
      expect((await api(server, "GET", "/api/schedules/nightly")).body).toMatchObject({
        lastRunAt: clock.now().toISOString(),
        lastStatus: "done",
        lastExecutionId: twice.body.executionId,
      });

      const off = await api(server, "PATCH", "/api/schedules/nightly", { active: false });
      expect(off.body).toMatchObject({ active: false, nextRunAt: null });
      clock.set(new Date("2027-01-04T20:31:00Z"));
      const on = await api(server, "PATCH", "/api/schedules/nightly", { active: true, schedule: "hourly" });
      expect(on.body).toMatchObject({
        active: true,
        cron: "0 * * * *",
        nextRunAt: "2027-01-04T21:00:00.000Z",
      });

      const listed = await api(server, "GET", "/api/schedules?function=job&next=2");
      expect(listed.body.items.map((s: { name: string }) => s.name)).toEqual(["nightly"]);
      expect(listed.body.items[0].nextRuns).toEqual(["2027-01-04T21:00:00.000Z", "2027-01-04T22:00:00.000Z"]);
      expect((await api(server, "DELETE", "/api/schedules/nightly")).status).toBe(204);
      expect((await api(server, "GET", "/api/schedules/nightly")).status).toBe(404);
      // Its history stays readable.
      expect((await ticksOf(server, "nightly"))[0]).toMatchObject({ manual: true });
    });

    it("tells a Deno.serve function which tick it runs for, in headers, with the payload as the body", async () => {
      await deploy(
        server,
        "served",
        `Deno.serve(async (req) => Response.json({
  schedule: req.headers.get("x-backend-schedule"),
  scheduledTime: req.headers.get("x-backend-scheduled-time"),
  catchUp: req.headers.get("x-backend-catch-up"),
  tick: req.headers.get("x-backend-tick-id"),
  body: await req.json(),
}));
`,
        {
          triggers: {
            schedules: [{ schedule: "hourly", name: "served-hourly", payload: { hello: "world" } }],
          },
        },
      );
      const run = await api(server, "POST", "/api/schedules/served-hourly/run");
      expect(run.body.status).toBe("success");
      const execution = await api(server, "GET", `/api/executions/${run.body.executionId}`);
      expect(execution.status).toBe(200);
      expect(run.body.tick).toMatchObject({
        manual: true,
        status: "done",
        executionId: run.body.executionId,
      });
      expect(run.body.result).toMatchObject({
        schedule: "served-hourly",
        scheduledTime: run.body.tick.scheduledAt,
        catchUp: "false",
        tick: run.body.tick.id,
        body: { hello: "world" },
      });
    });

    it("makes the declared schedules of a function that has none stored when it is deployed again unchanged", async () => {
      await deploy(server, "older", RECORDER, { triggers: { schedules: ["hourly"] } });
      // As for a function deployed before schedules ran: declared, nothing stored.
      expect((await api(server, "DELETE", "/api/schedules/older")).status).toBe(204);
      const again = await api(server, "PUT", "/api/functions/older", {
        files: { "entry.ts": RECORDER },
        config: { triggers: { schedules: ["hourly"] } },
      });
      expect(again.body.status).toBe("unchanged");
      expect((await api(server, "GET", "/api/schedules/older")).body).toMatchObject({
        cron: "0 * * * *",
        source: "config",
      });
    });

    it("deleting a function deletes its schedules", async () => {
      await deploy(server, "gone", RECORDER, { triggers: { schedules: ["hourly"] } });
      expect((await api(server, "GET", "/api/schedules/gone")).status).toBe(200);
      await api(server, "DELETE", "/api/functions/gone");
      expect((await api(server, "GET", "/api/schedules/gone")).status).toBe(404);
    });
  });

  describe("schedules under backend dev's clock", () => {
    const clock = new ShiftedClock();
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store, { clock, config: { schedules: { pollMs: 100 } } });
    });
    afterAll(async () => server?.close());

    it("fires when the clock is moved to just before a tick, and counts again from a time set back", async () => {
      await deploy(server, "monthly", RECORDER, {
        triggers: {
          schedules: [{ schedule: "first Monday of each month at 9 AM", timezone: "Europe/Paris" }],
        },
      });
      const set = await api(server, "POST", "/api/dev/clock", { set: "2030-04-01T06:59:59.900Z" });
      expect(set.body).toMatchObject({ settable: true });
      // The first Monday of April 2030, 09:00 in Paris, comes within a fraction of a second.
      await eventually(async () => expect(await runsOf(server, "monthly")).toHaveLength(1));
      expect((await runsOf(server, "monthly"))[0]).toMatchObject({
        scheduledTime: "2030-04-01T07:00:00.000Z",
        catchUp: false,
      });
      expect((await api(server, "GET", "/api/schedules/monthly")).body.nextRunAt).toBe(
        "2030-05-06T07:00:00.000Z",
      );
      // The run records itself before it ends: wait for its end, or the tick that comes again
      // would find it still running and be skipped (overlap "skip", the default).
      await eventually(async () =>
        expect((await api(server, "GET", "/api/schedules/monthly/ticks")).body.items[0]?.status).toBe("done"),
      );
      // Set back to before it, the same tick comes again and runs again.
      await api(server, "POST", "/api/dev/clock", { set: "2030-04-01T06:59:59.900Z" });
      await eventually(async () => expect(await runsOf(server, "monthly")).toHaveLength(2));
      expect((await runsOf(server, "monthly"))[1]).toMatchObject({
        scheduledTime: "2030-04-01T07:00:00.000Z",
      });
      // Back to the real time: the next run is the real next first Monday again, not May 2030.
      const reset = await api(server, "POST", "/api/dev/clock", { reset: true });
      expect(reset.body.offsetMs).toBe(0);
      const next = (await api(server, "GET", "/api/schedules/monthly")).body.nextRunAt as string;
      expect(Date.parse(next)).toBeGreaterThan(Date.now());
      expect(Date.parse(next)).toBeLessThan(Date.now() + 40 * 86_400_000);
    });
  });

  describe("schedules across a restart", () => {
    const open: Platform[] = [];
    let storage: Awaited<ReturnType<typeof createTestStorage>>;
    beforeAll(async () => {
      storage = await createTestStorage(store);
    });
    afterAll(async () => {
      for (const p of open) await p.close();
      await storage?.remove();
    });

    /** A server on the same storage each time, so that a stop and a start keep everything. */
    async function boot(clock: ManualClock): Promise<TestServer> {
      const adminKey = "restart-admin-key-0123456789";
      const config = configSchema.parse({
        port: 0,
        logLevel: "silent",
        adminKey,
        ...storage.config,
        schedules: { pollMs: 100 },
      });
      const platform = await createPlatform(config, { clock });
      open.push(platform);
      const url = await platform.listen();
      return {
        url,
        adminKey,
        platform,
        api: apiOf(url),
        close: () => platform.close(),
      };
    }

    it("runs the ticks missed while stopped once under one, not at all under none, each under all", async () => {
      const clock = new ManualClock(new Date("2027-01-04T08:00:00Z"));
      let server = await boot(clock);
      await deploy(server, "nightly", RECORDER, {
        triggers: {
          schedules: [
            { schedule: "daily at 9 AM", name: "catch-one" },
            { schedule: "daily at 9 AM", name: "catch-none", catch_up: "none" },
            { schedule: "daily at 9 AM", name: "catch-all", catch_up: "all" },
          ],
        },
      });
      await server.close();
      // Down across two ticks (Jan 4 and Jan 5 at 9:00), back on Jan 6 at 08:30.
      clock.set(new Date("2027-01-06T08:30:00Z"));
      server = await boot(clock);
      await eventually(async () => {
        expect(await runsOf(server, "catch-one")).toHaveLength(1);
        expect(await runsOf(server, "catch-all")).toHaveLength(2);
        expect((await ticksOf(server, "catch-none")).map((t) => t.status)).toEqual(["missed"]);
      });
      expect(await runsOf(server, "catch-one")).toEqual([
        expect.objectContaining({ scheduledTime: "2027-01-05T09:00:00.000Z", catchUp: true, missed: 1 }),
      ]);
      expect((await runsOf(server, "catch-all")).map((r) => [r.scheduledTime, r.catchUp])).toEqual([
        ["2027-01-04T09:00:00.000Z", true],
        ["2027-01-05T09:00:00.000Z", true],
      ]);
      expect(await runsOf(server, "catch-none")).toEqual([]);
      expect(await ticksOf(server, "catch-none")).toEqual([
        expect.objectContaining({ status: "missed", scheduledAt: "2027-01-05T09:00:00.000Z", missed: 1 }),
      ]);
      // And each goes on as usual: the next tick is Jan 6 at 9:00, once.
      for (const name of ["catch-one", "catch-none", "catch-all"]) {
        expect((await api(server, "GET", `/api/schedules/${name}`)).body.nextRunAt).toBe(
          "2027-01-06T09:00:00.000Z",
        );
      }
      clock.set(new Date("2027-01-06T09:00:00.010Z"));
      await eventually(async () => expect(await runsOf(server, "catch-none")).toHaveLength(1));
      expect((await runsOf(server, "catch-none"))[0]).toMatchObject({
        catchUp: false,
        scheduledTime: "2027-01-06T09:00:00.000Z",
      });
      await server.close();
    });

    it("keeps a runAfter across a restart and fires it once; a cancelled one never fires", async () => {
      const clock = new ManualClock(new Date("2027-02-01T10:00:00Z"));
      let server = await boot(clock);
      await deploy(server, "expire-trial", RECORDER);
      await deploy(
        server,
        "start-trial",
        `export default async function () {
  const kept = await backend.runAfter(14 * 86400000, "expire-trial", { userId: "u1" });
  const cancelled = await backend.runAt(new Date(Date.parse("2027-02-10T00:00:00Z")), "expire-trial", { userId: "u2" });
  const first = await backend.cancelRun(cancelled.id);
  const again = await backend.cancelRun(cancelled.id);
  return { kept: kept.id, at: kept.nextRunAt, cancelled: cancelled.id, first, again };
}
`,
      );
      const started = await api(server, "POST", "/api/functions/start-trial/invoke", {});
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      expect(started.body).toMatchObject({ at: "2027-02-15T10:00:00.000Z", first: true, again: false });
      const pending = await api(server, "GET", "/api/schedules?kind=once");
      expect(pending.body.items.map((s: { id: string }) => s.id)).toEqual([started.body.kept]);
      expect(pending.body.items[0]).toMatchObject({
        function: "expire-trial",
        source: "function",
        payload: { userId: "u1" },
      });
      await server.close();

      clock.set(new Date("2027-02-15T10:00:01Z"));
      server = await boot(clock);
      await eventually(async () => expect(await trialRuns(server)).toHaveLength(1));
      expect((await trialRuns(server))[0]).toMatchObject({
        payload: { userId: "u1" },
        scheduledTime: "2027-02-15T10:00:00.000Z",
      });
      await eventually(async () =>
        expect((await api(server, "GET", `/api/schedules/${started.body.kept}`)).body).toMatchObject({
          nextRunAt: null,
          lastStatus: "done",
        }),
      );
      // A month later nothing more has run, not the kept one again, never the cancelled one: only a
      // run made now to mark the moment.
      clock.advance(30 * 86_400_000);
      const marker = await api(server, "POST", "/api/schedules", {
        function: "expire-trial",
        after_ms: 0,
        payload: "marker",
      });
      expect(marker.status, JSON.stringify(marker.body)).toBe(201);
      await eventually(async () => expect(await trialRuns(server)).toHaveLength(2));
      expect((await trialRuns(server)).map((r) => r.payload)).toEqual([{ userId: "u1" }, "marker"]);
      expect((await api(server, "GET", `/api/schedules/${started.body.cancelled}`)).status).toBe(404);
      await server.close();
    });
  });
});
