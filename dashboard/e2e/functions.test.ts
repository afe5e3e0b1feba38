// The Functions section beyond the editor, in a real Chromium against a real server: the list's
// status and error-rate columns, a test run as an event handler, versions with their diff and a
// rollback, the health numbers, and a delete after a confirmation. Two versions and a few calls (one
// failing) are made through the API first. SQLite only, as dashboard.test.ts explains.
import { describe, expect, it } from "vitest";
import type { TestServer } from "../../test/harness.js";
import type { Execution as ApiExecution } from "../../src/sdk/index.js";
import { formatPercent, formatRate, percentile, runStats } from "../src/functions/runStats.js";
import { describeInBrowser, signIn, useDashboard } from "./browser.js";

const sourceOf = (greeting: string) => `export default async function (payload, context) {
  if (payload.fail) throw new Error("failed on purpose");
  return { greeting: "${greeting} " + payload.name, trigger: context.trigger };
}
`;

interface Execution {
  function: string;
  version: number;
  status: string;
  durationMs: number | null;
}

async function prepare(server: TestServer): Promise<void> {
  const token = server.adminKey;
  for (const greeting of ["Hello", "Hi"]) {
    const deployed = await server.api("PUT", "/api/functions/greeter", {
      token,
      body: { files: { "entry.ts": sourceOf(greeting) } },
    });
    expect(deployed.status).toBe(200);
  }
  const quiet = await server.api("PUT", "/api/functions/quiet", {
    token,
    body: { files: { "entry.ts": "export default () => 1;" } },
  });
  expect(quiet.status).toBe(200);
  // Two calls that succeed, then one that fails: the last run's status is "error", the error rate 1 in 3.
  for (const payload of [{ name: "Ada" }, { name: "Grace" }, { fail: true }]) {
    const call = await server.api("POST", "/api/functions/greeter/invoke", { token, body: payload });
    expect(call.status).toBe(payload.fail ? 500 : 200);
  }
}

describe("the numbers of the list and the health view", () => {
  const run = (version: number, status: ApiExecution["status"], durationMs: number | null) =>
    ({ function: "f", version, status, durationMs }) as ApiExecution;

  it("leave test runs out, and running runs out of the error rate and the p95", () => {
    const stats = runStats([
      run(1, "success", 10),
      run(1, "error", 30),
      run(2, "timeout", 20),
      run(2, "running", null),
      run(0, "error", 999),
    ]);
    expect(stats).toEqual({
      calls: 4,
      failed: 2,
      finished: 3,
      running: 1,
      testRuns: 1,
      errorRate: 2 / 3,
      p95Ms: 30,
    });
    expect(runStats([run(0, "success", 1)])).toMatchObject({ calls: 0, errorRate: null, p95Ms: null });
  });

  it("take the nearest-rank p95 and format rates for reading", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBeNull();
    expect(formatPercent(1 / 3)).toBe("33%");
    expect(formatPercent(0.004)).toBe("0.4%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatRate(3 / 1440)).toBe("0.0021");
    expect(formatRate(250.4)).toBe("250");
  });
});

describeInBrowser("the Functions section in a browser", () => {
  const suite = useDashboard(prepare);
  const api = (method: string, path: string, body?: unknown) =>
    suite.server.api(method, path, { token: suite.server.adminKey, ...(body === undefined ? {} : { body }) });

  it("lists each function with its last run's status and its error rate", async () => {
    const { page, dash, server } = suite;
    await signIn(page, server.adminKey);
    const greeter = page.locator('[data-function="greeter"]');
    await greeter.waitFor();
    await expect.poll(() => greeter.getByTestId("error-rate").textContent()).toBe("33% (1 of 3)");
    expect(await greeter.getByTestId("last-status").textContent()).toBe("error");
    expect(await greeter.textContent()).toContain("v2");
    expect(await greeter.getByTestId("error-rate").getAttribute("title")).toContain("last 24 hours");
    const quiet = page.locator('[data-function="quiet"]');
    expect(await quiet.getByTestId("error-rate").textContent()).toBe("no runs");
    expect(await quiet.getByTestId("last-status").textContent()).toBe("—");
    expect(await quiet.getByTestId("last-run").textContent()).toBe("never");
    const headers = await page.getByRole("columnheader").allTextContents();
    expect(headers).toEqual([
      "Name",
      "Triggers",
      "Version",
      "Last run",
      "Status",
      "Error rate (24 h)",
      "Updated",
    ]);
    await dash.screenshot("functions-01-list");
    dash.expectNoErrors();
  });

  it("test-runs the edited code as the handler of an event type", async () => {
    const { page, dash } = suite;
    await page.getByRole("link", { name: "greeter", exact: true }).click();
    await page.getByRole("heading", { name: "greeter", level: 1 }).waitFor();
    await page.locator(".cm-content").waitFor();
    expect(await page.getByRole("tab", { name: "Code" }).getAttribute("aria-selected")).toBe("true");
    await page.getByLabel("Run as event (optional)").fill("order_placed");
    await page.getByLabel("Event data (JSON)").fill('{ "name": "Lin" }');
    await page.getByRole("button", { name: "Run test" }).click();
    const result = page.getByTestId("test-result");
    await result.waitFor();
    expect(await result.textContent()).toContain('"greeting": "Hi Lin"');
    expect(await result.textContent()).toContain('"trigger": "event"');
    await dash.screenshot("functions-02-test-run-event");

    // A bad event type is refused in the page, before any request.
    await page.getByLabel("Run as event (optional)").fill("not an event");
    await page.getByRole("button", { name: "Run test" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("is not an event type");
    await page.getByLabel("Run as event (optional)").fill("");
    dash.expectNoErrors();
  });

  it("shows the versions and the diff of version 1 against the active one", async () => {
    const { page, dash } = suite;
    await page.getByRole("tab", { name: "Versions" }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#/functions/greeter?tab=versions");
    const v2 = page.locator('tr[data-version="2"]');
    const v1 = page.locator('tr[data-version="1"]');
    await v2.waitFor();
    expect(await v2.textContent()).toContain("active");
    expect(await v1.textContent()).not.toContain("active");
    // v1 is compared by default: its line is removed, v2's added.
    await page.getByRole("heading", { name: "Changes from version 1 to version 2 (active)" }).waitFor();
    const diff = page.locator('[data-file="entry.ts"]');
    const removed = diff.locator(".cm-deletedChunk");
    await removed.first().waitFor();
    expect(await removed.allTextContents()).toEqual([expect.stringContaining('greeting: "Hello "')]);
    expect(await diff.locator(".cm-changedLine").allTextContents()).toEqual([
      expect.stringContaining('greeting: "Hi "'),
    ]);
    // The config did not change.
    expect(await page.getByTestId("diff").textContent()).toContain("Unchanged: config (function.jsonc)");
    await dash.screenshot("functions-03-versions-diff");

    // Against the editor's text: an edit not deployed shows up in the diff.
    await page.getByRole("tab", { name: "Code" }).click();
    await page.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.insertText("// not deployed yet\n");
    await page.getByRole("tab", { name: "Versions" }).click();
    await page.getByLabel("the editor's text").check();
    await page.getByRole("heading", { name: "Changes from version 1 to the editor's text" }).waitFor();
    await expect
      .poll(() => page.locator('[data-file="entry.ts"] .cm-changedLine').allTextContents())
      .toContain("// not deployed yet");
    await dash.screenshot("functions-04-diff-editor");
    await page.getByLabel("the active version (v2)").check();
    dash.expectNoErrors();
  });

  it("rolls back to version 1 after a confirmation", async () => {
    const { page, dash } = suite;
    await page.getByRole("button", { name: "Roll back to version 1" }).click();
    const dialog = page.getByRole("dialog", { name: "Roll back greeter to version 1?" });
    await dialog.waitFor();
    await dash.screenshot("functions-05-rollback-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await api("GET", "/api/functions/greeter/versions")).body.activeVersion).toBe(2);

    await page.getByRole("button", { name: "Roll back to version 1" }).click();
    await dialog.getByRole("button", { name: "Roll back", exact: true }).click();
    await page.getByText("Version 1 is active (was 2).").waitFor();
    await page.getByText(/^Version 1 · user · deployed/).waitFor();
    await expect.poll(() => page.locator('tr[data-version="1"]').textContent()).toContain("active");
    expect(await page.locator('tr[data-version="2"]').textContent()).not.toContain("active");
    // The diff now shows what the rollback changed: version 2 against version 1, which runs.
    await page.getByRole("heading", { name: "Changes from version 2 to version 1 (active)" }).waitFor();
    await expect
      .poll(() => page.locator('[data-file="entry.ts"] .cm-changedLine').allTextContents())
      .toEqual([expect.stringContaining('greeting: "Hello "')]);
    const versions = await api("GET", "/api/functions/greeter/versions");
    expect(versions.body.activeVersion).toBe(1);
    const call = await api("POST", "/api/functions/greeter/invoke", { name: "Ada" });
    expect(call.body.greeting).toBe("Hello Ada");
    await dash.screenshot("functions-06-rolled-back");
    dash.expectNoErrors();
  });

  it("shows the health numbers the calls add up to, for the hour and the day", async () => {
    const { page, dash } = suite;
    const executions = (await api("GET", "/api/executions?function=greeter&limit=1000")).body
      .items as Execution[];
    const deployed = executions.filter((run) => run.version > 0);
    // Three calls from the setup, one after the rollback; the test run is left out.
    expect(deployed).toHaveLength(4);
    expect(executions.filter((run) => run.version === 0)).toHaveLength(1);
    const durations = deployed.map((run) => run.durationMs!).sort((a, b) => a - b);
    const p95 = durations[Math.ceil(0.95 * durations.length) - 1]!;

    // The tabs follow the arrow keys, as tabs do.
    await page.getByRole("tab", { name: "Versions" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => new URL(page.url()).hash).toBe("#/functions/greeter?tab=health");
    expect(
      await page.getByRole("tab", { name: "Health" }).evaluate((tab) => tab === document.activeElement),
    ).toBe(true);
    const stats = page.getByRole("definition");
    await page.getByTestId("calls").waitFor();
    expect(await page.getByTestId("calls").textContent()).toBe("4");
    expect(await page.getByTestId("error-rate").textContent()).toBe("25% 1 of 4 failed");
    expect(await page.getByTestId("calls-per-minute").textContent()).toBe("0.067");
    const shownP95 = await page.getByTestId("p95-duration").textContent();
    expect(shownP95).toBe(p95 < 10 ? `${p95.toFixed(1)} ms` : `${Math.round(p95)} ms`);
    expect(await stats.count()).toBe(4);
    expect(await page.getByText("1 test run from the editor is left out.", { exact: false }).count()).toBe(1);
    const runs = await page.getByRole("link", { name: "These runs in Executions" }).getAttribute("href");
    expect(runs).toMatch(/^#\/executions\?function=greeter&since=\d{4}-/);
    await dash.screenshot("functions-07-health-hour");

    await page.getByLabel("Window").selectOption({ label: "Last 24 hours" });
    await expect.poll(() => page.getByTestId("calls-per-minute").textContent()).toBe("0.0028");
    expect(await page.getByTestId("calls").textContent()).toBe("4");
    expect(await page.getByTestId("error-rate").textContent()).toBe("25% 1 of 4 failed");
    await dash.screenshot("functions-08-health-day");
    dash.expectNoErrors();
  });

  it("fits a phone-width screen: the list, the versions and the health", async () => {
    const { page, dash } = suite;
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.getByTestId("calls").waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await dash.screenshot("functions-09-phone-health");
      await page.getByRole("tab", { name: "Versions" }).click();
      await page.locator('[data-file="entry.ts"] .cm-changedLine').first().waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await dash.screenshot("functions-10-phone-versions");
      await page
        .getByRole("navigation", { name: "Sections" })
        .getByRole("link", { name: "Functions" })
        .click();
      await page.locator('[data-function="greeter"]').waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await dash.screenshot("functions-11-phone-list");
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    dash.expectNoErrors();
  });

  it("deletes the function after a confirmation, cancelled once", async () => {
    const { page, dash } = suite;
    await page.getByRole("link", { name: "greeter", exact: true }).click();
    await page.getByRole("heading", { name: "greeter", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete greeter?" });
    await dialog.waitFor();
    await dash.screenshot("functions-12-delete-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await api("GET", "/api/functions/greeter")).status).toBe(200);

    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("heading", { name: "Functions", level: 1 }).waitFor();
    await page.locator('[data-function="quiet"]').waitFor();
    expect(await page.locator('[data-function="greeter"]').count()).toBe(0);
    expect((await api("GET", "/api/functions/greeter")).status).toBe(404);
    await dash.screenshot("functions-13-deleted");
    dash.expectNoErrors();
  });
});
