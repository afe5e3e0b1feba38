// The Records page in a real Chromium against a real server: 30 records with varied fields, made
// through the API by a user and by the admin key, browsed with the filter language (an equality and a
// range, each checked row by row against the API's own answer), sorted, paged, linked by URL; a bad
// filter shows the API's message; a record opens with its full JSON and is deleted after a
// confirmation. SQLite only, as dashboard.test.ts explains.
import { expect, it } from "vitest";
import { createUser } from "../../test/harness.js";
import { describeInBrowser, openSection, signIn, useDashboard } from "./browser.js";

type Row = { id: string; ownerId: string | null; [field: string]: unknown };
type Page = { items: Row[]; total: number; limit: number; offset: number };

const COLLECTION = "tasks";

describeInBrowser("the Records page in a browser", () => {
  let userId = "";
  const suite = useDashboard(async (server) => {
    const user = await createUser(server);
    userId = user.user.id;
    for (let n = 0; n < 30; n += 1) {
      const fields: Record<string, unknown> = {
        title: `Task ${n}`,
        n,
        group: n % 3,
        status: n % 4 === 0 ? "closed" : "open",
      };
      if (n % 5 === 0) fields.tags = ["urgent", `t${n}`];
      if (n % 7 === 0) fields.address = { city: n % 2 ? "Paris" : "Lyon" };
      if (n === 13) fields.note = null;
      // A third of them by a user (owned), the rest with the admin key (no owner).
      const token = n % 3 === 1 ? user.token : server.adminKey;
      const created = await server.api("POST", `/api/records/${COLLECTION}`, { token, body: fields });
      expect(created.status).toBe(201);
    }
    const rule = await server.api("PUT", "/api/collections/tasks", {
      token: server.adminKey,
      body: { read: "users" },
    });
    expect(rule.status).toBe(200);
  });

  /** The API's answer for a view, with the admin key. */
  async function apiPage(query: { filter?: string; sort?: string; limit?: number; offset?: number }) {
    const params = new URLSearchParams();
    if (query.filter) params.set("filter", query.filter);
    if (query.sort) params.set("sort", query.sort);
    params.set("limit", String(query.limit ?? 20));
    params.set("offset", String(query.offset ?? 0));
    const res = await suite.server.api("GET", `/api/records/${COLLECTION}?${params}`, {
      token: suite.server.adminKey,
    });
    return { status: res.status, body: res.body as Page & { error?: { message: string } } };
  }

  /** The record ids of the table's rows, in order. */
  const rowIds = () =>
    suite.page
      .locator('[data-testid="records-table"] tbody tr')
      .evaluateAll((rows) => rows.map((row) => (row as HTMLElement).dataset.record));

  const hashQuery = () => new URLSearchParams(new URL(suite.page.url()).hash.split("?")[1] ?? "");

  it("lists the collections with their read rule", async () => {
    const { page, dash, server } = suite;
    await signIn(page, server.adminKey);
    await openSection(page, "Records");
    const row = page.locator(`[data-collection="${COLLECTION}"]`);
    await row.waitFor();
    expect(await row.getByTestId("read-rule").textContent()).toBe("users");
    await dash.screenshot("records-01-collections");
    dash.expectNoErrors();
  });

  it("opens the collection: the first page, with id, owner and created first", async () => {
    const { page, dash } = suite;
    await page.getByRole("link", { name: COLLECTION, exact: true }).click();
    await page.getByRole("heading", { name: COLLECTION, level: 2 }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/records/${COLLECTION}`);
    const expected = await apiPage({});
    expect(expected.body.total).toBe(30);
    await expect.poll(rowIds).toEqual(expected.body.items.map((r) => r.id));
    const headers = await page.locator('[data-testid="records-table"] thead th').allTextContents();
    expect(headers.slice(0, 3)).toEqual(["id", "ownerId", "createdAt"]);
    expect(headers).toEqual(expect.arrayContaining(["title", "n", "group", "status", "tags", "address"]));
    expect(await page.getByTestId("pager-range").textContent()).toBe("1–20 of 30");
    // A user's record shows its owner; the admin key's shows null.
    const owned = expected.body.items.find((r) => r.ownerId === userId)!;
    expect(await page.locator(`[data-record="${owned.id}"]`).textContent()).toContain(userId);
    await dash.screenshot("records-02-collection");
    dash.expectNoErrors();
  });

  it('filters with {"group":2}: the rows are the API\'s answer', async () => {
    const { page, dash } = suite;
    const form = page.getByRole("form", { name: "Query records" });
    await form.getByLabel("Filter", { exact: true }).fill('{"group":2}');
    await form.getByRole("button", { name: "Apply" }).click();
    const expected = await apiPage({ filter: '{"group":2}' });
    expect(expected.body.total).toBe(10);
    await expect.poll(rowIds).toEqual(expected.body.items.map((r) => r.id));
    expect(hashQuery().get("filter")).toBe('{"group":2}');
    expect(await page.getByTestId("pager-range").textContent()).toBe("1–10 of 10");
    await dash.screenshot("records-03-filter-group");
    dash.expectNoErrors();
  });

  it("filters with a range, sorted by n descending, 10 a page, and pages through it", async () => {
    const { page, dash } = suite;
    const filter = '{"n":{"$gte":5,"$lt":22},"status":"open"}';
    const form = page.getByRole("form", { name: "Query records" });
    await form.getByLabel("Filter", { exact: true }).fill(filter);
    await form.getByLabel("Sort by", { exact: true }).fill("n");
    await form.getByLabel("Direction", { exact: true }).selectOption("desc");
    await form.getByLabel("Per page", { exact: true }).selectOption("10");
    await form.getByRole("button", { name: "Apply" }).click();
    const first = await apiPage({ filter, sort: "-n", limit: 10 });
    expect(first.body.total).toBe(13);
    await expect.poll(rowIds).toEqual(first.body.items.map((r) => r.id));
    expect(first.body.items.map((r) => r.n)).toEqual([21, 19, 18, 17, 15, 14, 13, 11, 10, 9]);
    expect(await page.getByTestId("pager-range").textContent()).toBe("1–10 of 13");
    await expect.poll(() => hashQuery().get("sort")).toBe("-n");

    await page.getByRole("button", { name: "Next page" }).click();
    const second = await apiPage({ filter, sort: "-n", limit: 10, offset: 10 });
    await expect.poll(rowIds).toEqual(second.body.items.map((r) => r.id));
    expect(second.body.items.map((r) => r.n)).toEqual([7, 6, 5]);
    expect(await page.getByTestId("pager-range").textContent()).toBe("11–13 of 13");
    expect(hashQuery().get("offset")).toBe("10");
    expect(await page.getByRole("button", { name: "Next page" }).isDisabled()).toBe(true);
    await dash.screenshot("records-04-range-page-2");

    // The URL is the view: a reload (or a shared link) shows the same page.
    await page.reload();
    await page.getByRole("heading", { name: "Records", level: 1 }).waitFor();
    await expect.poll(rowIds).toEqual(second.body.items.map((r) => r.id));
    expect(await page.getByLabel("Filter", { exact: true }).inputValue()).toBe(filter);
    expect(await page.getByLabel("Direction", { exact: true }).inputValue()).toBe("desc");

    await page.getByRole("button", { name: "Previous page" }).click();
    await expect.poll(rowIds).toEqual(first.body.items.map((r) => r.id));

    // A column header sorts too: by n ascending.
    await page.getByRole("columnheader", { name: "n", exact: true }).getByRole("button").click();
    const ascending = await apiPage({ filter, sort: "n", limit: 10 });
    await expect.poll(rowIds).toEqual(ascending.body.items.map((r) => r.id));
    expect(hashQuery().get("sort")).toBe("n");
    dash.expectNoErrors();
  });

  it("a bad filter shows the API's message", async () => {
    const { page, dash } = suite;
    dash.allowConsoleError(/status of 400/);
    const form = page.getByRole("form", { name: "Query records" });
    for (const bad of ['{"n":{"$near":3}}', '{"n": oops}']) {
      const answer = await apiPage({ filter: bad });
      expect(answer.status).toBe(400);
      const message = answer.body.error!.message;
      expect(message.length).toBeGreaterThan(0);
      await form.getByLabel("Filter", { exact: true }).fill(bad);
      await form.getByRole("button", { name: "Apply" }).click();
      const alert = page.getByRole("alert").filter({ hasText: message });
      await alert.waitFor();
      expect(await page.getByTestId("records-table").count()).toBe(0);
      // The same query would fail the same way: no retry offered.
      expect(await alert.getByRole("button", { name: "Try again" }).count()).toBe(0);
    }
    await dash.screenshot("records-05-bad-filter");
    await form.getByRole("button", { name: "Clear" }).click();
    await expect.poll(async () => (await rowIds()).length).toBe(10);
    expect(await page.getByRole("alert").count()).toBe(0);
    dash.expectNoErrors();
  });

  it("opens a record with its full JSON", async () => {
    const { page, dash, server } = suite;
    const form = page.getByRole("form", { name: "Query records" });
    await form.getByLabel("Filter", { exact: true }).fill('{"n":14}');
    await form.getByRole("button", { name: "Apply" }).click();
    const [target] = (await apiPage({ filter: '{"n":14}' })).body.items;
    await expect.poll(rowIds).toEqual([target!.id]);
    await page.getByRole("link", { name: target!.id }).click();
    const json = page.getByTestId("record-json");
    await json.waitFor();
    const stored = await server.api("GET", `/api/records/${COLLECTION}/${target!.id}`, {
      token: server.adminKey,
    });
    expect(JSON.parse((await json.textContent()) ?? "")).toEqual(stored.body);
    expect(stored.body).toMatchObject({ n: 14, group: 2, title: "Task 14", address: { city: "Lyon" } });
    expect(new URL(page.url()).hash).toContain(`/records/${COLLECTION}/${target!.id}`);
    await dash.screenshot("records-06-record");
    dash.expectNoErrors();
  });

  it("deletes the record after a confirmation, and it is gone from the API", async () => {
    const { page, dash, server } = suite;
    const id = new URL(page.url()).hash.split("?")[0]!.split("/").pop()!;
    const path = `/api/records/${COLLECTION}/${id}`;
    // Cancel first: nothing happens.
    await page.getByRole("button", { name: "Delete record" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete this record?" });
    await dialog.waitFor();
    await dash.screenshot("records-07-confirm-delete");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect((await server.api("GET", path, { token: server.adminKey })).status).toBe(200);

    await page.getByRole("button", { name: "Delete record" }).click();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Deleted record ${id}.` })
      .waitFor();
    // Back on the list it came from (the n=14 filter), now empty.
    await page.getByText("No record matches this filter").waitFor();
    await dash.screenshot("records-08-deleted-none-match");
    expect(hashQuery().get("filter")).toBe('{"n":14}');
    expect((await server.api("GET", path, { token: server.adminKey })).status).toBe(404);
    expect((await apiPage({})).body.total).toBe(29);
    dash.expectNoErrors();
  });

  it("deletes from a row of the list too", async () => {
    const { page, dash, server } = suite;
    await page.getByRole("form", { name: "Query records" }).getByRole("button", { name: "Clear" }).click();
    // Clear keeps the page size.
    await expect.poll(async () => (await rowIds()).length).toBe(10);
    const [id] = await rowIds();
    await page.getByRole("button", { name: `Delete record ${id}` }).click();
    await page
      .getByRole("dialog", { name: "Delete this record?" })
      .getByRole("button", { name: "Delete", exact: true })
      .click();
    await expect.poll(rowIds).not.toContain(id);
    expect(
      (await server.api("GET", `/api/records/${COLLECTION}/${id}`, { token: server.adminKey })).status,
    ).toBe(404);
    expect(await page.getByTestId("pager-range").textContent()).toBe("1–10 of 28");
    dash.expectNoErrors();
  });

  it("reads at phone width: the table scrolls inside its own wrapper", async () => {
    const { page, dash } = suite;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const wrap = page.locator(".table-wrap").first();
      await wrap.waitFor();
      const overflow = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(overflow.scroll).toBeGreaterThan(overflow.client);
      // The page itself does not scroll sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await dash.screenshot("records-09-phone");
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    dash.expectNoErrors();
  });
});
