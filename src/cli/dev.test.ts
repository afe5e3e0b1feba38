// `backend dev`, tried the way a new user tries it: the real CLI, spawned in a new project folder.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../sdk/index.js";
import { type DevProcess, runCli, spawnDev, tempFolder } from "./dev/testing/cli.js";

describe("backend dev outside a project", () => {
  it("says it is not in a project and creates nothing", async () => {
    const folder = tempFolder();
    try {
      const { code, output } = await runCli(["dev", "--port", "0"], { cwd: folder.dir });
      expect(code).toBe(1);
      expect(output).toContain("is not a backend project");
      expect(output).toContain("backend init");
      expect(readdirSync(folder.dir)).toEqual([]);
    } finally {
      folder.remove();
    }
  });
});

describe("backend dev in a project made by backend init", () => {
  const folder = tempFolder();
  const hello = path.join(folder.dir, "functions/hello/entry.ts");
  let dev: DevProcess;

  const invoke = async (name: string, payload: unknown) => {
    const response = await fetch(`${dev.url}/api/functions/${name}/invoke`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(payload),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  /** Rewrites hello's entry and waits for the redeploy it causes; answers how long that took. */
  const saveHello = async (edit: (source: string) => string, expected: RegExp) => {
    const mark = dev.mark();
    const started = performance.now();
    writeFileSync(hello, edit(readFileSync(hello, "utf8")));
    await dev.waitFor(expected, { from: mark });
    return performance.now() - started;
  };

  beforeAll(async () => {
    const init = await runCli(["init"], { cwd: folder.dir });
    expect(init.code, init.output).toBe(0);
    dev = await spawnDev(folder.dir);
  }, 30_000);

  afterAll(async () => {
    try {
      if (dev) expect(await dev.stop("SIGTERM")).toBe(0);
    } finally {
      folder.remove();
    }
  });

  it("starts a local server, deploys every example function and says how to reach it", () => {
    const out = dev.output();
    expect(out).toMatch(/admin key for this session: BACKEND_ADMIN_KEY=bk_dev_/);
    for (const name of ["hello", "greet", "trial-reminder"])
      expect(out).toMatch(new RegExp(`DEV\\s+${name} deployed v1`));
  });

  it("runs each example function, in each of its forms", async () => {
    expect(await invoke("hello", { name: "Ada" })).toEqual({ status: 200, body: { message: "Hello, Ada!" } });
    const admin = createClient({ url: dev.url, token: dev.adminKey });
    expect(await admin.executeFunction("greet", { name: "Grace" })).toEqual({ message: "Hello, Grace!" });
    expect(await admin.functions.invoke("trial-reminder")).toEqual({ reminded: 0 });
  });

  it("a saved edit is live within a second, and its log line shows in the terminal", async () => {
    const mark = dev.mark();
    await invoke("hello", { name: "Ada" });
    await dev.waitFor(/\d\d:\d\d:\d\d\.\d{3} INFO {2}hello hello was called \(call\)/, { from: mark });

    const took = await saveHello(
      (s) => s.replace("Hello, ", "Howdy, ").replace("hello was called", "howdy was called"),
      /DEV\s+hello deployed v2/,
    );
    expect(took).toBeLessThan(1000);
    const after = dev.mark();
    expect(await invoke("hello", { name: "Ada" })).toEqual({ status: 200, body: { message: "Howdy, Ada!" } });
    await dev.waitFor(/INFO {2}hello howdy was called \(call\)/, { from: after });
    await dev.waitFor(/DONE {2}hello call ok in/, { from: after });
    // Only the edited function was redeployed.
    expect(dev.since(mark)).not.toMatch(/(greet|trial-reminder) deployed/);
  });

  it("a deploy error is printed with its file and line, and the last good version keeps serving", async () => {
    await saveHello(
      (s) => s.replace("return {", "return {{ ;"),
      /ERROR hello deploy failed: .*functions\/hello\/entry\.ts:\d+/,
    );
    expect(await invoke("hello", { name: "Ada" })).toEqual({ status: 200, body: { message: "Howdy, Ada!" } });
    // The fix restores what runs: nothing new to deploy, and dev says so.
    await saveHello(
      (s) => s.replace("return {{ ;", "return {"),
      /DEV\s+hello unchanged v2 \(the version running\)/,
    );
  });

  it("an error thrown by a function is printed with its stack, mapped to the line of entry.ts", async () => {
    await saveHello(
      (s) =>
        s.replace(
          "  return { message",
          '  if (event.name === "boom") throw new Error("boom!");\n  return { message',
        ),
      /DEV\s+hello deployed v3/,
    );
    const line =
      readFileSync(hello, "utf8")
        .split("\n")
        .findIndex((l) => l.includes("boom!")) + 1;
    const mark = dev.mark();
    expect((await invoke("hello", { name: "boom" })).status).toBe(500);
    // The source-mapped stack is the execution's last log line; then how the run ended.
    const printed = await dev.waitFor(/ERROR hello Error: boom!\n(\s+at .*\n)+/, { from: mark });
    await dev.waitFor(/ERROR hello call failed \(error\) in [^:]+: boom!/, { from: mark });
    expect(printed[0]).toContain(`functions/hello/entry.ts:${line}:`);
    expect(printed[0]).not.toContain("backend:prelude");
  });

  it("a change in _shared/ redeploys the functions that import it, and a deleted function is removed", async () => {
    const shared = path.join(folder.dir, "functions/_shared/greeting.ts");
    mkdirSync(path.dirname(shared), { recursive: true });
    let mark = dev.mark();
    writeFileSync(shared, "export const greeting = (name: string) => `Hi, ${name}!`;\n");
    await dev.waitFor(/DEV {3}no changes to deploy/, { from: mark });

    await saveHello(
      (s) =>
        `import { greeting } from "../_shared/greeting.js";\n${s.replace(/return \{ message: .*\};/, 'return { message: greeting(event.name ?? "world") };')}`,
      /DEV\s+hello deployed v4/,
    );
    mark = dev.mark();
    writeFileSync(shared, "export const greeting = (name: string) => `Hey, ${name}!`;\n");
    await dev.waitFor(/DEV\s+hello deployed v5/, { from: mark });
    expect(await invoke("hello", { name: "Ada" })).toEqual({ status: 200, body: { message: "Hey, Ada!" } });
    expect(dev.since(mark)).not.toMatch(/(greet|trial-reminder) (deployed|unchanged)/);

    mark = dev.mark();
    rmSync(path.join(folder.dir, "functions/greet"), { recursive: true });
    await dev.waitFor(/DEV\s+greet removed/, { from: mark });
    expect((await invoke("greet", {})).status).toBe(404);
  });
});
