// The Deliveries section and the Events page's test publish in a real Chromium against a real server:
// a function that throws unless its payload says ok is subscribed to order_placed; a test event
// published from the Events page fails and goes dead (retries set small), shows in Deliveries with
// its error and attempts, is replayed with an edited payload (checked first, refused when too large)
// and succeeds as a new delivery with its execution; Retry replays it unchanged. SQLite only, as
// dashboard.test.ts explains.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type TestServer } from "../../test/harness.js";
import {
  type DashboardPage,
  describeInBrowser,
  launchBrowser,
  openDashboard,
  openSection,
  signIn,
} from "./browser.js";

const HANDLER = `export default async function (event: { ok?: boolean; orderId?: number }) {
  if (!event.ok) throw new Error("order " + event.orderId + " is not ok");
  return { handled: event.orderId };
}
`;

/** Small enough for a test to go past it (events.payloadBytes). */
const PAYLOAD_BYTES = 400;

interface Delivery {
  id: string;
  eventId: string;
  function: string;
  status: string;
  attempts: number;
  lastError: string | null;
  executionId: string | null;
  replayOf: string | null;
  edited: boolean;
}

describeInBrowser("the Deliveries page in a browser", () => {
  let server: TestServer;
  let browser: Browser;
  let dash: DashboardPage;
  let page: Page;
  /** Set as the steps go. */
  let eventId = "";
  let failedId = "";
  let replayId = "";

  const deliveries = async (query = "") =>
    (await server.api("GET", `/api/deliveries${query}`, { token: server.adminKey })).body.items as Delivery[];
  const hash = () => decodeURIComponent(new URL(page.url()).hash);
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  beforeAll(async () => {
    server = await startServer("sqlite", {
      config: {
        events: { maxAttempts: 2, retryBaseMs: 20, retryMaxMs: 50, pollMs: 100, payloadBytes: PAYLOAD_BYTES },
      },
    });
    const deployed = await server.api("PUT", "/api/functions/order-handler", {
      token: server.adminKey,
      body: { files: { "entry.ts": HANDLER } },
    });
    expect(deployed.status).toBeLessThan(300);
    const subscribed = await server.api("POST", "/api/subscriptions", {
      token: server.adminKey,
      body: { event: "order_placed", function: "order-handler" },
    });
    expect(subscribed.status).toBe(201);
    browser = await launchBrowser();
    dash = await openDashboard(browser, server.url);
    page = dash.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("signs in and opens Deliveries, empty", async () => {
    await signIn(page, server.adminKey);
    await openSection(page, "Deliveries");
    expect(hash()).toBe("#/deliveries");
    await page.getByText("No deliveries yet").waitFor();
    await dash.screenshot("deliveries-01-empty");
    dash.expectNoErrors();
  });

  it("the Events page publishes a test event after checking its data, and shows the API's refusal of a system type", async () => {
    await openSection(page, "Events");
    await page.getByText("Publish a test event", { exact: true }).click();
    const form = page.getByRole("form", { name: "Publish a test event" });
    await form.waitFor();

    // A system type: the API refuses it (403), and says why.
    dash.allowConsoleError(/Failed to load resource: .*403/);
    await form.getByLabel("Event name", { exact: true }).fill("POST_USER_CREATE");
    await form.getByLabel("Data (JSON)", { exact: true }).fill("{}");
    await form.getByRole("button", { name: "Publish", exact: true }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("is a system event");
    await dash.screenshot("deliveries-02-publish-refused");

    // Data that is not JSON is caught before anything is sent.
    await form.getByLabel("Event name", { exact: true }).fill("order_placed");
    await form.getByLabel("Data (JSON)", { exact: true }).fill('{ "ok": false, ');
    await form.getByRole("button", { name: "Publish", exact: true }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("The data is not valid JSON");
    expect(await deliveries()).toEqual([]);

    // Nobody subscribes to this one: stored, delivered to no one.
    const published = form.getByTestId("published");
    await form.getByLabel("Event name", { exact: true }).fill("nobody_listens");
    await form.getByLabel("Data (JSON)", { exact: true }).fill("{}");
    await form.getByRole("button", { name: "Publish", exact: true }).click();
    await expect.poll(() => published.textContent()).toContain("0 deliveries");
    expect(await published.textContent()).toContain("No function is subscribed to it");
    expect(await published.getByRole("link").count()).toBe(0);

    await form.getByLabel("Event name", { exact: true }).fill("order_placed");
    await form.getByLabel("Data (JSON)", { exact: true }).fill('{ "ok": false, "orderId": 7 }');
    await form.getByRole("button", { name: "Publish", exact: true }).click();
    await expect.poll(() => published.textContent()).toContain("Published order_placed");
    expect(await published.textContent()).toContain(": 1 delivery.");
    const [delivery] = await deliveries();
    expect(delivery).toMatchObject({ function: "order-handler" });
    eventId = delivery!.eventId;
    failedId = delivery!.id;
    expect(await published.textContent()).toContain(eventId);
    expect(await form.getByRole("alert").count()).toBe(0);
    await dash.screenshot("deliveries-03-published");
    dash.expectNoErrors();
  });

  it("the event's failed delivery shows in Deliveries and goes dead after its attempts", async () => {
    await page.getByRole("link", { name: "See its deliveries" }).click();
    await page.getByRole("heading", { name: "Deliveries", exact: true, level: 1 }).waitFor();
    expect(hash()).toBe(`#/deliveries?event_id=${eventId}`);
    const row = page.locator(`[data-delivery="${failedId}"]`);
    await row.waitFor();
    // The list refreshes itself while the delivery is pending.
    await expect
      .poll(() => row.getByTestId("delivery-status").textContent(), { timeout: 15_000 })
      .toBe("dead");
    expect(await row.getByTestId("attempts").textContent()).toBe("2/2");
    expect(await row.textContent()).toContain("order 7 is not ok");
    expect(await row.textContent()).toContain("order_placed");
    expect(await deliveries("?status=dead")).toMatchObject([{ id: failedId, attempts: 2 }]);
    await dash.screenshot("deliveries-04-dead");

    const filters = page.getByRole("form", { name: "Filter deliveries" });
    await filters.getByLabel("Status", { exact: true }).selectOption("done");
    await page.getByText("No deliveries match these filters").waitFor();
    expect(hash()).toBe(`#/deliveries?status=done&event_id=${eventId}`);
    await dash.screenshot("deliveries-05-filtered-empty");

    await filters.getByLabel("Status", { exact: true }).selectOption("dead");
    await row.waitFor();
    expect(hash()).toBe(`#/deliveries?status=dead&event_id=${eventId}`);
    dash.expectNoErrors();
  });

  it("the delivery's page shows its payload, last error and each attempt's execution", async () => {
    await page.getByRole("link", { name: `Delivery ${failedId}` }).click();
    await page.getByRole("heading", { name: `Delivery ${failedId}` }).waitFor();
    expect(hash()).toBe(`#/deliveries/${failedId}`);
    expect(await page.getByTestId("delivery-status").textContent()).toBe("dead");
    expect(await page.getByTestId("attempts").textContent()).toBe("2 of 2");
    expect(JSON.parse((await page.getByTestId("payload").textContent())!)).toEqual({ ok: false, orderId: 7 });
    expect(await page.getByTestId("last-error").textContent()).toContain("order 7 is not ok");

    const attempts = page.getByRole("table", { name: "Executions of this delivery" }).locator("tbody tr");
    await expect.poll(() => attempts.count()).toBe(2);
    const executions = (
      await server.api("GET", `/api/executions?cause=${failedId}`, { token: server.adminKey })
    ).body.items as { id: string; status: string }[];
    expect(executions).toHaveLength(2);
    for (const execution of executions) {
      const link = page.getByRole("link", { name: execution.id });
      expect(await link.getAttribute("href")).toBe(`#/executions/${execution.id}`);
      expect(await page.locator(`[data-execution="${execution.id}"]`).textContent()).toContain("error");
    }
    await dash.screenshot("deliveries-06-detail-dead");
    dash.expectNoErrors();
  });

  it("a replay with an edited payload is checked, refused by the API when too large, and succeeds as a new delivery", async () => {
    await page.getByRole("button", { name: "Replay with edited payload" }).click();
    const form = page.getByRole("form", { name: "Replay with edited payload" });
    const payload = form.getByLabel("Payload (JSON)", { exact: true });
    expect(JSON.parse(await payload.inputValue())).toEqual({ ok: false, orderId: 7 });

    // Checked in the browser: nothing is sent.
    await payload.fill("[1, 2]");
    await form.getByRole("button", { name: "Replay", exact: true }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("must be a JSON object");
    await payload.fill('{ "ok": true');
    await form.getByRole("button", { name: "Replay", exact: true }).click();
    await expect.poll(() => form.getByRole("alert").textContent()).toContain("is not valid JSON");
    await dash.screenshot("deliveries-07-replay-invalid");
    expect(await deliveries()).toHaveLength(1);

    // Past events.payloadBytes: the API's 413, with its message.
    dash.allowConsoleError(/Failed to load resource: .*413/);
    await payload.fill(JSON.stringify({ ok: true, note: "x".repeat(PAYLOAD_BYTES) }));
    await form.getByRole("button", { name: "Replay", exact: true }).click();
    await expect
      .poll(() => form.getByRole("alert").textContent())
      .toContain(`events carry at most ${PAYLOAD_BYTES} bytes`);
    await dash.screenshot("deliveries-08-replay-refused");
    expect(await deliveries()).toHaveLength(1);

    await payload.fill('{ "ok": true, "orderId": 7 }');
    await form.getByRole("button", { name: "Replay", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Replayed with an edited payload" }).waitFor();
    expect(hash()).toMatch(/^#\/deliveries\/[^?]+\?replayed=1$/);
    replayId = hash().slice("#/deliveries/".length).split("?")[0]!;
    expect(replayId).not.toBe(failedId);
    await expect
      .poll(() => page.getByTestId("delivery-status").textContent(), { timeout: 15_000 })
      .toBe("done");
    expect(JSON.parse((await page.getByTestId("payload").textContent())!)).toEqual({ ok: true, orderId: 7 });
    expect(await page.getByRole("link", { name: failedId }).getAttribute("href")).toBe(
      `#/deliveries/${failedId}`,
    );

    const replay = (await deliveries()).find((d) => d.id === replayId);
    expect(replay).toMatchObject({ replayOf: failedId, edited: true, status: "done", attempts: 1 });
    const execution = await server.api("GET", `/api/executions/${replay!.executionId}`, {
      token: server.adminKey,
    });
    expect(execution.body).toMatchObject({ function: "order-handler", status: "success" });
    const attempt = page.locator(`[data-execution="${replay!.executionId}"]`);
    await attempt.waitFor();
    expect(await attempt.textContent()).toContain("success");
    expect(await attempt.getByRole("link").getAttribute("href")).toBe(`#/executions/${replay!.executionId}`);
    await dash.screenshot("deliveries-09-replayed-done");
    dash.expectNoErrors();
  });

  it("Retry delivers the original payload again, as a new delivery", async () => {
    await page.goto(`/#/deliveries/${failedId}`);
    await page.getByRole("heading", { name: `Delivery ${failedId}` }).waitFor();
    await page.getByRole("button", { name: "Retry", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Replayed: this is a new delivery" }).waitFor();
    const retryId = hash().slice("#/deliveries/".length).split("?")[0]!;
    expect([failedId, replayId]).not.toContain(retryId);
    expect(JSON.parse((await page.getByTestId("payload").textContent())!)).toEqual({ ok: false, orderId: 7 });
    await expect
      .poll(() => page.getByTestId("delivery-status").textContent(), { timeout: 15_000 })
      .toBe("dead");
    expect((await deliveries()).find((d) => d.id === retryId)).toMatchObject({
      replayOf: failedId,
      edited: false,
      status: "dead",
    });
    dash.expectNoErrors();
  });

  it("an unknown delivery shows the API's message", async () => {
    dash.allowConsoleError(/Failed to load resource: .*404.*\/api\/deliveries\/no-such-delivery/);
    await page.goto("/#/deliveries/no-such-delivery");
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain("No delivery with id 'no-such-delivery'");
    await dash.screenshot("deliveries-10-unknown");
    dash.expectNoErrors();
  });

  it("the list shows every delivery, filters by function from the URL, and fits a phone screen", async () => {
    await page.getByRole("link", { name: "← All deliveries" }).click();
    await page.getByRole("heading", { name: "Deliveries", exact: true, level: 1 }).waitFor();
    const rows = page.getByRole("table", { name: "Deliveries" }).locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(3);
    expect(
      await page.locator(`[data-delivery="${replayId}"]`).getByTestId("delivery-status").textContent(),
    ).toBe("done");

    const filters = page.getByRole("form", { name: "Filter deliveries" });
    await filters.getByLabel("Function", { exact: true }).fill("someone-else");
    await filters.getByRole("button", { name: "Filter", exact: true }).click();
    await page.getByText("No deliveries match these filters").waitFor();
    expect(hash()).toBe("#/deliveries?function=someone-else");
    await filters.getByLabel("Function", { exact: true }).fill("order-handler");
    await filters.getByRole("button", { name: "Filter", exact: true }).click();
    await expect.poll(() => rows.count()).toBe(3);
    expect(hash()).toBe("#/deliveries?function=order-handler");
    await dash.screenshot("deliveries-11-list");

    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await expect.poll(overflow).toBeLessThanOrEqual(0);
      await dash.screenshot("deliveries-12-phone-list");
      await page.getByRole("link", { name: `Delivery ${replayId}` }).click();
      await page.getByRole("heading", { name: `Delivery ${replayId}` }).waitFor();
      await expect.poll(overflow).toBeLessThanOrEqual(0);
      await dash.screenshot("deliveries-13-phone-detail");
      await openSection(page, "Events");
      await page.getByText("Publish a test event", { exact: true }).click();
      await page.getByRole("form", { name: "Publish a test event" }).waitFor();
      await expect.poll(overflow).toBeLessThanOrEqual(0);
      await dash.screenshot("deliveries-14-phone-publish");
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    dash.expectNoErrors();
  });
});
