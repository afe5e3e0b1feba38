// `backend init`, run as a new user would: the real CLI in an empty folder.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, tempFolder, typeCheck } from "./dev/testing/cli.js";

describe("backend init", () => {
  const folders: { remove: () => void }[] = [];
  const newFolder = () => {
    const folder = tempFolder();
    folders.push(folder);
    return folder.dir;
  };
  afterEach(() => {
    for (const folder of folders.splice(0)) folder.remove();
  });

  it("creates a project with one example per form, config, tsconfig, .gitignore and types, and says what next", async () => {
    const dir = newFolder();
    const { code, output } = await runCli(["init", "my-app"], { cwd: dir });
    expect(code, output).toBe(0);
    const root = path.join(dir, "my-app");
    for (const file of [
      "functions/hello/entry.ts",
      "functions/hello/function.jsonc",
      "functions/trial-reminder.js",
      "functions/greet/entry.ts",
      "backend.config.jsonc",
      "tsconfig.json",
      "types/backend.d.ts",
      "types/functions.d.ts",
      "types/sdk/index.d.ts",
    ]) {
      expect(existsSync(path.join(root, file)), file).toBe(true);
    }
    expect(readFileSync(path.join(root, ".gitignore"), "utf8")).toBe(".backend/\nnode_modules/\n");
    expect(readFileSync(path.join(root, "functions/trial-reminder.js"), "utf8")).toContain(
      "function handleTrialExpiration() {",
    );
    expect(output).toContain("Next steps:\n  cd my-app\n  backend dev");
  });

  it("the generated project type-checks, and the declarations catch mistakes in functions", async () => {
    const dir = newFolder();
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const clean = await typeCheck(dir);
    expect(clean.output).toBe("");
    expect(clean.code).toBe(0);

    writeFileSync(
      path.join(dir, "functions/broken.ts"),
      [
        "export default async function () {",
        '  backend.sendEmail(42, "subject");',
        '  const greeting: number = backend.executeFunction("hello", { name: "Ada" }).message;',
        '  Deno.env.set("X", "y");',
        "  return greeting;",
        "}",
        "",
      ].join("\n"),
    );
    const broken = await typeCheck(dir);
    expect(broken.code).not.toBe(0);
    expect(broken.output).toMatch(/functions\/broken\.ts\(2,21\): error TS2345/);
    expect(broken.output).toMatch(
      /functions\/broken\.ts\(3,9\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
    expect(broken.output).toMatch(
      /functions\/broken\.ts\(4,12\): error TS2339: Property 'set' does not exist/,
    );
  });

  it("refuses to overwrite existing files, names them and writes nothing; --force overwrites", async () => {
    const dir = newFolder();
    writeFileSync(path.join(dir, "tsconfig.json"), "{}\n");
    writeFileSync(path.join(dir, ".gitignore"), "dist\n");

    const refused = await runCli(["init"], { cwd: dir });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain("already has tsconfig.json; nothing was written");
    expect(refused.output).toContain("--force");
    expect(existsSync(path.join(dir, "functions"))).toBe(false);
    expect(readFileSync(path.join(dir, "tsconfig.json"), "utf8")).toBe("{}\n");

    const forced = await runCli(["init", "--force"], { cwd: dir });
    expect(forced.code, forced.output).toBe(0);
    expect(readFileSync(path.join(dir, "tsconfig.json"), "utf8")).toContain('"moduleResolution": "Bundler"');
    // An existing .gitignore is kept and gets the lines it lacked.
    expect(readFileSync(path.join(dir, ".gitignore"), "utf8")).toBe("dist\n.backend/\nnode_modules/\n");
  });

  it("docs/dev.md shows the example function and the generated types as init writes them", async () => {
    const dir = newFolder();
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const doc = readFileSync(path.join(REPO_ROOT, "docs/dev.md"), "utf8");
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(readFileSync(path.join(dir, "functions/hello/entry.ts"), "utf8")).toContain(blocks[0]);
    const generated = blocks[1]!.replace("// types/functions.d.ts (generated)\n", "");
    expect(readFileSync(path.join(dir, "types/functions.d.ts"), "utf8")).toContain(generated);
  });
});
