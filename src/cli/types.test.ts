// `backend types generate`: calls by name are checked in the app's own code, and in functions.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempFolder, typeCheck } from "./dev/testing/cli.js";

// The SDK types a call to a name it does not know once it has `FunctionsTyping` (see the report of
// issue 4): until then only payloads and results are checked there, not the names.
const sdkChecksNames = readFileSync(path.join(REPO_ROOT, "dist/sdk/functions.d.ts"), "utf8").includes(
  "FunctionsTyping",
);

describe("backend types generate", () => {
  const folder = tempFolder();
  const dir = folder.dir;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };

  beforeAll(async () => {
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    write(
      "functions/quote/entry.ts",
      [
        "export interface Payload { items: { price: number }[] }",
        "export type Result = { total: number };",
        "export default async function (event: Payload): Promise<Result> {",
        "  return { total: event.items.reduce((sum, item) => sum + item.price, 0) };",
        "}",
        "",
      ].join("\n"),
    );
  }, 30_000);
  afterAll(() => folder.remove());

  it("writes the project's function names with the Payload and Result types their entries export", async () => {
    const { code, output } = await runCli(["types", "generate"], { cwd: dir });
    expect(code, output).toBe(0);
    expect(output).toContain("written types/functions.d.ts (4 functions)");
    const types = readFileSync(path.join(dir, "types/functions.d.ts"), "utf8");
    expect(types).toContain(
      '"quote": { payload: import("../functions/quote/entry.js").Payload; result: import("../functions/quote/entry.js").Result };',
    );
    expect(types).toContain('"greet": { payload: unknown; result: unknown };');
    const again = await runCli(["types", "generate"], { cwd: dir });
    expect(again.output).toContain("unchanged types/functions.d.ts");
  });

  it("a right name and payload pass tsc; a wrong name or payload fails, in the app and in functions", async () => {
    await runCli(["types", "generate"], { cwd: dir });
    // App code that uses the SDK, in the project's own program (tsconfig includes types/).
    const app = [
      'import { createClient } from "backend";',
      'const client = createClient({ url: "http://localhost:8787" });',
      'const { total } = await client.executeFunction("quote", { items: [{ price: 2 }] });',
      "const sum: number = total;",
      'const { message } = await client.functions.invoke("hello", { name: "Ada" });',
      "export const shown: string = message + sum;",
      'await client.executeFunction("quote", { items: [{ cost: 2 }] });',
      'await client.executeFunction("qoute", { items: [] });',
      "",
    ];
    write("functions/_shared/app.ts", app.join("\n"));
    write(
      "functions/caller.ts",
      [
        "export default async function () {",
        '  const { total } = backend.executeFunction("quote", { items: [{ price: 1 }] });',
        '  backend.executeFunction("qoute", {});',
        "  return total;",
        "}",
        "",
      ].join("\n"),
    );
    const { output } = await typeCheck(dir);
    const errors = output.split("\n").filter((line) => line.includes("error TS"));
    const at = (file: string, line: number) => errors.filter((e) => e.startsWith(`${file}(${line},`));
    // The right calls type-check.
    for (const line of [3, 4, 5, 6]) expect(at("functions/_shared/app.ts", line), output).toEqual([]);
    expect(at("functions/caller.ts", 2), output).toEqual([]);
    // A wrong payload and a wrong name fail.
    expect(at("functions/_shared/app.ts", 7)[0]).toContain("'cost' does not exist");
    expect(at("functions/caller.ts", 3)[0]).toContain(`Argument of type '"qoute"' is not assignable`);
    if (sdkChecksNames) expect(at("functions/_shared/app.ts", 8)[0]).toContain(`'"qoute"'`);
    expect(errors.length, output).toBe(sdkChecksNames ? 3 : 2);
  });

  it("--out writes the file where asked, with imports relative to it", async () => {
    const { code, output } = await runCli(["types", "generate", "--out", "web/src/backend-functions.d.ts"], {
      cwd: dir,
    });
    expect(code, output).toBe(0);
    const types = readFileSync(path.join(dir, "web/src/backend-functions.d.ts"), "utf8");
    expect(types).toContain('import("../../functions/quote/entry.js").Payload');
  });
});
