// Functions deployed from a project run as written: helpers from _shared/ and packages from the
// project's node_modules, stack traces pointing at the developer's lines, versions and rollback,
// the seed 000 flow (create a file, update it) and scripts run with `exec`. The real CLI against a
// real server, on both stores.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { type TempProject, tempProject } from "../../project/testing/tempProject.js";
import { jsonOf, projectCli } from "./testing/projectCli.js";

/** Tests that run the CLI ten times or more: each run is a process start (~2 s on a loaded machine). */
const SPAWNS_TEN_CLIS_MS = 90_000;

forEachStore((store) => {
  describe("functions deployed from a project", () => {
    let server: TestServer;
    let cli: ReturnType<typeof projectCli>;
    let project: TempProject;

    beforeAll(async () => {
      server = await startServer(store);
      cli = projectCli(server);
      project = tempProject({
        "node_modules/tiny-slug/package.json":
          '{ "name": "tiny-slug", "version": "1.0.0", "main": "index.js" }\n',
        "node_modules/tiny-slug/index.js":
          "module.exports = (s) => s.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-');\n",
        "functions/_shared/greeting.ts":
          "export const greet = (name: string): string => `Hello, ${name}!`;\n",
        "functions/slugger/entry.ts": [
          'import slug from "tiny-slug";',
          'import { greet } from "../_shared/greeting.ts";',
          "",
          "export default async function (event: { title: string }) {",
          "  return { slug: slug(event.title), greeting: greet(event.title) };",
          "}",
          "",
        ].join("\n"),
        "functions/boom/entry.ts": [
          "// Fails on purpose: line 6 throws.",
          "interface Input { reason?: string }",
          "",
          "export default function (event: Input) {",
          '  console.error(new Error("logged on line 5").stack);',
          '  throw new Error(event.reason ?? "thrown on line 6");',
          "}",
          "",
        ].join("\n"),
      });
      const deployed = await cli(["deploy"], project.root);
      expect(deployed.code, deployed.output).toBe(0);
    });
    afterAll(async () => {
      project?.remove();
      await server?.close();
    });

    it("a function importing _shared/ helpers and a package of the project runs", async () => {
      const run = await cli(["invoke", "slugger", "-d", '{"title":"Trial Ends Today"}']);
      expect(run.code, run.output).toBe(0);
      expect(JSON.parse(run.output)).toEqual({
        slug: "trial-ends-today",
        greeting: "Hello, Trial Ends Today!",
      });
    });

    it("log lines point at the lines of entry.ts, through the source map built on this machine", async () => {
      const run = await cli(["invoke", "boom"]);
      expect(run.code).toBe(1);
      expect(run.output).toContain("thrown on line 6");
      const logs = await cli(["logs", "boom", "--json"]);
      const messages = logs.output
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { message: string }).message);
      expect(messages.join("\n")).toContain("functions/boom/entry.ts:5:");
    });

    // The runtime maps the thrown error's stack; the execution must keep it as a log line
    // (src/functions/invoke/invokeFunction.ts) for this to pass.
    it("an error thrown on line 6 of entry.ts is logged with entry.ts:6", async () => {
      await cli(["invoke", "boom", "-d", '{"reason":"stack please"}']);
      const logs = await cli(["logs", "boom", "--level", "error"]);
      expect(logs.output).toMatch(/stack please[\s\S]*functions\/boom\/entry\.ts:6:/);
    });

    it(
      "versions lists each deploy and rollback restores the previous behaviour",
      async () => {
        project.write({
          "functions/slugger/entry.ts":
            'import slug from "tiny-slug";\nexport default (event: { title: string }) => ({ slug: `v2-${slug(event.title)}` });\n',
        });
        const update = await cli(["update", "slugger"], project.root);
        expect(update.output).toMatch(/^deployed +slugger +version 2$/m);
        const invoke = async () =>
          JSON.parse((await cli(["invoke", "slugger", "-d", '{"title":"A B"}'])).output) as { slug: string };
        expect((await invoke()).slug).toBe("v2-a-b");

        const versions = jsonOf<{ activeVersion: number; items: { version: number; active: boolean }[] }>(
          (await cli(["versions", "slugger", "--json"])).output,
        );
        expect(versions.activeVersion).toBe(2);
        expect(versions.items.map((v) => [v.version, v.active])).toEqual([
          [2, true],
          [1, false],
        ]);

        const rollback = await cli(["rollback", "slugger"]);
        expect(rollback.code, rollback.output).toBe(0);
        expect(rollback.output).toContain("slugger: version 1 runs now (was version 2)");
        expect((await invoke()).slug).toBe("a-b");
        const forward = await cli(["rollback", "slugger", "2", "--json"]);
        expect(jsonOf<{ version: number }>(forward.output).version).toBe(2);
        expect((await invoke()).slug).toBe("v2-a-b");
        const bad = await cli(["rollback", "slugger", "latest"]);
        expect(bad.code).toBe(1);
        expect(bad.output).toContain("The version must be a whole number such as 3, not 'latest'");
      },
      SPAWNS_TEN_CLIS_MS,
    );

    it(
      "seed 000's flow: create trial-reminder.js deploys it, update redeploys it, list shows it",
      async () => {
        const file = path.join(project.root, "trial-reminder.js");
        writeFileSync(
          file,
          "// This function runs every day at 9 AM\nfunction handleTrialExpiration() {\n  return 'v1';\n}\n",
        );
        const created = await cli(["create", file], project.root);
        expect(created.code, created.output).toBe(0);
        expect(created.output).toContain("to functions/trial-reminder.js");
        expect(created.output).toMatch(/^deployed +trial-reminder +version 1$/m);
        expect(JSON.parse((await cli(["invoke", "trial-reminder"])).output)).toBe("v1");

        writeFileSync(
          file,
          "// This function runs every day at 9 AM\nfunction handleTrialExpiration() {\n  return 'v2';\n}\n",
        );
        const updated = await cli(["update", file], project.root);
        expect(updated.output).toMatch(/^deployed +trial-reminder +version 2$/m);
        expect(JSON.parse((await cli(["invoke", "trial-reminder"])).output)).toBe("v2");

        const list = jsonOf<{ name: string; access: string; lastRun?: { status: string } }[]>(
          (await cli(["list", "--json"])).output,
        );
        expect(list.map((f) => f.name)).toEqual(["boom", "slugger", "trial-reminder"]);
        expect(list.find((f) => f.name === "trial-reminder")!.lastRun?.status).toBe("success");
        const table = await cli(["list"]);
        expect(table.output).toMatch(/^NAME +VERSION +ACCESS +TRIGGERS +LAST RUN$/m);
        expect(table.output).toMatch(/^boom +1 +user +- +error \d+[smhd] ago \(call, \d+ ms\)$/m);

        const scaffold = await cli(["create", "email/welcome"], project.root);
        expect(scaffold.output).toContain("Created functions/email/welcome/entry.ts");
        const again = await cli(["create", "email/welcome"], project.root);
        expect(again.code).toBe(1);
        expect(again.output).toContain("The project already has 'email/welcome'");
      },
      SPAWNS_TEN_CLIS_MS,
    );

    it("exec runs a TypeScript script with an admin client and passes its exit code on", async () => {
      project.write({
        "scripts/check.ts": [
          'import { createClient } from "backend";',
          'import slug from "tiny-slug";',
          'const result = (await backend.executeFunction("slugger", { title: process.argv[2]! })) as { slug: string };',
          'console.log(`slug=${result.slug} pkg=${slug("X Y")} sdk=${typeof createClient}`);',
          "process.exit(Number(process.argv[3] ?? 0));",
          "",
        ].join("\n"),
      });
      const script = path.join(project.root, "scripts/check.ts");
      const ok = await cli(["exec", script, "Hello World"], project.root);
      expect(ok.code, ok.output).toBe(0);
      expect(ok.output).toContain("slug=v2-hello-world pkg=x-y sdk=function");
      const failing = await cli(["exec", script, "x", "3"], project.root);
      expect(failing.code).toBe(3);
    });

    it("delete removes functions from the server and says which are still in the project", async () => {
      const run = await cli(["delete", "boom", "nope"], project.root);
      expect(run.code).toBe(1);
      expect(run.output).toMatch(/^deleted +boom$/m);
      expect(run.output).toMatch(/^error +nope +No function named 'nope'$/m);
      expect(run.output).toContain("Still in the project (the next deploy brings them back): functions/boom");
      expect((await server.api("GET", "/api/functions/boom", { token: server.adminKey })).status).toBe(404);
    });
  });
});
