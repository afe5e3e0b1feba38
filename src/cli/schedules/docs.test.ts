// docs/schedules.md and the schedules part of docs/cli.md are true: the phrase table is the
// grammar's own list with the crons it makes, the settings table is the config's defaults, every
// subcommand has its section, the function.jsonc examples deploy (with the schedule names the page
// gives), and every `backend schedules next` shown prints what the page says, on Monday 2027-01-04 at
// 13:00 UTC.
import { readFileSync } from "node:fs";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { configSchema } from "../../config/config.js";
import { ManualClock } from "../../core/clock.js";
import { deploy } from "../../functions/invoke/testing/deploy.js";
import { parseExpression } from "../../schedules/expressions/parseExpression.js";
import { ACCEPTED_PHRASES } from "../../schedules/expressions/phrases.js";
import { clockCommand } from "../clock.js";
import { schedulesCommand } from "../schedules.js";
import { cliOf } from "../testing/runCli.js";

const schedulesPage = readFileSync(new URL("../../../docs/schedules.md", import.meta.url), "utf8");
const cliPage = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");

/** The text of a `## heading` section of the page, up to the next `## `. */
function section(page: string, heading: string): string {
  const start = page.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`no '## ${heading}' section`);
  const end = page.indexOf("\n## ", start + 1);
  return page.slice(start, end < 0 ? undefined : end);
}

/** Table rows whose first cell is `code`: the cells without their backticks. */
function codeRows(text: string): string[][] {
  return [...text.matchAll(/^\| `([^`]+)` *\|(.*)\|$/gm)].map((m) => [
    m[1]!,
    ...m[2]!.split("|").map((cell) => cell.trim().replace(/^`|`$/g, "")),
  ]);
}

/** `$ backend schedules next ...` lines of the ```sh blocks, each with the output shown under it. */
function nextExamples(page: string): { args: string[]; output: string }[] {
  const found: { args: string[]; output: string }[] = [];
  for (const [, block] of page.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines = block!.split("\n");
    lines.forEach((line, i) => {
      if (!line.startsWith("$ backend schedules next ")) return;
      const rest = lines.slice(i + 1);
      const end = rest.findIndex((l) => l.startsWith("$ ") || l === "");
      found.push({ args: shellWords(line.slice(2)).slice(1), output: `${rest.slice(0, end).join("\n")}\n` });
    });
  }
  return found;
}

/** The words of a command line, with '...' and "..." quoting. */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

describe("docs/schedules.md", () => {
  it("lists every accepted phrase with its cron, in the grammar's order", () => {
    const rows = codeRows(section(schedulesPage, "Phrases")).map(([phrase, cron]) => [phrase, cron]);
    expect(rows).toEqual(ACCEPTED_PHRASES.map((phrase) => [phrase, parseExpression(phrase).cron]));
  });

  it("lists every schedules setting with its default", () => {
    const defaults = configSchema.parse({}).schedules as Record<string, unknown>;
    const rows = codeRows(section(schedulesPage, "Settings"));
    expect(Object.fromEntries(rows.map(([name, value]) => [name, value]))).toEqual(
      Object.fromEntries(Object.entries(defaults).map(([key, value]) => [`schedules.${key}`, String(value)])),
    );
  });
});

describe("docs/cli.md", () => {
  it("has a section for every schedules subcommand and a row for every clock subcommand", () => {
    const headings = [...cliPage.matchAll(/^### `backend schedules (\S+)`?.*$/gm)].map((m) => m[0]);
    for (const command of schedulesCommand().commands.map((c) => c.name())) {
      expect(
        headings.some((h) => h.includes(`backend schedules ${command}`)),
        command,
      ).toBe(true);
    }
    const clock = section(cliPage, "`backend clock ...`");
    for (const command of clockCommand().commands.map((c) => c.name()))
      expect(clock, command).toMatch(new RegExp(`\`backend clock ${command}|clock ${command}\``));
  });
});

forEachStore((store) => {
  describe("the examples of docs/schedules.md and docs/cli.md", () => {
    let server: TestServer;
    let cli: ReturnType<typeof cliOf>;

    beforeAll(async () => {
      server = await startServer(store, { clock: new ManualClock(new Date("2027-01-04T13:00:00Z")) });
      cli = cliOf(server);
    });
    afterAll(async () => server?.close());

    it("function.jsonc examples deploy, with the schedule names the page gives", async () => {
      const names: Record<string, string[]> = {
        "daily-report": ["daily-report"],
        nightly: ["nightly", "nightly-full"],
        automations: ["Daily-report", "Every-other-Monday", "Launch-mail"],
      };
      const examples = [...schedulesPage.matchAll(/```jsonc example=([\w-]+)\n([\s\S]*?)\n```/g)];
      expect(examples.map((m) => m[1])).toEqual(Object.keys(names));
      for (const [, name, text] of examples) {
        await deploy(
          server,
          name!,
          `export default async function () {}`,
          parse(text!) as Record<string, unknown>,
        );
        const { body } = await server.api("GET", `/api/schedules?function=${name}`, {
          token: server.adminKey,
        });
        expect(body.items.map((s: { name: string }) => s.name).sort(), name).toEqual(names[name!]);
      }
    });

    it("`backend schedules next` prints what the pages show", async () => {
      const examples = [...nextExamples(schedulesPage), ...nextExamples(cliPage)];
      expect(examples.length).toBeGreaterThanOrEqual(4);
      for (const { args, output } of examples) {
        expect(await cli(...args), args.join(" ")).toMatchObject({ code: 0, output });
      }
    });
  });
});
