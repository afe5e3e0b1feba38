// `backend clock` against servers with both kinds of clock: the settable one of `backend dev`
// (a ShiftedClock: set, advance, reset, and a schedule that fires once the clock reaches it) and the
// real time of every other server, which refuses to move with a message that says why.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { ShiftedClock } from "../core/clock.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import { startDevServer, type DevServer } from "./dev/devServer.js";
import type { ClockView, TickItem } from "./schedules/shapes.js";
import { cliOf, jsonOf, runCli } from "./testing/runCli.js";

forEachStore((store) => {
  describe("backend clock against a server whose clock can be set", () => {
    const clock = new ShiftedClock();
    let server: TestServer;
    let cli: ReturnType<typeof cliOf>;

    beforeAll(async () => {
      server = await startServer(store, { clock, config: { schedules: { pollMs: 100 } } });
      cli = cliOf(server);
    });
    afterAll(async () => server?.close());

    it("shows the server's time, which starts as the real time", async () => {
      const shown = await cli("clock");
      expect(shown.code, shown.output).toBe(0);
      expect(shown.output).toMatch(/^Server time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(the real time\)\n$/);
      expect(await cli("clock", "show")).toMatchObject({
        code: 0,
        output: expect.stringContaining("(the real time)"),
      });
      const view = jsonOf<ClockView>(await cli("clock", "show", "--json"));
      expect(view).toMatchObject({ offsetMs: 0, settable: true });
      expect(Math.abs(Date.parse(view.now) - Date.now())).toBeLessThan(5000);
    });

    it("set jumps to an instant and time runs on from there; advance moves it on; reset goes back", async () => {
      const set = await cli("clock", "set", "2027-01-04T08:59:50Z");
      expect(set.code, set.output).toBe(0);
      expect(set.output).toMatch(
        /^Server time: 2027-01-04T08:59:5\dZ \(\d+d( \d+[hms])* ahead of the real time; 'backend clock reset' goes back\)\n$/,
      );
      expect(clock.now().getTime() - Date.parse("2027-01-04T08:59:50Z")).toBeLessThan(5000);

      const advanced = jsonOf<ClockView>(await cli("clock", "advance", "1d2h", "--json"));
      expect(Date.parse(advanced.now) - Date.parse("2027-01-05T10:59:50Z")).toBeGreaterThanOrEqual(0);
      expect(Date.parse(advanced.now) - Date.parse("2027-01-05T10:59:50Z")).toBeLessThan(5000);
      expect(advanced.settable).toBe(true);

      const reset = await cli("clock", "reset");
      expect(reset.output).toMatch(/\(the real time\)\n$/);
      expect(clock.offset).toBe(0);
    });

    it("refuses a date-time or a duration it cannot read, before asking the server", async () => {
      const badDate = await cli("clock", "set", "next tuesday");
      expect(badDate.code).toBe(1);
      expect(badDate.output).toBe(
        "backend: The date-time must be a date-time such as 2027-01-04T09:00:00Z or 2027-01-04T09:00+01:00, not 'next tuesday'\n",
      );
      const badDuration = await cli("clock", "advance", "a while");
      expect(badDuration.code).toBe(1);
      expect(badDuration.output).toContain(
        "The duration must be a duration such as 90s, 10m, 2h, 14d or 1h30m",
      );
      expect(clock.offset).toBe(0);
    });

    it("a schedule fires when the clock reaches it; a jump over ticks makes them missed ones", async () => {
      await cli("clock", "set", "2027-01-04T08:59:59Z");
      try {
        await deploy(server, "morning", `export default async function () { return "good morning"; }`, {
          triggers: { schedules: [{ schedule: "daily at 9 AM", name: "morning" }] },
        });
        const history = () => cli("schedules", "history", "morning", "--json").then(jsonOf<TickItem[]>);
        const [first] = await eventually(async () => {
          const ticks = await history();
          expect(ticks.map((t) => t.status)).toEqual(["done"]);
          return ticks;
        });
        expect(first).toMatchObject({ scheduledAt: "2027-01-04T09:00:00.000Z", catchUp: false, missed: 0 });

        // Two days on: the 5th's tick was missed, the 6th's runs once for both (catch_up "one").
        await cli("clock", "advance", "2d");
        const [latest] = await eventually(async () => {
          const ticks = await history();
          expect(ticks.map((t) => t.status)).toEqual(["done", "done"]);
          return ticks;
        });
        expect(latest).toMatchObject({ scheduledAt: "2027-01-06T09:00:00.000Z", catchUp: true, missed: 1 });
      } finally {
        await cli("clock", "reset");
        await server.api("DELETE", "/api/functions/morning", { token: server.adminKey });
      }
    });
  });

  describe("backend clock against a server on the real time", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer(store);
    });
    afterAll(async () => server?.close());

    it("shows the real time and says that only backend dev can set it", async () => {
      const shown = await cliOf(server)("clock");
      expect(shown.code, shown.output).toBe(0);
      expect(shown.output).toMatch(
        /^Server time: \S+Z \(the real time; only 'backend dev' has a clock that can be set\)\n$/,
      );
      for (const change of [["set", "2027-01-04T08:59:50Z"], ["advance", "10m"], ["reset"]]) {
        const refused = await cliOf(server)("clock", ...change);
        expect(refused.code).toBe(1);
        expect(refused.output).toBe(
          `backend: The server at ${server.url} reads the real time: only 'backend dev' has a clock that can be set (start it with 'backend dev', or 'backend dev --clock <date-time>')\n`,
        );
      }
    });
  });
});

describe("backend dev --clock", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "backend-dev-clock-"));
  let dev: DevServer;
  beforeAll(async () => {
    const lines: string[] = [];
    dev = await startDevServer(
      { root: dir, port: "0", data: path.join(dir, ".backend"), clock: "2027-01-04T08:59:50Z" },
      { line: (_tag, _name, text) => lines.push(text) },
    );
  });
  afterAll(async () => {
    await dev?.platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts the server's clock at that instant, settable from `backend clock`", async () => {
    const env = { BACKEND_URL: dev.url, BACKEND_ADMIN_KEY: dev.adminKey };
    const shown = await runCli(["clock"], env);
    expect(shown.output).toMatch(
      /^Server time: 2027-01-04T08:5\d:\d\dZ \(\d+d( \d+[hms])* ahead of the real time/,
    );
    const reset = await runCli(["clock", "reset"], env);
    expect(reset.output).toMatch(/\(the real time\)\n$/);
    expect(dev.clock.offset).toBe(0);
  });

  it("refuses a start it cannot read", async () => {
    await expect(
      startDevServer(
        { root: dir, port: "0", data: path.join(dir, ".backend"), clock: "soon" },
        { line: () => {} },
      ),
    ).rejects.toThrow("--clock must be a date-time such as 2027-01-04T08:59:50Z");
  });
});
