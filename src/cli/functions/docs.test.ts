// docs/cli.md documents every `backend functions` subcommand, under a heading with its usage.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { functionsCommand } from "../functions.js";

const page = readFileSync(new URL("../../../docs/cli.md", import.meta.url), "utf8");

describe("docs/cli.md", () => {
  it("has a section for every functions subcommand", () => {
    const headings = [...page.matchAll(/^## `backend functions (\S+)/gm)].map((m) => m[1]);
    const commands = functionsCommand().commands.map((c) => c.name());
    expect(headings.sort()).toEqual(commands.sort());
  });
});
