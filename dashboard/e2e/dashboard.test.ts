// The dashboard in a real Chromium against a real server: sign in, write a function in the editor,
// test-run and deploy it, subscribe it to POST_RECORD_CREATE with priority 5, see its run in the
// live tail when a record is created through the API, and change the subscription. SQLite only:
// the dashboard reaches the store through the HTTP API alone, whose own tests run on both stores,
// so a PostgreSQL run here would repeat a minute of browser work to test nothing new.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type TestServer } from "../../test/harness.js";
import { type DashboardPage, describeInBrowser, launchBrowser, openDashboard } from "./browser.js";

const FUNCTION_SOURCE = `export default async function (payload: { name?: string }) {
  console.log("greeting " + payload.name);
  return { greeting: "Hi " + payload.name };
}
`;

/** Replaces the whole document of the CodeMirror editor, as a paste would. */
async function replaceEditorText(page: Page, text: string): Promise<void> {
  const editor = page.locator(".cm-content");
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(text);
}

describeInBrowser("dashboard in a browser", () => {
  let server: TestServer;
  let browser: Browser;
  let dash: DashboardPage;
  let page: Page;

  beforeAll(async () => {
    server = await startServer("sqlite");
    browser = await launchBrowser();
    dash = await openDashboard(browser, server.url);
    page = dash.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("a wrong admin key shows the API's message, and the right one opens Functions", async () => {
    await page.goto("/");
    await expect.poll(() => page.getByRole("heading", { name: "Sign in to backend" }).isVisible()).toBe(true);
    await dash.screenshot("01-login");

    // The refused key is a 401 from the API, which Chromium logs as a failed resource.
    dash.allowConsoleError(/Failed to load resource: .*401.*\/api\/functions/);
    await page.getByLabel("Admin key", { exact: true }).fill("not-the-admin-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain("Invalid or expired token: log in again");
    await dash.screenshot("02-login-refused");

    await page.getByLabel("Admin key", { exact: true }).fill(server.adminKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Functions" }).waitFor();
    expect(new URL(page.url()).hash).toBe("#/functions");
    await page.getByText("No functions yet").waitFor();
    await dash.screenshot("03-functions-empty");
    dash.expectNoErrors();
  });

  it("a new function is written in the editor with completion for backend, test-run and deployed", async () => {
    await page.getByRole("button", { name: "New function" }).click();
    await page.getByLabel("Name").fill("greeter");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "greeter" }).waitFor();
    await page.locator(".cm-content").waitFor();
    expect(new URL(page.url()).hash).toBe("#/functions/greeter?draft=1");

    // Completion lists the runtime API after `backend.`.
    await page.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+End");
    await page.keyboard.type("\nbackend.");
    const completions = page.locator(".cm-tooltip-autocomplete");
    await completions.waitFor();
    await expect.poll(() => completions.textContent()).toContain("sendEmail");
    expect(await completions.textContent()).toContain("publishEvent");
    await dash.screenshot("04-function-completion");
    await page.keyboard.press("Escape");

    await replaceEditorText(page, FUNCTION_SOURCE);
    await page.getByLabel("Payload (JSON)").fill('{ "name": "Ada" }');
    await page.getByRole("button", { name: "Run test" }).click();
    const result = page.getByTestId("test-result");
    await result.waitFor();
    expect(await result.textContent()).toContain('"greeting": "Hi Ada"');
    expect(await result.locator(".log-message").allTextContents()).toContain("greeting Ada");
    expect(await result.textContent()).toMatch(/in [\d.]+ ms/);
    await dash.screenshot("05-function-test-run");
    // A test run deploys nothing.
    expect((await server.api("GET", "/api/functions", { token: server.adminKey })).body.items).toEqual([]);

    await page.getByRole("button", { name: "Deploy" }).click();
    await page.getByText("Deployed version 1.").waitFor();
    await expect.poll(() => new URL(page.url()).hash).toBe("#/functions/greeter");
    await page.getByText(/^Version 1 · admin · deployed/).waitFor();
    const deployed = await server.api("GET", "/api/functions/greeter", { token: server.adminKey });
    expect(deployed.body.files["entry.ts"]).toBe(FUNCTION_SOURCE);
    await dash.screenshot("06-function-deployed");

    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Functions" }).click();
    const row = page.getByRole("row", { name: /greeter/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("v1");
    await dash.screenshot("07-functions-list");
    dash.expectNoErrors();
  });

  const subscriptions = async () =>
    (await server.api("GET", "/api/subscriptions?event=POST_RECORD_CREATE", { token: server.adminKey })).body
      .items;

  it("the function is subscribed to POST_RECORD_CREATE with priority 5", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Events" }).click();
    const type = page.locator('[data-event-type="POST_RECORD_CREATE"]');
    const count = type.getByTestId("subscriber-count");
    await count.waitFor();
    expect(await count.textContent()).toBe("0 subscribers");
    expect(await type.textContent()).toContain("After a record is created");
    await dash.screenshot("08-events");

    await type.getByRole("button", { expanded: false }).click();
    await type.getByText("No function is subscribed").waitFor();
    await type.getByLabel("Function", { exact: true }).selectOption("greeter");
    await type.getByLabel("Priority", { exact: true }).fill("5");
    await type.getByRole("button", { name: "Subscribe", exact: true }).click();
    const row = type.locator('[data-subscription="greeter"]');
    await row.waitFor();
    await expect.poll(() => count.textContent()).toBe("1 subscriber");
    expect(await row.getByLabel("Priority of greeter").inputValue()).toBe("5");
    expect(await subscriptions()).toMatchObject([{ function: "greeter", priority: 5, active: true }]);
    await dash.screenshot("09-events-subscribed");
    dash.expectNoErrors();
  });

  it("a record created through the API shows the function's run in the live tail", async () => {
    await page
      .getByRole("navigation", { name: "Sections" })
      .getByRole("link", { name: "Executions" })
      .click();
    const tail = page.getByRole("region", { name: "Live tail" });
    await tail.getByRole("button", { name: "Start live tail" }).click();
    await tail.getByText("No new runs yet.").waitFor();
    const created = await server.api("POST", "/api/records/notes", {
      token: server.adminKey,
      body: { title: "from the API" },
    });
    expect(created.status).toBe(201);
    const run = tail.locator('tr[data-function="greeter"][data-status="success"]');
    await run.waitFor();
    expect(await run.textContent()).toContain("event");
    // The line the function logged, from the log stream.
    await run.getByText("greeting").waitFor();
    await dash.screenshot("09b-executions-live-tail");
    await tail.getByRole("button", { name: "Stop" }).click();
    dash.expectNoErrors();
  });

  it("the subscription is paused, its priority changed, and it is unsubscribed after confirming", async () => {
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Events" }).click();
    const type = page.locator('[data-event-type="POST_RECORD_CREATE"]');
    const count = type.getByTestId("subscriber-count");
    await expect.poll(() => count.textContent()).toBe("1 subscriber");
    if ((await type.getByRole("button", { expanded: false }).count()) > 0) {
      await type.getByRole("button", { expanded: false }).click();
    }
    const row = type.locator('[data-subscription="greeter"]');
    await row.waitFor();

    await row.getByLabel("greeter is active").click();
    await expect.poll(() => count.textContent()).toBe("1 subscriber (1 paused)");
    await row.getByText("Paused").waitFor();
    expect(await subscriptions()).toMatchObject([{ function: "greeter", active: false }]);

    await row.getByLabel("Priority of greeter").fill("7");
    await row.getByLabel("Priority of greeter").press("Tab");
    await expect.poll(async () => (await subscriptions())[0]?.priority).toBe(7);
    await dash.screenshot("10-events-paused");

    await row.getByRole("button", { name: "Unsubscribe", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Unsubscribe greeter?" });
    await dialog.waitFor();
    await dash.screenshot("11-events-confirm-unsubscribe");
    await dialog.getByRole("button", { name: "Unsubscribe", exact: true }).click();
    await type.getByText("No function is subscribed").waitFor();
    await expect.poll(() => count.textContent()).toBe("0 subscribers");
    expect(await subscriptions()).toEqual([]);
    dash.expectNoErrors();
  });

  it("by keyboard: the skip link focuses the page without changing the route, and links focus the new page", async () => {
    await page.goto("/#/events");
    // A fresh page load, so the first Tab starts from the top of the document.
    await page.reload();
    await page.getByRole("heading", { name: "Events", exact: true }).waitFor();
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(new URL(page.url()).hash).toBe("#/events");

    const nav = page.getByRole("navigation", { name: "Sections" });
    await nav.getByRole("link", { name: "Schedules", exact: true }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Schedules", exact: true }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(await nav.getByRole("link", { name: "Schedules", exact: true }).getAttribute("aria-current")).toBe(
      "page",
    );
    dash.expectNoErrors();
  });

  it("at phone width the pages fit the screen", async () => {
    const phone = await openDashboard(browser, server.url, { width: 390, height: 844 });
    try {
      // The session lives in sessionStorage, per tab: this new tab signs in again.
      await phone.page.goto("/#/events");
      await phone.page.getByLabel("Admin key", { exact: true }).fill(server.adminKey);
      await phone.page.getByRole("button", { name: "Sign in" }).click();
      await phone.page.getByRole("heading", { name: "Events" }).waitFor();
      await phone.page.locator('[data-event-type="POST_RECORD_CREATE"]').waitFor();
      const overflow = () =>
        phone.page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
      expect(await overflow()).toBeLessThanOrEqual(0);
      await phone.screenshot("13-phone-events");

      await phone.page.goto("/#/functions/greeter");
      await phone.page.locator(".cm-content").waitFor();
      expect(await overflow()).toBeLessThanOrEqual(0);
      await phone.screenshot("14-phone-function");
      phone.expectNoErrors();
    } finally {
      await phone.close();
    }
  });

  it("signing out returns to the login page, and a reload stays signed out", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { name: "Sign in to backend" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Sign in to backend" }).waitFor();
    dash.expectNoErrors();
  });
});
