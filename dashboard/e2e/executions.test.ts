// The Executions section in a real Chromium against a real server: a function subscribed to
// POST_RECORD_CREATE with priority 5 (and a PRE handler on PRE_RECORD_CREATE) is set up through the
// API; the live tail is started, a record is created through the API, and the handler's run appears
// in the tail and finishes. Its detail shows the input (the record, as kept with the run), the
// returned value, the logged line and the causal chain (request -> PRE handler -> the write ->
// POST_RECORD_CREATE -> delivery -> run).
// The table is then filtered by function and by status. SQLite only, as dashboard.test.ts explains.
import { expect, it } from "vitest";
import type { TestServer } from "../../test/harness.js";
import { describeInBrowser, openSection, signIn, useDashboard } from "./browser.js";

async function ok(server: TestServer, method: string, path: string, body?: unknown) {
  const answer = await server.api(method, path, { token: server.adminKey, ...(body ? { body } : {}) });
  expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
  return answer.body;
}

const NOTIFY = `export default async function (event) {
  console.log(\`new \${event.collection} record \${event.record.title}\`);
  return { seen: event.record.id };
}`;

describeInBrowser("the Executions page in a browser", () => {
  const suite = useDashboard(async (server) => {
    await ok(server, "PUT", "/api/functions/notify-team", { files: { "entry.ts": NOTIFY } });
    await ok(server, "PUT", "/api/functions/check-order", {
      files: { "entry.ts": "export default () => ({ allow: true });" },
    });
    await ok(server, "PUT", "/api/functions/slow", {
      files: {
        "entry.ts":
          "export default async () => { await new Promise((r) => setTimeout(r, 2500)); return 1; };",
      },
    });
    await ok(server, "PUT", "/api/functions/tick", { files: { "entry.ts": "export default () => 1;" } });
    await ok(server, "PUT", "/api/functions/flaky", {
      files: { "entry.ts": 'export default () => { throw new Error("failed on purpose"); };' },
    });
    await ok(server, "POST", "/api/subscriptions", {
      event: "POST_RECORD_CREATE",
      function: "notify-team",
      priority: 5,
    });
    await ok(server, "POST", "/api/subscriptions", { event: "PRE_RECORD_CREATE", function: "check-order" });
    // Earlier history for the table: one failed call.
    const failed = await server.api("POST", "/api/functions/flaky/invoke", {
      token: server.adminKey,
      body: {},
    });
    expect(failed.status).toBe(500);
  });

  const executions = async (query: string) =>
    (await suite.server.api("GET", `/api/executions?${query}`, { token: suite.server.adminKey })).body as {
      items: { id: string; function: string; status: string }[];
    };

  let recordId = "";
  let runId = "";

  it("opens Executions with the history table", async () => {
    const { page, server, dash } = suite;
    await signIn(page, server.adminKey);
    await openSection(page, "Executions");
    expect(new URL(page.url()).hash).toBe("#/executions");
    const table = page.getByRole("table", { name: "Executions" });
    await table.locator('tr[data-function="flaky"]').waitFor();
    expect(await table.locator('tr[data-function="flaky"]').getAttribute("data-status")).toBe("error");
    expect(await table.locator('tr[data-function="flaky"]').textContent()).toContain("failed on purpose");
    await dash.screenshot("executions-01-table");
    dash.expectNoErrors();
  });

  it("shows a record's POST_RECORD_CREATE handler run live in the tail", async () => {
    const { page, server, dash } = suite;
    const tail = page.getByRole("region", { name: "Live tail" });
    await tail.getByRole("button", { name: "Start live tail" }).click();
    await tail.getByRole("button", { name: "Pause" }).waitFor();
    await tail.getByText("No new runs yet.").waitFor();
    await dash.screenshot("executions-02-tail-waiting");

    const record = (await ok(server, "POST", "/api/records/orders", { title: "first order" })) as {
      id: string;
    };
    recordId = record.id;
    const row = tail.locator('tr[data-function="notify-team"]');
    await row.waitFor();
    await expect.poll(() => row.getAttribute("data-status")).toBe("success");
    expect(await row.textContent()).toContain("new orders record first order");
    expect(await row.textContent()).toContain("event");
    expect(await row.textContent()).toMatch(/\d+(\.\d)? ms/);
    // The PRE handler ran inside the request, also after the tail started.
    await tail.locator('tr[data-function="check-order"][data-status="success"]').waitFor();
    // The failed call before the tail is not news.
    expect(await tail.locator('tr[data-function="flaky"]').count()).toBe(0);
    runId = (await row.getAttribute("data-execution"))!;
    const [stored] = (await executions("function=notify-team")).items;
    expect(stored?.id).toBe(runId);
    await dash.screenshot("executions-03-tail-run");
    await page.setViewportSize({ width: 390, height: 844 });
    await dash.screenshot("executions-03b-tail-run-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
    dash.expectNoErrors();
  });

  it("pauses the tail, and catches up on resume", async () => {
    const { page, server, dash } = suite;
    const tail = page.getByRole("region", { name: "Live tail" });
    await tail.getByRole("button", { name: "Pause" }).click();
    await tail.getByText("Paused.").waitFor();
    await ok(server, "POST", "/api/records/orders", { title: "second order" });
    await expect.poll(async () => (await executions("function=notify-team")).items.length).toBe(2);
    expect(await tail.locator('tr[data-function="notify-team"]').count()).toBe(1);
    await tail.getByRole("button", { name: "Resume" }).click();
    await expect.poll(() => tail.locator('tr[data-function="notify-team"]').count()).toBe(2);
    // Its line was printed while paused: read back on resume.
    await tail.getByText("new orders record second order").waitFor();
    dash.expectNoErrors();
  });

  it("shows a run that is still going as running, then its outcome", async () => {
    const { page, server, dash } = suite;
    const tail = page.getByRole("region", { name: "Live tail" });
    const call = ok(server, "POST", "/api/functions/slow/invoke", {});
    const row = tail.locator('tr[data-function="slow"]');
    await row.waitFor();
    expect(await row.getAttribute("data-status")).toBe("running");
    expect(await row.textContent()).toContain("running…");
    await dash.screenshot("executions-04-tail-running");
    await call;
    await expect.poll(() => row.getAttribute("data-status")).toBe("success");
    expect(await row.textContent()).toMatch(/\d\.\d\d s/);
    dash.expectNoErrors();
  });

  it("opens the run's detail: input, result, the log line and the causal chain", async () => {
    const { page, dash } = suite;
    const tail = page.getByRole("region", { name: "Live tail" });
    await tail.locator(`tr[data-execution="${runId}"]`).getByRole("link").click();
    await page.getByRole("heading", { name: "Executions", level: 1 }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/executions/${runId}`);
    await page.getByRole("heading", { name: "Summary" }).waitFor();

    const summary = page.getByRole("region", { name: "Summary" });
    expect(await summary.textContent()).toContain("notify-team");
    expect(await summary.textContent()).toContain("Version1");
    expect(await summary.textContent()).toContain("Triggerevent");
    expect(await summary.textContent()).toContain("Statussuccess");

    const input = page.getByTestId("run-input");
    await input.waitFor();
    const payload = JSON.parse((await input.textContent())!) as {
      collection: string;
      record: { id: string; title: string };
    };
    expect(payload).toMatchObject({ collection: "orders", record: { id: recordId, title: "first order" } });
    const inputPanel = page.getByRole("region", { name: "Input" });
    expect(await inputPanel.textContent()).toContain("POST_RECORD_CREATE event, delivery attempt 1");
    expect(JSON.parse((await page.getByTestId("run-result").textContent())!)).toEqual({ seen: recordId });

    const logs = page.getByRole("list", { name: "Log lines" });
    expect(await logs.locator("li").count()).toBe(1);
    expect(await logs.locator("li.log-info").textContent()).toContain("new orders record first order");

    const chain = page.getByRole("list", { name: "Causal chain" });
    const steps = chain.locator("li.chain-step");
    await steps.first().waitFor();
    const kinds = await steps.evaluateAll((items) => items.map((li) => li.getAttribute("data-kind")));
    expect(kinds).toEqual(["request", "execution", "write", "event", "delivery", "execution"]);
    const write = chain.locator('li[data-kind="write"]');
    expect(await write.textContent()).toContain(`record ${recordId} created in orders`);
    expect(await chain.locator('li[data-kind="event"]').textContent()).toContain("POST_RECORD_CREATE");
    expect(await chain.locator('li[aria-current="step"]').textContent()).toContain("notify-team");
    const pre = chain.getByRole("link", { name: "check-order (PRE)" });
    await dash.screenshot("executions-05-detail");

    await page.setViewportSize({ width: 390, height: 844 });
    await dash.screenshot("executions-06-detail-phone");
    await page.setViewportSize({ width: 1280, height: 800 });

    // The PRE handler's run is a link in the chain.
    await pre.click();
    await page.getByRole("heading", { name: "check-order" }).waitFor();
    const preInput = page.getByRole("region", { name: "Input" });
    expect(await preInput.textContent()).toContain("PRE_RECORD_CREATE event");
    expect(JSON.parse((await page.getByTestId("run-input").textContent())!)).toMatchObject({
      collection: "orders",
      record: { title: "first order" },
    });
    expect(JSON.parse((await page.getByTestId("run-result").textContent())!)).toEqual({ allow: true });
    await page.getByText("This run printed nothing").waitFor();
    dash.expectNoErrors();
  });

  it("filters the table by function and by status, in the URL", async () => {
    const { page, dash } = suite;
    await openSection(page, "Executions");
    // The tail went on while the detail was open.
    const tail = page.getByRole("region", { name: "Live tail" });
    await tail.getByRole("button", { name: "Pause" }).waitFor();
    expect(await tail.locator('tr[data-function="notify-team"]').count()).toBe(2);

    const form = page.getByRole("form", { name: "Filter executions" });
    await form.getByLabel("Function", { exact: true }).fill("notify-team");
    await form.getByRole("button", { name: "Filter", exact: true }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#/executions?function=notify-team");
    // The tail follows the filter: it starts again, for that function only.
    await tail.getByText("Live (of notify-team)").waitFor();
    await tail.getByRole("button", { name: "Stop" }).click();
    await tail.getByRole("button", { name: "Start live tail" }).waitFor();
    const table = page.getByRole("table", { name: "Executions" });
    await expect
      .poll(() =>
        table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-function"))),
      )
      .toEqual(["notify-team", "notify-team"]);
    await dash.screenshot("executions-07-by-function");

    await form.getByLabel("Function", { exact: true }).fill("");
    await form.getByLabel("Status", { exact: true }).selectOption("error");
    await form.getByRole("button", { name: "Filter", exact: true }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#/executions?status=error");
    await expect
      .poll(() =>
        table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-function"))),
      )
      .toEqual(["flaky"]);

    // The filtered view is a link: a reload keeps it.
    await page.reload();
    await page.getByRole("heading", { name: "Executions", level: 1 }).waitFor();
    await table.locator('tr[data-function="flaky"]').waitFor();
    expect(await table.locator("tbody tr").count()).toBe(1);
    expect(await form.getByLabel("Status", { exact: true }).inputValue()).toBe("error");

    // A failed call's detail: its error, and the request that made it, with the runs it caused.
    await table
      .locator('tr[data-function="flaky"]')
      .getByRole("link", { name: /^flaky run of/ })
      .click();
    await page.getByRole("heading", { name: "flaky" }).waitFor();
    expect(await page.getByTestId("run-error").textContent()).toBe("error: failed on purpose");
    // A call's payload is kept even when the run fails; a failure keeps no result.
    expect(JSON.parse((await page.getByTestId("run-input").textContent())!)).toEqual({});
    expect(await page.getByTestId("run-result").count()).toBe(0);
    await dash.screenshot("executions-08-failed-run");
    const thrown = page.getByRole("list", { name: "Log lines" }).locator("li.log-error");
    expect(await thrown.textContent()).toContain("Error: failed on purpose");
    await page.getByRole("link", { name: "runs it caused" }).click();
    await expect.poll(() => new URL(page.url()).hash).toMatch(/^#\/executions\?cause=/);
    await page.getByText("Runs caused by").waitFor();
    await table.locator('tr[data-function="flaky"]').waitFor();
    expect(await table.locator("tbody tr").count()).toBe(1);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByRole("button", { name: "Clear filters" }).waitFor({ state: "detached" });

    await form.getByLabel("Function", { exact: true }).fill("notify-team");
    await form.getByLabel("Status", { exact: true }).selectOption("error");
    await form.getByRole("button", { name: "Filter", exact: true }).click();
    await page.getByText("No executions match these filters").waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await dash.screenshot("executions-09-empty-phone");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole("button", { name: "Clear filters" }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#/executions");
    dash.expectNoErrors();
  });

  it("shows the API's message for an unknown execution", async () => {
    const { page, dash } = suite;
    dash.allowConsoleError(/404/);
    await page.goto("/#/executions/no-such-run");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("No execution with id 'no-such-run'");
    await dash.screenshot("executions-10-not-found");
    dash.expectNoErrors();
  });

  it("pages through the table", async () => {
    const { page, server, dash } = suite;
    for (let i = 0; i < 27; i++) await ok(server, "POST", "/api/functions/tick/invoke", {});
    await page.goto("/#/executions?function=tick");
    const table = page.getByRole("table", { name: "Executions" });
    const pages = page.getByRole("navigation", { name: "Pages" });
    await pages.getByText("1–25 of 27 · page 1 of 2").waitFor();
    expect(await table.locator("tbody tr").count()).toBe(25);
    expect(await pages.getByText("Previous").getAttribute("aria-disabled")).toBe("true");
    await pages.getByRole("link", { name: "Next" }).click();
    await expect.poll(() => new URL(page.url()).hash).toBe("#/executions?function=tick&page=2");
    await pages.getByText("26–27 of 27 · page 2 of 2").waitFor();
    expect(await table.locator("tbody tr").count()).toBe(2);
    await dash.screenshot("executions-11-page-2");
    await pages.getByRole("link", { name: "Previous" }).click();
    await pages.getByText("1–25 of 27 · page 1 of 2").waitFor();
    dash.expectNoErrors();
  });
});
