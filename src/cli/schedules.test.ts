// `backend schedules` against a real server on both stores, with the injectable clock (Monday
// 2027-01-04, 08:00 in New York): the CLI run in this process. Each test goes on from the last one's
// schedules and time, as a developer would in one session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ManualClock } from "../core/clock.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import type { ManualRun, Preview, ScheduleItem, TickItem } from "./schedules/shapes.js";
import { cliOf, jsonOf, runCli } from "./testing/runCli.js";

/** Records each run, and answers the payload's kind and whether it was run by hand. */
const REPORT = `export default async function (payload, context) {
  await backend.create("runs", { schedule: context.schedule_name, scheduledTime: context.scheduled_time });
  return { kind: payload?.kind ?? null, manual: context.manual };
}`;
const BOOM = `export default async function () { throw new Error("the mail server is down"); }`;
const EXPIRE = `export default async function (payload, context) {
  await backend.create("expired", { userId: payload.userId, schedule: context.schedule_name });
}`;

forEachStore((store) => {
  describe("backend schedules", () => {
    const clock = new ManualClock(new Date("2027-01-04T13:00:00Z"));
    let server: TestServer;
    let cli: (...args: string[]) => ReturnType<ReturnType<typeof cliOf>>;
    const json = async <T>(...args: string[]) => jsonOf<T>(await cli(...args, "--json"));
    const recurring = async () =>
      (await json<ScheduleItem[]>("list")).filter((s) => s.kind === "recurring").map((s) => s.name);
    const records = async (collection: string) =>
      (await server.api("GET", `/api/records/${collection}?limit=100`, { token: server.adminKey })).body
        .items ?? [];

    beforeAll(async () => {
      server = await startServer(store, { clock, config: { schedules: { pollMs: 100 } } });
      const backend = cliOf(server);
      cli = (...args: string[]) => backend("schedules", ...args);
      await deploy(server, "report", REPORT);
      await deploy(server, "boom", BOOM);
      await deploy(server, "expire", EXPIRE);
    });
    afterAll(async () => server?.close());

    it("create makes a schedule from a phrase in a time zone, or from a cron with its policies", async () => {
      const phrase = await cli(
        "create",
        "report",
        "weekdays at 9 AM",
        "--timezone",
        "America/New_York",
        "--name",
        "daily-report",
        "--payload",
        '{"kind":"daily"}',
      );
      expect(phrase).toMatchObject({
        code: 0,
        output:
          "Created schedule daily-report: report on weekdays at 9 AM (0 9 * * 1-5) in America/New_York, next run Mon 2027-01-04 09:00 -05:00 (2027-01-04T14:00:00Z)\n",
      });

      const cron = await json<ScheduleItem>(
        ...["create", "report", "*/15 * * * *", "--name", "quarter", "--catch-up", "all"],
        ...["--overlap", "allow", "--inactive", "--description", "every quarter hour"],
      );
      expect(cron).toMatchObject({
        name: "quarter",
        function: "report",
        kind: "recurring",
        expression: "*/15 * * * *",
        cron: "*/15 * * * *",
        timezone: "UTC",
        catchUp: "all",
        overlap: "allow",
        active: false,
        source: "api",
        description: "every quarter hour",
        nextRunAt: null,
      });

      const failing = await cli("create", "boom", "daily at noon", "--name", "boom-daily");
      expect(failing.output).toBe(
        "Created schedule boom-daily: boom on daily at noon (0 12 * * *) in UTC, next run 2027-01-05T12:00:00Z\n",
      );
      const unnamed = await json<ScheduleItem>("create", "report", "hourly");
      expect(unnamed.name).toMatch(/^report\.\w{8}$/);
      expect((await cli("delete", unnamed.name)).code).toBe(0);
    });

    it("list shows each schedule's cron, time zone, state, next run and last run, or JSON", async () => {
      const { code, output } = await cli("list");
      expect(code, output).toBe(0);
      const lines = output.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^NAME +FUNCTION +SCHEDULE +TIME ZONE +ACTIVE +NEXT RUN +LAST RUN$/);
      expect(lines).toContainEqual(
        expect.stringMatching(
          /^daily-report +report +0 9 \* \* 1-5 +America\/New_York +yes +Mon 2027-01-04 09:00 -05:00 +-$/,
        ),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^quarter +report +\*\/15 \* \* \* \* +UTC +no +- +-$/),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^boom-daily +boom +0 12 \* \* \* +UTC +yes +Tue 2027-01-05 12:00 \+00:00 +-$/),
      );

      const items = await json<ScheduleItem[]>("list");
      expect(items.map((s) => s.name).sort()).toEqual(["boom-daily", "daily-report", "quarter"]);
      const mine = await json<ScheduleItem[]>("list", "--function", "boom");
      expect(mine.map((s) => s.name)).toEqual(["boom-daily"]);
      expect(await cli("list", "--once")).toMatchObject({ code: 0, output: "No one-off runs.\n" });
      expect((await cli("list", "--function", "expire")).output).toBe(
        "No schedules. Declare one in a function.jsonc, or: backend schedules create <function> <expression>\n",
      );
    });

    it("next prints a schedule's next runs, or what an expression means, in its time zone and in UTC", async () => {
      expect(await cli("next", "daily-report", "--count", "3")).toEqual({
        code: 0,
        output: [
          "daily-report runs report on weekdays at 9 AM (0 9 * * 1-5) in America/New_York",
          "America/New_York             UTC",
          "Mon 2027-01-04 09:00 -05:00  2027-01-04T14:00:00Z",
          "Tue 2027-01-05 09:00 -05:00  2027-01-05T14:00:00Z",
          "Wed 2027-01-06 09:00 -05:00  2027-01-06T14:00:00Z",
          "",
        ].join("\n"),
        stdout: expect.any(String),
        stderr: "",
      });

      // Paris moves to summer time on 2027-03-28: the 9 AM runs move in UTC, not in Paris.
      const phrase = await cli(
        ...["next", "first Monday of the month at 9 AM", "--timezone", "Europe/Paris", "--count", "3"],
      );
      expect(phrase.output).toBe(
        [
          "first Monday of the month at 9 AM is the cron 0 9 * * 1#1, in Europe/Paris:",
          "Europe/Paris                 UTC",
          "Mon 2027-02-01 09:00 +01:00  2027-02-01T08:00:00Z",
          "Mon 2027-03-01 09:00 +01:00  2027-03-01T08:00:00Z",
          "Mon 2027-04-05 09:00 +02:00  2027-04-05T07:00:00Z",
          "",
        ].join("\n"),
      );
      expect((await cli("next", "*/15 * * * *", "-n", "2")).output).toBe(
        "*/15 * * * * in UTC:\nUTC\nMon 2027-01-04 13:15 +00:00\nMon 2027-01-04 13:30 +00:00\n",
      );
      expect(await json<Preview>("next", "every 30 seconds", "--count", "2")).toEqual({
        expression: "every 30 seconds",
        cron: "*/30 * * * * *",
        phrase: true,
        timezone: "UTC",
        nextRuns: ["2027-01-04T13:00:30.000Z", "2027-01-04T13:01:00.000Z"],
      });
      // A word that could be a name but is none is read as an expression.
      expect((await cli("next", "hourly", "-n", "1")).output).toBe(
        "hourly is the cron 0 * * * *, in UTC:\nUTC\nMon 2027-01-04 14:00 +00:00\n",
      );
      expect((await cli("next", "quarter")).output).toBe(
        "quarter runs report on */15 * * * * in UTC\nSwitched off: backend schedules enable quarter\n",
      );
    });

    it("run runs the function now with the payload and prints its result; a failed run exits with 1", async () => {
      const ran = await cli("run", "daily-report");
      expect(ran.code, ran.output).toBe(0);
      const [, executionId] =
        /^Ran daily-report \(report\): success, execution (\S+)\n/.exec(ran.output) ?? [];
      expect(executionId).toBeDefined();
      expect(ran.output).toBe(
        `Ran daily-report (report): success, execution ${executionId}\n{\n  "kind": "daily",\n  "manual": true\n}\n`,
      );

      const failed = await cli("run", "boom-daily");
      expect(failed.code).toBe(1);
      expect(failed.output).toMatch(
        /^Ran boom-daily \(boom\): error, execution \S+\nbackend: error: the mail server is down\n$/,
      );
      // (Two runs by hand at the same instant are one tick: the test clock moves on.)
      clock.advance(1000);
      const answer = await cli("run", "boom-daily", "--json");
      expect(answer.code).toBe(1);
      expect(JSON.parse(answer.stdout)).toMatchObject({
        status: "error",
        error: "error: the mail server is down",
        tick: { schedule: "boom-daily", function: "boom", status: "failed", manual: true },
      } satisfies Partial<Omit<ManualRun, "tick">> & { tick: Partial<TickItem> });
      // A run by hand moves no next run.
      expect((await json<ScheduleItem>("next", "daily-report")).nextRunAt).toBe("2027-01-04T14:00:00.000Z");
    });

    it("history lists the ticks newest first, how each came to run and how it ended", async () => {
      clock.set(new Date("2027-01-04T14:00:00.050Z"));
      const ticks = await eventually(async () => {
        const items = await json<TickItem[]>("history", "daily-report");
        expect(items.map((t) => t.status)).toEqual(["done", "done"]);
        return items;
      });
      expect(ticks[0]).toMatchObject({
        scheduledAt: "2027-01-04T14:00:00.000Z",
        manual: false,
        catchUp: false,
      });
      expect(ticks[1]).toMatchObject({ scheduledAt: "2027-01-04T13:00:00.000Z", manual: true });

      const { code, output } = await cli("history", "daily-report");
      expect(code, output).toBe(0);
      const lines = output.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^SCHEDULED \(UTC\) +STATUS +HOW +EXECUTION +ERROR$/);
      expect(lines[1]).toMatch(
        new RegExp(`^2027-01-04T14:00:00Z +done +on time +${ticks[0]!.executionId} +-$`),
      );
      expect(lines[2]).toMatch(/^2027-01-04T13:00:00Z +done +run now +\S+ +-$/);

      expect((await json<TickItem[]>("history", "daily-report", "--limit", "1")).map((t) => t.id)).toEqual([
        ticks[0]!.id,
      ]);
      const failed = await cli("history", "boom-daily", "--status", "failed", "-n", "1");
      expect(failed.output.trimEnd().split("\n")[1]).toMatch(
        /^2027-01-04T13:00:01Z +failed +run now +\S+ +error: the mail server is down$/,
      );
      expect((await cli("history", "quarter")).output).toBe(
        "No ticks yet. Run it now with: backend schedules run quarter\n",
      );
      expect(await records("runs")).toHaveLength(2);
    });

    it("disable switches a schedule off and enable back on, counting from now", async () => {
      expect(await cli("disable", "daily-report")).toMatchObject({
        code: 0,
        output: "Disabled daily-report: it does not run until enabled\n",
      });
      expect((await json<ScheduleItem[]>("list")).find((s) => s.name === "daily-report")).toMatchObject({
        active: false,
        nextRunAt: null,
      });
      expect(await cli("enable", "daily-report")).toMatchObject({
        code: 0,
        output: "Enabled daily-report: next run Tue 2027-01-05 09:00 -05:00 (2027-01-05T14:00:00Z)\n",
      });
      const listed = (await cli("list")).output.split("\n").find((l) => l.startsWith("daily-report "));
      expect(listed).toMatch(/ yes +Tue 2027-01-05 09:00 -05:00 +Mon 2027-01-04 09:00 -05:00 done$/);
    });

    it("create --after makes a one-off run that runs once, at its time; --at one can be cancelled", async () => {
      const created = await cli("create", "expire", "--after", "10m", "--payload", '{"userId":"u_1"}');
      expect(created.code, created.output).toBe(0);
      const [, name] =
        /^Scheduled expire once, as (expire\.once\.\w{8}): runs 2027-01-04T14:10:00\.050Z\. Cancel it with: backend schedules delete \1\n$/.exec(
          created.output,
        ) ?? [];
      expect(name, created.output).toBeDefined();
      const once = await json<ScheduleItem[]>("list", "--once");
      expect(once).toEqual([
        expect.objectContaining({ name, kind: "once", function: "expire", payload: { userId: "u_1" } }),
      ]);
      expect((await cli("list", "--once")).output).toMatch(
        new RegExp(
          `\\n${name!.replaceAll(".", "\\.")} +expire +once at 2027-01-04T14:10:00\\.050Z +UTC +yes +Mon 2027-01-04 14:10 \\+00:00 +-\\n$`,
        ),
      );

      clock.advance(9 * 60_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await records("expired")).toEqual([]);
      clock.advance(60_000);
      await eventually(async () =>
        expect(await records("expired")).toMatchObject([{ userId: "u_1", schedule: name }]),
      );
      await eventually(async () =>
        expect((await json<TickItem[]>("history", name!)).map((t) => t.status)).toEqual(["done"]),
      );
      expect((await json<ScheduleItem[]>("list", "--once"))[0]).toMatchObject({
        name,
        nextRunAt: null,
        runs: 1,
      });

      const later = await cli("create", "expire", "--at", "2027-01-05T00:00:00Z", "--name", "expire-later");
      expect(later.output).toBe(
        "Scheduled expire once, as expire-later: runs 2027-01-05T00:00:00Z. Cancel it with: backend schedules delete expire-later\n",
      );
      expect(await cli("delete", "expire-later")).toMatchObject({
        code: 0,
        output: "Cancelled the one-off run expire-later of expire\n",
      });
      expect((await json<ScheduleItem[]>("list", "--once")).map((s) => s.name)).toEqual([name]);
    });

    it("delete removes a schedule, and warns when its function.jsonc would bring it back", async () => {
      expect(await cli("delete", "quarter")).toMatchObject({
        code: 0,
        output: "Deleted schedule quarter (report)\n",
      });
      await deploy(server, "nightly", `export default async function () {}`, {
        triggers: { schedules: [{ schedule: "daily at 2 AM", name: "nightly-cleanup" }] },
      });
      const fromConfig = await cli("delete", "nightly-cleanup");
      expect(fromConfig).toMatchObject({
        code: 0,
        stdout: "Deleted schedule nightly-cleanup (nightly)\n",
        stderr:
          "It came from nightly's function.jsonc: remove it there too, or the next deploy brings it back\n",
      });
      expect((await recurring()).sort()).toEqual(["boom-daily", "daily-report"]);
      // The history of a deleted schedule stays readable by its name.
      await cli("create", "report", "daily", "--name", "gone");
      await cli("run", "gone");
      await cli("delete", "gone");
      expect((await json<TickItem[]>("history", "gone")).map((t) => t.manual)).toEqual([true]);
    });

    it("refuses an unknown schedule, a bad expression and bad options, with what to do", async () => {
      const unknown =
        "No schedule named 'no-such' (give its name or id; 'backend schedules list' shows them)";
      for (const [command, method, path] of [
        ["run", "POST", "/api/schedules/no-such/run"],
        ["history", "GET", "/api/schedules/no-such/ticks"],
        ["enable", "PATCH", "/api/schedules/no-such"],
        ["delete", "GET", "/api/schedules/no-such"],
      ] as const) {
        expect(await cli(command, "no-such")).toMatchObject({
          code: 1,
          output: `backend: ${method} ${path} failed (404): ${unknown}\n`,
        });
      }

      const badPhrase = await cli("create", "report", "evry day at 9");
      expect(badPhrase.code).toBe(1);
      expect(badPhrase.output).toMatch(
        /^backend: POST \/api\/schedules failed \(400\): "evry day at 9" is not a schedule: write a cron expression \("0 9 \* \* \*", 5 or 6 fields\) or a phrase such as "every 30 seconds", .*"weekdays at 08:00"/,
      );
      const badName = await cli("next", "evry-day");
      expect(badName.code).toBe(1);
      expect(badName.output).toMatch(
        /^backend: No schedule is named 'evry-day' \(backend schedules list shows them\), and "evry-day" is not a schedule: write a cron expression/,
      );
      const badCron = await cli("next", "0 25 * * *");
      expect(badCron.code).toBe(1);
      expect(badCron.output).toMatch(
        /^backend: POST \/api\/schedules\/preview failed \(400\): "0 25 \* \* \*" is not a valid cron expression/,
      );

      const refusals: [string[], string][] = [
        [["create", "report"], "backend: Say when: an expression"],
        [
          ["create", "report", "daily", "--after", "10m"],
          "backend: Give one of an expression, --at and --after, not several\n",
        ],
        [
          ["create", "expire", "--after", "soon"],
          "backend: --after must be a duration such as 90s, 10m, 2h, 14d or 1h30m, not 'soon'\n",
        ],
        [
          ["create", "expire", "--at", "someday"],
          "backend: --at must be a date-time such as 2027-01-04T09:00:00Z",
        ],
        [
          ["create", "expire", "--after", "1h", "--timezone", "Europe/Paris"],
          "backend: --timezone is for recurring schedules",
        ],
        [["create", "report", "daily", "--payload", "{kind: 1}"], "backend: --payload is not valid JSON"],
        [
          ["create", "report", "daily", "--max-runs", "0"],
          "backend: --max-runs must be a whole number, 1 or more, not '0'\n",
        ],
        [
          ["create", "report", "daily", "--catch-up", "some"],
          "'some' is invalid. Allowed choices are none, one, all.",
        ],
        [
          ["create", "report", "daily", "--timezone", "Mars/Olympus"],
          "failed (400): timezone 'Mars/Olympus' is not an IANA time zone",
        ],
        [
          ["create", "no-such-function", "daily"],
          "failed (404): No function named 'no-such-function': deploy it before scheduling it",
        ],
        [
          ["create", "report", "daily", "--name", "daily-report"],
          "failed (409): A schedule named 'daily-report' already exists (it runs report)",
        ],
        [
          ["next", "daily", "--count", "0"],
          "backend: --count must be a whole number from 1 to 100, not '0'\n",
        ],
        [
          ["history", "daily-report", "--limit", "lots"],
          "backend: --limit must be a whole number from 1 to 1000, not 'lots'\n",
        ],
      ];
      for (const [args, message] of refusals) {
        const refused = await cli(...args);
        expect(refused.code, args.join(" ")).toBe(1);
        expect(refused.output, args.join(" ")).toContain(message);
      }
      expect((await recurring()).sort()).toEqual(["boom-daily", "daily-report"]);
    });

    it("every command needs the admin key and says so", async () => {
      const noKey = await runCli(["schedules", "list"], { BACKEND_URL: server.url, BACKEND_ADMIN_KEY: "" });
      expect(noKey.code).toBe(1);
      expect(noKey.output).toMatch(/\(401\).*Set BACKEND_ADMIN_KEY or pass --admin-key/);
    });
  });
});
