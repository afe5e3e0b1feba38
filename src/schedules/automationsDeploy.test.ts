// Seed 001's Base44 `automations`, deployed to a real server: one of each kind (cron; simple every 2
// days on Mondays and Thursdays from a start time; one-time; entity create/update; one that ends
// after 3 runs) lists as schedules and subscriptions with the right next runs and fires as declared
// under the injectable clock; an invalid one is refused with the file, field and reason.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";

const HANDLER = `export default async function (payload, context) {
  await backend.create("fired", {
    schedule: context.schedule_name ?? null,
    scheduledTime: context.scheduled_time ?? null,
    event: context.event_type ?? null,
    args: payload ?? null,
  });
}
`;

// 2027-01-04 is a Monday.
const AUTOMATIONS = [
  {
    type: "scheduled",
    name: "Nightly cleanup",
    schedule_mode: "recurring",
    schedule_type: "cron",
    cron_expression: "0 3 * * *",
    function_args: { task: "cleanup" },
  },
  {
    type: "scheduled",
    name: "Digest",
    description: "Every second day, when that is a Monday or a Thursday",
    schedule_mode: "recurring",
    schedule_type: "simple",
    repeat_unit: "days",
    repeat_interval: 2,
    repeat_on_days: [1, 4],
    start_time: "2027-01-04T09:00:00Z",
  },
  {
    type: "scheduled",
    name: "Launch",
    schedule_mode: "one-time",
    one_time_date: "2027-01-05T12:00:00Z",
    function_args: { launch: true },
  },
  { type: "entity", name: "On order", entity_name: "orders", event_types: ["create", "update"] },
  {
    type: "scheduled",
    name: "Three times",
    schedule_mode: "recurring",
    schedule_type: "cron",
    cron_expression: "30 * * * *",
    ends_type: "after",
    ends_after_count: 3,
  },
];

type Fired = { schedule: string | null; scheduledTime: string | null; event: string | null; args: unknown };

forEachStore((store) => {
  describe("Base44 automations", () => {
    const clock = new ManualClock(new Date("2027-01-04T08:00:00Z"));
    let server: TestServer;
    const api = (method: string, path: string, body?: unknown) =>
      server.api(method, path, { token: server.adminKey, ...(body === undefined ? {} : { body }) });
    const fired = async (): Promise<Fired[]> =>
      ((await api("GET", "/api/records/fired?limit=1000&sort=createdAt")).body.items ?? []) as Fired[];
    const schedule = async (name: string) => (await api("GET", `/api/schedules/${name}?next=4`)).body;

    beforeAll(async () => {
      server = await startServer(store, { clock, config: { schedules: { pollMs: 100 } } });
      await deploy(server, "automated", HANDLER, { automations: AUTOMATIONS });
    });
    afterAll(async () => server?.close());

    it("lists each scheduled automation as a schedule with its next runs, and the entity one as subscriptions", async () => {
      const listed = await api("GET", "/api/schedules?function=automated");
      expect(listed.body.items.map((s: { name: string }) => s.name).sort()).toEqual([
        "Digest",
        "Launch",
        "Nightly-cleanup",
        "Three-times",
      ]);
      expect(await schedule("Nightly-cleanup")).toMatchObject({
        kind: "recurring",
        cron: "0 3 * * *",
        timezone: "UTC",
        payload: { task: "cleanup" },
        nextRuns: [
          "2027-01-05T03:00:00.000Z",
          "2027-01-06T03:00:00.000Z",
          "2027-01-07T03:00:00.000Z",
          "2027-01-08T03:00:00.000Z",
        ],
      });
      // Every second day from Monday Jan 4, only when that day is a Monday or a Thursday.
      expect(await schedule("Digest")).toMatchObject({
        kind: "recurring",
        cron: null,
        description: "Every second day, when that is a Monday or a Thursday",
        nextRuns: [
          "2027-01-04T09:00:00.000Z",
          "2027-01-14T09:00:00.000Z",
          "2027-01-18T09:00:00.000Z",
          "2027-01-28T09:00:00.000Z",
        ],
      });
      expect(await schedule("Launch")).toMatchObject({
        kind: "once",
        payload: { launch: true },
        nextRuns: ["2027-01-05T12:00:00.000Z"],
      });
      expect(await schedule("Three-times")).toMatchObject({
        maxRuns: 3,
        nextRuns: ["2027-01-04T08:30:00.000Z", "2027-01-04T09:30:00.000Z", "2027-01-04T10:30:00.000Z"],
      });
      const subscriptions = await api("GET", "/api/subscriptions?function=automated");
      expect(
        subscriptions.body.items.map((s: { event: string; filter: unknown; source: string }) => [
          s.event,
          s.filter,
          s.source,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ["POST_RECORD_CREATE", { collection: "orders" }, "config"],
          ["POST_RECORD_UPDATE", { collection: "orders" }, "config"],
        ]),
      );
      expect(subscriptions.body.items).toHaveLength(2);
    });

    it("fires each as declared as the clock moves, and entity ones on writes to their collection", async () => {
      // Monday: Three-times at 08:30, 09:30, 10:30 and never again; Digest at 09:00.
      for (const at of ["08:30", "09:00", "09:30", "10:30", "11:30"]) {
        clock.set(new Date(`2027-01-04T${at}:00.010Z`));
        await eventually(async () => {
          const due = await api("GET", "/api/schedules?function=automated");
          for (const s of due.body.items as { nextRunAt: string | null }[])
            expect(s.nextRunAt === null || s.nextRunAt > clock.now().toISOString()).toBe(true);
          const ticks = await api("GET", "/api/schedules/Three-times/ticks");
          expect((ticks.body.items as { status: string }[]).every((t) => t.status === "done")).toBe(true);
        });
      }
      await eventually(async () => {
        const runs = await fired();
        expect(runs.filter((r) => r.schedule === "Three-times").map((r) => r.scheduledTime)).toEqual([
          "2027-01-04T08:30:00.000Z",
          "2027-01-04T09:30:00.000Z",
          "2027-01-04T10:30:00.000Z",
        ]);
        expect(runs.filter((r) => r.schedule === "Digest").map((r) => r.scheduledTime)).toEqual([
          "2027-01-04T09:00:00.000Z",
        ]);
      });
      expect((await schedule("Three-times")).nextRunAt).toBeNull();

      // Tuesday: the nightly cleanup at 03:00 with its args, the launch once at 12:00.
      clock.set(new Date("2027-01-05T03:00:00.010Z"));
      await eventually(async () =>
        expect((await fired()).filter((r) => r.schedule === "Nightly-cleanup")).toEqual(
          [
            {
              schedule: "Nightly-cleanup",
              scheduledTime: "2027-01-05T03:00:00.000Z",
              event: null,
              args: { task: "cleanup" },
            },
          ].map((r) => expect.objectContaining(r)),
        ),
      );
      clock.set(new Date("2027-01-05T12:00:00.010Z"));
      await eventually(async () =>
        expect((await fired()).filter((r) => r.schedule === "Launch").map((r) => r.args)).toEqual([
          { launch: true },
        ]),
      );
      // The run's record is written while it runs; the tick is settled just after.
      await eventually(async () =>
        expect(await schedule("Launch")).toMatchObject({ nextRunAt: null, lastStatus: "done" }),
      );

      // Entity: a create and an update of an order each run it; a delete, or another collection, not.
      const order = await api("POST", "/api/records/orders", { total: 10 });
      await api("PATCH", `/api/records/orders/${order.body.id}`, { total: 12 });
      await api("POST", "/api/records/invoices", { total: 1 });
      await api("DELETE", `/api/records/orders/${order.body.id}`);
      await eventually(async () =>
        expect((await fired()).filter((r) => r.event).map((r) => r.event)).toEqual([
          "POST_RECORD_CREATE",
          "POST_RECORD_UPDATE",
        ]),
      );
      const deliveries = await api("GET", "/api/deliveries?function=automated");
      expect(deliveries.body.items).toHaveLength(2);
    });

    it("refuses an invalid automation with the file, the field and the reason", async () => {
      const res = await api("PUT", "/api/functions/bad-automation", {
        files: { "entry.ts": HANDLER },
        config: {
          automations: [
            { ...AUTOMATIONS[1], repeat_unit: "fortnights" },
            { ...AUTOMATIONS[0], cron_expression: "every day" },
          ],
        },
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^function\.jsonc: automations\[0\]\.repeat_unit .*minutes/);
      expect(res.body.error.message).toContain("automations[1].cron_expression");
      expect((await api("GET", "/api/schedules?function=bad-automation")).body.items).toEqual([]);
    });
  });
});
