// `backend functions deploy / pull` driven as a user would: the real CLI on a project folder, against
// a real server, on both stores.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { type TempProject, tempProject } from "../../project/testing/tempProject.js";
import { jsonOf, projectCli } from "./testing/projectCli.js";

interface Outcome {
  name: string;
  status: string;
  version?: number;
  error?: string;
}

const byName = (outcomes: Outcome[]) => Object.fromEntries(outcomes.map((o) => [o.name, o]));

forEachStore((store) => {
  describe("backend functions deploy and pull", () => {
    let server: TestServer;
    let cli: ReturnType<typeof projectCli>;
    let project: TempProject;

    beforeAll(async () => {
      server = await startServer(store);
      cli = projectCli(server);
      project = tempProject({
        "backend.config.jsonc": '{\n  // the CLI\'s settings\n  "functionsDir": "functions",\n}\n',
        "functions/hello/entry.ts":
          'import { shout } from "../_shared/text.ts";\nexport default (e: { name: string }) => shout(`hello ${e.name}`);\n',
        "functions/_shared/text.ts": "export const shout = (s: string): string => s.toUpperCase();\n",
        "functions/email/send/entry.ts": "export default () => 'sent';\n",
        "functions/email/send/function.jsonc":
          '{\n  // nightly\n  "access": "admin",\n  "timeout": 5000,\n}\n',
        "functions/trial-reminder.js":
          "export const config = { triggers: { schedules: ['daily at 9 AM'] } };\nfunction handleTrialExpiration() {\n  return backend.query('users', {}).length;\n}\n",
      });
    });
    afterAll(async () => {
      project?.remove();
      await server?.close();
    });

    it("reports deployed, then unchanged, then deployed for what changed and error with the reason", async () => {
      const first = await cli(["deploy", "--json"], project.root);
      expect(first.code, first.output).toBe(0);
      expect(byName(jsonOf(first.output))).toEqual({
        hello: { name: "hello", status: "deployed", version: 1 },
        "email/send": { name: "email/send", status: "deployed", version: 1 },
        "trial-reminder": { name: "trial-reminder", status: "deployed", version: 1 },
      });

      const again = await cli(["deploy"], project.root);
      expect(again.code, again.output).toBe(0);
      expect(again.output).toMatch(/^unchanged +hello +version 1$/m);
      expect(again.output).toMatch(/^unchanged +email\/send +version 1$/m);
      expect(again.output).toContain("3 unchanged");

      // A shared helper changes hello's bundle; a broken function fails alone.
      project.write({
        "functions/_shared/text.ts": "export const shout = (s: string): string => s.toUpperCase() + '!';\n",
        "functions/broken/entry.ts": "export default () => {\n  return 1 +;\n};\n",
      });
      const third = await cli(["deploy", "--json"], project.root);
      expect(third.code).toBe(1);
      expect(third.output).toContain("1 function failed (broken): fix what is said above and deploy again");
      expect(byName(jsonOf(third.output))).toEqual({
        hello: { name: "hello", status: "deployed", version: 2 },
        "email/send": { name: "email/send", status: "unchanged", version: 1 },
        "trial-reminder": { name: "trial-reminder", status: "unchanged", version: 1 },
        broken: {
          name: "broken",
          status: "error",
          error: expect.stringMatching(/^functions\/broken\/entry\.ts:2:\d+: Unexpected ";"/),
        },
      });
      const invoked = await cli(["invoke", "hello", "-d", '{"name":"ada"}']);
      expect(JSON.parse(invoked.output)).toBe("HELLO ADA!");

      // Names deploy only those; an unknown name is an error that lists the project's.
      const named = await cli(["deploy", "hello", "nope"], project.root);
      expect(named.code).toBe(1);
      expect(named.output).toMatch(/^unchanged +hello +version 2$/m);
      expect(named.output).toMatch(
        /^error +nope +No function named 'nope' in functions\/ \(there are broken, email\/send/m,
      );
      project.write({ "functions/broken/entry.ts": "export default () => 1;\n" });
      const fixed = await cli(["update", "broken"], project.root);
      expect(fixed.code, fixed.output).toBe(0);
      expect(fixed.output).toMatch(/^deployed +broken +version 1$/m);
    });

    it("refuses a function that imports fs, naming the import, the file and the line", async () => {
      project.write({
        "functions/reader/entry.ts":
          '// reads files\nimport { readFileSync } from "fs";\nexport default () => readFileSync;\n',
      });
      const run = await cli(["deploy", "reader"], project.root);
      expect(run.code).toBe(1);
      expect(run.output).toMatch(
        /^error +reader +functions\/reader\/entry\.ts:2: imports 'fs', a Node built-in; functions run in a sandbox without Node APIs$/m,
      );
      const onServer = await server.api("GET", "/api/functions/reader", { token: server.adminKey });
      expect(onServer.status).toBe(404);
      rmSync(path.join(project.root, "functions/reader"), { recursive: true });
    });

    it("reports an invalid function.jsonc with its file, line and field", async () => {
      project.write({
        "functions/cron/entry.ts": "export default () => 1;\n",
        "functions/cron/function.jsonc":
          '{\n  "access": "admin",\n  "triggers": {\n    "schedules": [{ "schedule": "daily at 9 AM", "timezone": "Mars/Olympus" }],\n  },\n}\n',
      });
      const run = await cli(["deploy", "cron"], project.root);
      expect(run.code).toBe(1);
      expect(run.output).toMatch(
        /^error +cron +functions\/cron\/function\.jsonc:4: triggers\.schedules\[0\]\.timezone is not an IANA time zone/m,
      );
      rmSync(path.join(project.root, "functions/cron"), { recursive: true });
      project.write({ "backend.config.jsonc": '{\n  "functionsDir": 42,\n}\n' });
      const badConfig = await cli(["deploy"], project.root);
      expect(badConfig.code).toBe(1);
      expect(badConfig.output).toContain(
        'backend: backend.config.jsonc:2: functionsDir must be a folder name such as "functions"',
      );
      project.write({
        "backend.config.jsonc": '{\n  // the CLI\'s settings\n  "functionsDir": "functions",\n}\n',
      });
    });

    it("pull into an empty folder reproduces the project: a second deploy reports every function unchanged", async () => {
      const empty = mkdtempSync(path.join(tmpdir(), "backend-pull-"));
      try {
        const pulled = await cli(["pull", "--json"], empty);
        expect(pulled.code, pulled.output).toBe(0);
        const outcomes = jsonOf<{ name: string; status: string; written: string[] }[]>(pulled.output);
        expect(outcomes.map((o) => [o.name, o.status])).toEqual([
          ["broken", "written"],
          ["email/send", "written"],
          ["hello", "written"],
          ["trial-reminder", "written"],
        ]);
        expect(byName(outcomes as never)["hello"]).toMatchObject({
          written: ["functions/_shared/text.ts", "functions/hello/entry.ts"],
        });
        const read = (file: string) => readFileSync(path.join(empty, file), "utf8");
        expect(read("functions/hello/entry.ts")).toBe(
          readFileSync(path.join(project.root, "functions/hello/entry.ts"), "utf8"),
        );
        expect(JSON.parse(read("functions/email/send/function.jsonc"))).toEqual({
          access: "admin",
          timeout: 5000,
        });
        expect(read("functions/trial-reminder.js")).toContain("function handleTrialExpiration()");

        const redeploy = await cli(["deploy", "--json"], empty);
        expect(redeploy.code, redeploy.output).toBe(0);
        const statuses = jsonOf<Outcome[]>(redeploy.output).map((o) => [o.name, o.status]);
        expect(statuses).toEqual([
          ["broken", "unchanged"],
          ["email/send", "unchanged"],
          ["hello", "unchanged"],
          ["trial-reminder", "unchanged"],
        ]);

        // Pulling again, and into the original project (its commented function.jsonc included), writes nothing.
        const again = await cli(["pull"], empty);
        expect(again.output).toMatch(/^unchanged +hello$/m);
        const home = await cli(["pull", "email/send"], project.root);
        expect(home.output).toMatch(/^unchanged +email\/send$/m);
        expect(
          readFileSync(path.join(project.root, "functions/email/send/function.jsonc"), "utf8"),
        ).toContain("// nightly");
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    });

    it("--force deletes exactly the server functions missing from the project", async () => {
      const put = (name: string) =>
        server.api("PUT", `/api/functions/${name}`, {
          token: server.adminKey,
          body: { files: { "entry.ts": "export default () => 'server only';\n" } },
        });
      expect((await put("server-only")).status).toBe(200);
      expect((await put("nested/server-only")).status).toBe(200);
      rmSync(path.join(project.root, "functions/broken"), { recursive: true });

      const run = await cli(["deploy", "--force", "--json"], project.root);
      expect(run.code, run.output).toBe(0);
      const outcomes = jsonOf<Outcome[]>(run.output);
      expect(
        outcomes
          .filter((o) => o.status === "deleted")
          .map((o) => o.name)
          .sort(),
      ).toEqual(["broken", "nested/server-only", "server-only"]);
      expect(outcomes.filter((o) => o.status !== "deleted").every((o) => o.status === "unchanged")).toBe(
        true,
      );
      const list = await server.api("GET", "/api/functions", { token: server.adminKey });
      expect(list.body.items.map((f: { name: string }) => f.name)).toEqual([
        "email/send",
        "hello",
        "trial-reminder",
      ]);

      const named = await cli(["deploy", "hello", "--force"], project.root);
      expect(named.code).toBe(1);
      expect(named.output).toContain("--force deletes every server function missing from the project");
    });

    it("refuses the 51st function with the server's message, deploying the other 50", async () => {
      const many = tempProject(
        Object.fromEntries(
          Array.from({ length: 51 }, (_, i) => [
            `functions/f${i + 1}/entry.ts`,
            `export default () => ${i + 1};\n`,
          ]),
        ),
      );
      try {
        const run = await cli(["deploy", "--force", "--json"], many.root);
        expect(run.code).toBe(1);
        const outcomes = jsonOf<Outcome[]>(run.output);
        expect(outcomes.filter((o) => o.status === "deleted")).toHaveLength(3);
        expect(outcomes.filter((o) => o.status === "deployed")).toHaveLength(50);
        const refused = outcomes.filter((o) => o.status === "error");
        expect(refused).toHaveLength(1);
        expect(refused[0]!.error).toBe(
          "This project has 50 functions, the limit (functions.maxFunctions). Delete one you no longer need, " +
            "or raise server.functions.maxFunctions in backend.config.jsonc",
        );
      } finally {
        many.remove();
      }
    });
  });
});
