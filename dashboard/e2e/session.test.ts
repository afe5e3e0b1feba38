// Signing in as a user and losing the session, in a real Chromium against a real server: an admin
// user signs in with a password, a user who is not an admin is refused with the reason, and a token
// revoked while the dashboard is open sends the admin back to the sign-in page with a notice
// instead of leaving every page failing. SQLite only, as dashboard.test.ts explains.
import { expect, it } from "vitest";
import { createUser } from "../../test/harness.js";
import { describeInBrowser, useDashboard } from "./browser.js";

describeInBrowser("dashboard sessions in a browser", () => {
  const suite = useDashboard();

  async function signInWithPassword(email: string, password: string): Promise<void> {
    const { page } = suite;
    await page.goto("/");
    await page.getByLabel("With email and password").check();
    await page.getByLabel("Email", { exact: true }).fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  }

  it("a user who is not an admin is refused with the reason", async () => {
    const { server, dash, page } = suite;
    const member = await createUser(server);
    await signInWithPassword(member.user.email, member.password);
    await expect
      .poll(() => page.getByRole("alert").textContent())
      .toContain(`${member.user.email} is not an admin: the dashboard is for admins`);
    await dash.screenshot("session-01-not-admin");
    dash.expectNoErrors();
  });

  it("an admin user whose token is revoked is sent back to sign in, with a notice", async () => {
    const { server, dash, page } = suite;
    const admin = await createUser(server);
    const promoted = await server.api("PATCH", `/api/users/${admin.user.id}`, {
      token: server.adminKey,
      body: { role: "admin" },
    });
    expect(promoted.status).toBe(200);
    await signInWithPassword(admin.user.email, admin.password);
    await page.getByRole("heading", { name: "Functions", exact: true }).waitFor();
    expect(await page.getByText(admin.user.email).count()).toBeGreaterThan(0);

    // The dashboard's token, revoked behind its back (as a sign-out in another tab would).
    const token = await page.evaluate(
      () => (JSON.parse(sessionStorage.getItem("backend.dashboard.session")!) as { token: string }).token,
    );
    const revoked = await server.api("POST", "/api/auth/logout", { token });
    expect(revoked.status).toBeLessThan(300);

    dash.allowConsoleError(/Failed to load resource: .*401/);
    // The next call the dashboard makes (opening Events) gets a 401.
    await page.getByRole("navigation", { name: "Sections" }).getByRole("link", { name: "Events" }).click();
    await page.getByRole("heading", { name: "Sign in to backend" }).waitFor();
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Your session has ended");
    expect(await page.evaluate(() => sessionStorage.getItem("backend.dashboard.session"))).toBeNull();
    await dash.screenshot("session-02-expired");

    // Signing in again clears the notice.
    await signInWithPassword(admin.user.email, admin.password);
    await page.getByRole("heading", { name: "Functions", exact: true }).waitFor();
    expect(await page.getByText("Your session has ended").count()).toBe(0);
    dash.expectNoErrors();
  });
});
