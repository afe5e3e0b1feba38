// Reading a project folder: discovery, configs and the files each function carries (no server needed).
import { afterEach, describe, expect, it } from "vitest";
import { loadProject } from "./loadProject.js";
import { ProjectError } from "./projectError.js";
import { type TempProject, tempProject } from "./testing/tempProject.js";

let project: TempProject | undefined;
afterEach(() => project?.remove());

const open = (files: Record<string, string>) => {
  project = tempProject(files);
  return loadProject(project.root);
};

describe("loadProject", () => {
  it("finds folder, single-file and nested functions; _shared/ and test files are not functions", async () => {
    const loaded = await open({
      "functions/hello/entry.ts":
        'import { shout } from "../_shared/text.ts";\nexport default () => shout("hi");\n',
      "functions/hello/unused.ts": "export const x = 1;\n",
      "functions/_shared/text.ts":
        'import { bang } from "./bang.ts";\nexport const shout = (s: string) => bang(s.toUpperCase());\n',
      "functions/_shared/bang.ts": "export const bang = (s: string) => s + '!';\n",
      "functions/_shared/other.ts": "export const other = 1;\n",
      "functions/trial-reminder.js": "function handleTrialExpiration() {}\n",
      "functions/email/send/entry.ts": "export default () => 'sent';\n",
      "functions/email/welcome.ts": "export const config = { access: 'admin' };\nexport default () => 1;\n",
      "functions/email/welcome.test.ts": "// a test, not a function\n",
      "functions/types.d.ts": "declare const x: number;\n",
      "functions/README.md": "# not code\n",
    });
    expect(loaded.functions.map((f) => [f.name, f.kind])).toEqual([
      ["email/send", "folder"],
      ["email/welcome", "file"],
      ["hello", "folder"],
      ["trial-reminder", "file"],
    ]);
    const hello = loaded.functions.find((f) => f.name === "hello")!;
    expect(Object.keys(hello.files)).toEqual(["_shared/bang.ts", "_shared/text.ts", "entry.ts"]);
    expect(hello.error).toBeUndefined();
    const welcome = loaded.functions.find((f) => f.name === "email/welcome")!;
    expect(welcome.config).toEqual({ access: "admin" });
    expect(Object.keys(welcome.files)).toEqual(["welcome.ts"]);
  });

  it("reads function.jsonc: its name, its entry and its comments", async () => {
    const loaded = await open({
      "functions/report/function.jsonc":
        '{\n  // nightly\n  "name": "nightly-report",\n  "entry": "main.ts",\n  "timeout": 5000,\n}\n',
      "functions/report/main.ts": "export default () => 1;\n",
    });
    expect(loaded.functions).toHaveLength(1);
    expect(loaded.functions[0]).toMatchObject({
      name: "nightly-report",
      config: { name: "nightly-report", entry: "main.ts", timeout: 5000 },
      files: { "main.ts": "export default () => 1;\n" },
    });
    expect(loaded.functions[0]!.entryFile.endsWith("main.ts")).toBe(true);
  });

  it("reports an invalid function.jsonc with file, line and field, and loads the other functions", async () => {
    const loaded = await open({
      "functions/bad/entry.ts": "export default () => 1;\n",
      "functions/bad/function.jsonc":
        '{\n  "access": "admin",\n  "triggers": {\n    "schedules": [{ "schedule": "daily", "timezone": "Mars/Olympus" }],\n  },\n  "timout": 5,\n}\n',
      "functions/good/entry.ts": "export default () => 1;\n",
    });
    const bad = loaded.functions.find((f) => f.name === "bad")!;
    expect(bad.error).toBeInstanceOf(ProjectError);
    expect(bad.error!.message).toBe(
      "functions/bad/function.jsonc:4: triggers.schedules[0].timezone is not an IANA time zone such as Europe/Paris or UTC\n" +
        "functions/bad/function.jsonc:6: timout is not a known field (name, entry, access, timeout, memory, triggers, automations)",
    );
    expect(bad.error).toMatchObject({
      file: "functions/bad/function.jsonc",
      line: 4,
      field: "triggers.schedules[0].timezone",
    });
    expect(loaded.functions.find((f) => f.name === "good")!.error).toBeUndefined();

    const syntax = await open({ "functions/x/function.jsonc": '{\n  "access": ,\n}\n' });
    expect(syntax.functions[0]!.error!.message).toBe(
      "functions/x/function.jsonc:2:13: a value is expected here (ValueExpected)",
    );
  });

  it("reports a bad exported config at its declaration, and clashing names on both functions", async () => {
    const loaded = await open({
      "functions/a.ts": "// a\n\nexport const config = { memory: 2 };\nexport default () => 1;\n",
      "functions/b/entry.ts": "export default () => 1;\n",
      "functions/b.ts": "export default () => 2;\n",
    });
    expect(loaded.functions.find((f) => f.name === "a")!.error!.message).toBe(
      "functions/a.ts:3: (export const config) memory must be at least 8 MB",
    );
    const clashes = loaded.functions.filter((f) => f.name === "b");
    expect(clashes).toHaveLength(2);
    for (const fn of clashes)
      expect(fn.error!.message).toMatch(/^Two functions are named 'b' \(functions\/b, functions\/b\.ts\)/);
  });

  it("reads backend.config.jsonc: the functions folder and the server URL; a bad one names its line", async () => {
    const loaded = await open({
      "backend.config.jsonc":
        '{\n  "functionsDir": "src/fns",\n  "serverUrl": "http://10.0.0.1:8787/",\n  "server": { "port": 9000 },\n}\n',
      "src/fns/hi.ts": "export default () => 1;\n",
    });
    expect(loaded.serverUrl).toBe("http://10.0.0.1:8787");
    expect(loaded.functions.map((f) => f.name)).toEqual(["hi"]);
    project!.remove();
    await expect(open({ "backend.config.jsonc": '{\n  "functionsDir": "..",\n}\n' })).rejects.toThrow(
      /^backend\.config\.jsonc:2: functionsDir must be a folder inside the project/,
    );
    project!.remove();
    await expect(open({ "backend.config.jsonc": '{\n  "serverUrl": 8787\n}\n' })).rejects.toMatchObject({
      message: expect.stringMatching(/^backend\.config\.jsonc:2: serverUrl must be the server's URL/),
      line: 2,
      field: "serverUrl",
    });
    project!.remove();
    expect((await open({})).functions).toEqual([]);
  });
});
