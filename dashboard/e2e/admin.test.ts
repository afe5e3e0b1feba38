// The Secrets, Users and Emails pages in a real Chromium against a real server (SQLite only, as
// dashboard.test.ts explains). Users are made through the API, one of them asks for a password
// reset (the outbox's development transport marks it sent), then the admin signs in and: sets a
// secret whose value never reaches the page, replaces and deletes it; finds, creates, promotes and
// deletes users; and reads the reset email in the outbox. Every change is checked through the API.
// A second server, whose SMTP server is not there, shows a failed email with its last error.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startServer, type TestServer } from "../../test/harness.js";
import {
  type DashboardPage,
  describeInBrowser,
  launchBrowser,
  openDashboard,
  openSection,
  signIn,
  useDashboard,
} from "./browser.js";

const SECRET_VALUE = "sk_test_do-not-show-me_4242";
const REPLACED_VALUE = "sk_test_the-second-value_9999";
/** Created before the others, so they fill the first page (newest first) and push these to page 2. */
const BULK_USERS = 26;

async function mustCreate(server: TestServer, body: Record<string, unknown>) {
  const created = await server.api("POST", "/api/users", { token: server.adminKey, body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { id: string; email: string };
}

describeInBrowser("the Secrets, Users and Emails pages in a browser", () => {
  const suite = useDashboard(async (server) => {
    for (let i = 0; i < BULK_USERS; i++) {
      await mustCreate(server, {
        email: `bulk-${String(i).padStart(2, "0")}@example.org`,
        password: "a long password",
      });
    }
    await mustCreate(server, {
      email: "ada@example.com",
      password: "a long password",
      full_name: "Ada Lovelace",
    });
    await mustCreate(server, { email: "grace@example.com", password: "a long password", role: "admin" });
    const asked = await server.api("POST", "/api/auth/password-reset", {
      body: { email: "ada@example.com" },
    });
    expect(asked.status).toBe(202);
  });

  const api = (method: string, path: string, body?: unknown) =>
    suite.server.api(method, path, { token: suite.server.adminKey, body });
  const secretNames = async () =>
    ((await api("GET", "/api/secrets")).body.items as { name: string }[]).map((s) => s.name);
  const userByEmail = async (email: string) => {
    const found = await api("POST", "/api/users/query", { filter: { email } });
    return (found.body.items as { id: string; email: string; role: string }[])[0];
  };

  it("signs in and opens Secrets, empty", async () => {
    const { page, dash, server } = suite;
    await signIn(page, server.adminKey);
    await openSection(page, "Secrets");
    expect(new URL(page.url()).hash).toBe("#/secrets");
    await page.getByText("No secrets yet").waitFor();
    await dash.screenshot("admin-01-secrets-empty");
    dash.expectNoErrors();
  });

  it("shows the API's refusal of a bad secret name", async () => {
    const { page, dash } = suite;
    dash.allowConsoleError(/status of 400/);
    const form = page.getByRole("form", { name: "Set a secret" });
    await form.getByLabel("Name", { exact: true }).fill("1BAD");
    await form.getByLabel("Value", { exact: true }).fill("anything");
    await form.getByRole("button", { name: "Set secret" }).click();
    const alert = form.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("'1BAD' is not a valid secret name");
    expect(await secretNames()).toEqual([]);
    await dash.screenshot("admin-02-secrets-invalid");
    dash.expectNoErrors();
  });

  it("sets a secret: listed by name, its value cleared from the form and absent from the page", async () => {
    const { page, dash } = suite;
    const form = page.getByRole("form", { name: "Set a secret" });
    const value = form.getByLabel("Value", { exact: true });
    expect(await value.getAttribute("type")).toBe("password");
    await form.getByLabel("Name", { exact: true }).fill("STRIPE_API_KEY");
    await value.fill(SECRET_VALUE);
    await form.getByRole("button", { name: "Set secret" }).click();
    await page.getByRole("status").filter({ hasText: "Set STRIPE_API_KEY." }).waitFor();
    const row = page.locator('[data-secret="STRIPE_API_KEY"]');
    await row.waitFor();
    expect(await form.getByRole("alert").count()).toBe(0);
    expect(await value.inputValue()).toBe("");
    expect(await form.getByLabel("Name", { exact: true }).inputValue()).toBe("");
    expect(await page.content()).not.toContain(SECRET_VALUE);
    expect(await page.evaluate(() => document.body.innerText)).not.toContain(SECRET_VALUE);
    expect(await secretNames()).toEqual(["STRIPE_API_KEY"]);
    await dash.screenshot("admin-03-secret-set");
    dash.expectNoErrors();
  });

  it("replaces the secret's value from its row", async () => {
    const { page, dash } = suite;
    const before = (await api("GET", "/api/secrets")).body.items[0] as { createdAt: string };
    await page.getByRole("button", { name: "Replace STRIPE_API_KEY" }).click();
    const form = page.getByRole("form", { name: "Set a secret" });
    await expect.poll(() => form.getByLabel("Name", { exact: true }).inputValue()).toBe("STRIPE_API_KEY");
    const value = form.getByLabel("Value", { exact: true });
    await expect.poll(() => value.evaluate((input) => input === document.activeElement)).toBe(true);
    await value.fill(REPLACED_VALUE);
    await form.getByRole("button", { name: "Replace", exact: true }).click();
    await page.getByRole("status").filter({ hasText: "Replaced the value of STRIPE_API_KEY." }).waitFor();
    expect(await value.inputValue()).toBe("");
    const html = await page.content();
    expect(html).not.toContain(REPLACED_VALUE);
    expect(html).not.toContain(SECRET_VALUE);
    const after = (await api("GET", "/api/secrets")).body.items as { name: string; createdAt: string }[];
    expect(after).toEqual([expect.objectContaining({ name: "STRIPE_API_KEY", createdAt: before.createdAt })]);
    dash.expectNoErrors();
  });

  it("deletes the secret after a confirmation, not on cancel", async () => {
    const { page, dash } = suite;
    await page.getByRole("button", { name: "Delete STRIPE_API_KEY" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete STRIPE_API_KEY?" });
    await dialog.waitFor();
    await dash.screenshot("admin-04-secret-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await secretNames()).toEqual(["STRIPE_API_KEY"]);
    await page.locator('[data-secret="STRIPE_API_KEY"]').waitFor();

    await page.getByRole("button", { name: "Delete STRIPE_API_KEY" }).click();
    await dialog.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByText("No secrets yet").waitFor();
    await page.getByRole("status").filter({ hasText: "Deleted STRIPE_API_KEY." }).waitFor();
    expect(await secretNames()).toEqual([]);
    dash.expectNoErrors();
  });

  it("lists users newest first, in pages", async () => {
    const { page, dash } = suite;
    await openSection(page, "Users");
    const table = page.getByRole("table", { name: "Users" });
    await page.locator('[data-user="grace@example.com"]').waitFor();
    const firstRows = await table.locator("tbody tr").count();
    expect(firstRows).toBe(25);
    // grace was created last, so she comes first.
    expect(await table.locator("tbody tr").first().getAttribute("data-user")).toBe("grace@example.com");
    const pager = page.getByRole("navigation", { name: "Users pages" });
    expect(await pager.getByTestId("pager-range").textContent()).toBe(`1–25 of ${BULK_USERS + 2}`);
    await dash.screenshot("admin-05-users");
    await pager.getByRole("button", { name: "Next" }).click();
    await expect
      .poll(() => pager.getByTestId("pager-range").textContent())
      .toBe(`26–${BULK_USERS + 2} of ${BULK_USERS + 2}`);
    expect(new URL(page.url()).hash).toBe("#/users?offset=25");
    expect(await table.locator("tbody tr").count()).toBe(BULK_USERS + 2 - 25);
    expect(await page.locator('[data-user="grace@example.com"]').count()).toBe(0);
    await pager.getByRole("button", { name: "Previous" }).click();
    await page.locator('[data-user="grace@example.com"]').waitFor();
    dash.expectNoErrors();
  });

  it("finds users by email prefix and by role", async () => {
    const { page, dash } = suite;
    const search = page.getByRole("form", { name: "Find users" });
    const rows = page.getByRole("table", { name: "Users" }).locator("tbody tr");
    await search.getByLabel("Email starts with").fill("ADA");
    await search.getByRole("button", { name: "Search" }).click();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute("data-user")).toBe("ada@example.com");
    expect(await rows.first().textContent()).toContain("Ada Lovelace");
    expect(new URL(page.url()).hash).toBe("#/users?email=ADA");
    await dash.screenshot("admin-06-users-search");

    await search.getByRole("button", { name: "Clear" }).click();
    await search.getByLabel("Role", { exact: true }).selectOption("admin");
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getAttribute("data-user")).toBe("grace@example.com");

    await search.getByLabel("Email starts with").fill("nobody");
    await search.getByRole("button", { name: "Search" }).click();
    await page.getByText("No user matches").waitFor();
    await search.getByRole("button", { name: "Clear" }).click();
    await expect.poll(() => rows.count()).toBe(25);
    dash.expectNoErrors();
  });

  it("creates a user from the form, and shows the API's refusal of a short password", async () => {
    const { page, dash } = suite;
    dash.allowConsoleError(/status of 400/);
    const form = page.getByRole("form", { name: "Create a user" });
    await form.getByLabel("Email", { exact: true }).fill("linus@example.com");
    await form.getByLabel("Password", { exact: true }).fill("short");
    await form.getByRole("button", { name: "Create user" }).click();
    const alert = form.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/password.*at least 8 characters/);
    expect(await userByEmail("linus@example.com")).toBeUndefined();
    await dash.screenshot("admin-07-users-create-refused");

    await form.getByLabel("Password", { exact: true }).fill("a long enough password");
    await form.getByRole("button", { name: "Create user" }).click();
    await page.getByRole("status").filter({ hasText: "Created linus@example.com." }).waitFor();
    const row = page.locator('[data-user="linus@example.com"]');
    await row.waitFor();
    expect(await form.getByLabel("Password", { exact: true }).inputValue()).toBe("");
    expect(await row.getByLabel("Role of linus@example.com").inputValue()).toBe("user");
    expect(await userByEmail("linus@example.com")).toMatchObject({ role: "user" });
    dash.expectNoErrors();
  });

  it("makes the new user an admin", async () => {
    const { page, dash } = suite;
    const row = page.locator('[data-user="linus@example.com"]');
    await row.getByLabel("Role of linus@example.com").selectOption("admin");
    await page.getByRole("status").filter({ hasText: "linus@example.com is now an admin." }).waitFor();
    await expect.poll(async () => (await userByEmail("linus@example.com"))?.role).toBe("admin");
    expect(await row.getByLabel("Role of linus@example.com").inputValue()).toBe("admin");
    await dash.screenshot("admin-08-users-promoted");
    dash.expectNoErrors();
  });

  it("deletes the user after a confirmation, not on cancel", async () => {
    const { page, dash } = suite;
    const row = page.locator('[data-user="linus@example.com"]');
    await row.getByRole("button", { name: "Delete linus@example.com" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete linus@example.com?" });
    await dialog.waitFor();
    await dash.screenshot("admin-09-users-confirm");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    expect(await userByEmail("linus@example.com")).toBeDefined();
    expect(await row.count()).toBe(1);

    await row.getByRole("button", { name: "Delete linus@example.com" }).click();
    await dialog.getByRole("button", { name: "Delete user" }).click();
    await page.getByRole("status").filter({ hasText: "Deleted linus@example.com." }).waitFor();
    await row.waitFor({ state: "detached" });
    expect(await userByEmail("linus@example.com")).toBeUndefined();
    dash.expectNoErrors();
  });

  it("signed in as an admin user, asks before that user stops being an admin", async () => {
    const { page, dash, server } = suite;
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("With email and password").check();
    await page.getByLabel("Email", { exact: true }).fill("grace@example.com");
    await page.getByLabel("Password", { exact: true }).fill("a long password");
    await page.getByRole("button", { name: "Sign in" }).click();
    // Signing in keeps the page the dashboard was on.
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    const row = page.locator('[data-user="grace@example.com"]');
    await row.waitFor();
    expect(await row.getByRole("rowheader").textContent()).toBe("grace@example.comyou");
    const role = row.getByLabel("Role of grace@example.com");
    await role.selectOption("user");
    const dialog = page.getByRole("dialog", { name: "Stop being an admin?" });
    await dialog.waitFor();
    await dash.screenshot("admin-10-users-demote-self");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    await expect.poll(() => role.inputValue()).toBe("admin");
    expect(await userByEmail("grace@example.com")).toMatchObject({ role: "admin" });

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("With the admin key").check();
    await signIn(page, server.adminKey);
    dash.expectNoErrors();
  });

  it("shows the reset email in the outbox and opens it", async () => {
    const { page, dash } = suite;
    await openSection(page, "Emails");
    const table = page.getByRole("table", { name: "Emails" });
    const row = table.locator("tbody tr").filter({ hasText: "ada@example.com" });
    await row.waitFor();
    expect(await row.getByRole("rowheader").textContent()).toBe("Reset your password");
    // The development transport marks it sent at once; the page refreshes while it is pending.
    await expect.poll(() => row.getByTestId("email-status").textContent()).toBe("sent");
    const [email] = (await api("GET", "/api/emails")).body.items as { id: string; status: string }[];
    expect(email?.status).toBe("sent");
    await dash.screenshot("admin-11-emails");

    await row.getByRole("link", { name: "Reset your password" }).click();
    const detail = page.getByTestId("email-detail");
    await detail.waitFor();
    expect(new URL(page.url()).hash).toBe(`#/emails/${email!.id}`);
    expect(await detail.getByRole("heading", { name: "Reset your password" }).count()).toBe(1);
    expect(await detail.textContent()).toContain("ada@example.com");
    expect(await detail.getByTestId("email-text").textContent()).toContain("Or enter this reset code:");
    const frame = detail.locator("iframe");
    expect(await frame.getAttribute("sandbox")).toBe("");
    await page
      .frameLocator('[data-testid="email-detail"] iframe')
      .getByText("Choose a new password")
      .waitFor();
    // The email's HTML lives in the iframe only, not in the dashboard's document.
    expect(await page.locator("a", { hasText: "Choose a new password" }).count()).toBe(0);
    await dash.screenshot("admin-12-email-detail");

    await detail.getByRole("link", { name: "Close" }).click();
    await detail.waitFor({ state: "detached" });
    expect(new URL(page.url()).hash).toBe("#/emails");
    dash.expectNoErrors();
  });

  it("filters the outbox by status", async () => {
    const { page, dash } = suite;
    await page.getByRole("form", { name: "Filter emails" }).getByLabel("Status").selectOption("failed");
    await page.getByText("No failed emails").waitFor();
    expect(new URL(page.url()).hash).toBe("#/emails?status=failed");
    await dash.screenshot("admin-13-emails-failed-empty");
    await page.getByRole("form", { name: "Filter emails" }).getByLabel("Status").selectOption("sent");
    await page.getByRole("table", { name: "Emails" }).locator("tbody tr").first().waitFor();
    dash.expectNoErrors();
  });

  it("fits a phone-width screen: tables scroll inside their own wrapper", async () => {
    const { page, dash } = suite;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      const pageWidth = () => page.evaluate(() => document.documentElement.scrollWidth);
      await openSection(page, "Emails");
      await page.getByRole("link", { name: "Reset your password" }).click();
      await page
        .frameLocator('[data-testid="email-detail"] iframe')
        .getByText("Choose a new password")
        .waitFor();
      expect(await pageWidth()).toBeLessThanOrEqual(390);
      // The sandboxed frame runs in its own process, painted only once it has been on screen.
      await page.getByTestId("email-detail").locator("iframe").scrollIntoViewIfNeeded();
      await dash.screenshot("admin-14-emails-phone");

      await openSection(page, "Users");
      await page.locator('[data-user="grace@example.com"]').waitFor();
      expect(await pageWidth()).toBeLessThanOrEqual(390);
      await dash.screenshot("admin-15-users-phone");

      await openSection(page, "Secrets");
      await page.getByText("No secrets yet").waitFor();
      expect(await pageWidth()).toBeLessThanOrEqual(390);
      await dash.screenshot("admin-16-secrets-phone");
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    dash.expectNoErrors();
  });
});

describeInBrowser("a failed email in the Emails page", () => {
  let server: TestServer;
  let browser: Browser;
  let dash: DashboardPage;

  beforeAll(async () => {
    // Nothing listens on port 1: the one attempt allowed fails, so the email is failed at once.
    server = await startServer("sqlite", {
      config: { smtpUrl: "smtp://127.0.0.1:1", email: { pollMs: 50, maxAttempts: 1 } },
    });
    await mustCreate(server, { email: "kate@example.com", password: "a long password" });
    await server.api("POST", "/api/auth/password-reset", { body: { email: "kate@example.com" } });
    await vi.waitFor(
      async () => {
        const outbox = await server.api("GET", "/api/emails", { token: server.adminKey });
        expect(outbox.body.items[0]?.status).toBe("failed");
      },
      { timeout: 10_000, interval: 100 },
    );
    browser = await launchBrowser();
    dash = await openDashboard(browser, server.url);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("shows its status and last error in the list and in its detail", async () => {
    const { page } = dash;
    const [email] = (await server.api("GET", "/api/emails", { token: server.adminKey })).body.items as {
      id: string;
      lastError: string;
      attempts: number;
    }[];
    expect(email?.lastError).toBeTruthy();
    await signIn(page, server.adminKey);
    await openSection(page, "Emails");
    await page.getByRole("form", { name: "Filter emails" }).getByLabel("Status").selectOption("failed");
    const row = page.getByRole("table", { name: "Emails" }).locator(`[data-email="${email!.id}"]`);
    await row.waitFor();
    expect(await row.getByTestId("email-status").textContent()).toBe("failed");
    expect(await row.textContent()).toContain(email!.lastError);
    expect(await row.locator("td").nth(2).textContent()).toBe(String(email!.attempts));
    await dash.screenshot("admin-17-emails-failed");

    await row.getByRole("link", { name: "Reset your password" }).click();
    const detail = page.getByTestId("email-detail");
    await detail.waitFor();
    expect(await detail.textContent()).toContain(`Last error${email!.lastError}`);
    expect(new URL(page.url()).hash).toBe(`#/emails/${email!.id}?status=failed`);
    await dash.screenshot("admin-18-email-failed-detail");
    dash.expectNoErrors();
  });
});
