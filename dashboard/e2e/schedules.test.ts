// The Schedules page in a real Chromium against a real server: a function deployed through the API
// is scheduled "Daily at 9 AM" in Europe/Paris from the create form (after its live preview), shows
// in the list with its next run, and is switched off. SQLite only, as dashboard.test.ts explains.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type TestServer } from "../../test/harness.js";
import { type DashboardPage, describeInBrowser, launchBrowser, openDashboard } from "./browser.js";

describeInBrowser("the Schedules page in a browser", () => {
  let server: TestServer;
  let browser: Browser;
  let dash: DashboardPage;
  let page: Page;

  const schedules = async () =>
    (await server.api("GET", "/api/schedules", { token: server.adminKey })).body.items as {
      name: string;
      function: string;
      cron: string | null;
      timezone: string;
      active: boolean;
      nextRunAt: string | null;
    }[];

  beforeAll(async () => {
    server = await startServer("sqlite");
    const deployed = await server.api("PUT", "/api/functions/nightly", {
      token: server.adminKey,
      body: { files: { "entry.ts": "export default () => 1;" } },
    });
    expect(deployed.status).toBeLessThan(300);
    browser = await launchBrowser();
    dash = await openDashboard(browser, server.url);
    page = dash.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("signs in and opens Schedules, empty", async () => {
    await page.goto("/");
    await page.getByLabel("Admin key", { exact: true }).fill(server.adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Functions" }).waitFor();
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Schedules" }).click();
    await page.getByRole("heading", { name: "Schedules" }).waitFor();
    expect(new URL(page.url()).hash).toBe("#/schedules");
    await page.getByText("No schedules yet").waitFor();
    await dash.screenshot("schedules-01-empty");
    dash.expectNoErrors();
  });

  it('previews "Daily at 9 AM" in Europe/Paris and creates it', async () => {
    const form = page.getByRole("form", { name: "Create a schedule" });
    expect(await form.getByLabel("Function", { exact: true }).inputValue()).toBe("nightly");
    await form.getByLabel("Time zone", { exact: true }).fill("Europe/Paris");
    await form.getByLabel("Schedule", { exact: true }).fill("Daily at 9 AM");
    await form.getByLabel("Name (optional)", { exact: true }).fill("nightly");
    const cron = form.getByTestId("preview-cron");
    await cron.waitFor();
    expect(await cron.textContent()).toBe("0 9 * * *");
    expect(await form.getByTestId("schedule-preview").textContent()).toContain("Europe/Paris");
    expect(await form.getByTestId("preview-next-runs").locator("li").count()).toBeGreaterThan(0);
    await dash.screenshot("schedules-02-preview");

    await form.getByRole("button", { name: "Create", exact: true }).click();
    const row = page.locator('[data-schedule="nightly"]');
    await row.waitFor();
    expect(await row.textContent()).toContain("Daily at 9 AM");
    expect(await row.textContent()).toContain("0 9 * * *");
    expect(await row.textContent()).toContain("Europe/Paris");
    expect(await row.getByTestId("next-run").textContent()).not.toBe("—");
    const [created] = await schedules();
    expect(created).toMatchObject({
      name: "nightly",
      function: "nightly",
      cron: "0 9 * * *",
      timezone: "Europe/Paris",
      active: true,
    });
    expect(created?.nextRunAt).not.toBeNull();
    await dash.screenshot("schedules-03-created");
    dash.expectNoErrors();
  });

  it("switches the schedule off", async () => {
    const row = page.locator('[data-schedule="nightly"]');
    await row.getByLabel("nightly is active").click();
    await row.getByText("Inactive").waitFor();
    await expect.poll(async () => (await schedules())[0]?.active).toBe(false);
    expect(await row.getByLabel("nightly is active").isChecked()).toBe(false);
    await dash.screenshot("schedules-04-inactive");
    dash.expectNoErrors();
  });

  it("runs it now and shows the run in its history, with its execution", async () => {
    const row = page.locator('[data-schedule="nightly"]');
    await row.getByRole("button", { name: "History of nightly" }).click();
    const history = page.locator('[data-history="nightly"]');
    await history.getByText("No runs yet").waitFor();
    await dash.screenshot("schedules-05-history-empty");

    await row.getByRole("button", { name: "Run now" }).click();
    await page.getByRole("status").filter({ hasText: "Ran nightly" }).waitFor();
    const tick = history.locator("tbody tr");
    await expect.poll(() => tick.count()).toBe(1);
    expect(await tick.textContent()).toContain("by hand");
    expect(await tick.locator(".status").textContent()).toBe("done");
    const ticks = (await server.api("GET", "/api/schedules/nightly/ticks", { token: server.adminKey })).body
      .items as { executionId: string; manual: boolean }[];
    expect(ticks).toHaveLength(1);
    expect(await tick.getByRole("link", { name: "execution" }).getAttribute("href")).toBe(
      `#/executions/${ticks[0]!.executionId}`,
    );
    await dash.screenshot("schedules-06-history");
    dash.expectNoErrors();
  });

  it("deletes the schedule after confirming, and cancelling keeps it", async () => {
    const row = page.locator('[data-schedule="nightly"]');
    await row.getByRole("button", { name: "Delete nightly" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete the schedule nightly?" });
    await dialog.waitFor();
    await dash.screenshot("schedules-07-confirm-delete");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await schedules()).toHaveLength(1);

    await row.getByRole("button", { name: "Delete nightly" }).click();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByText("No schedules yet").waitFor();
    expect(await schedules()).toEqual([]);
    // Its history stays.
    const ticks = await server.api("GET", "/api/schedules/nightly/ticks", { token: server.adminKey });
    expect(ticks.status).toBe(200);
    expect(ticks.body.items).toHaveLength(1);
    dash.expectNoErrors();
  });
});
