// The browser side of the dashboard's end-to-end tests: finds Chromium (Debian's `chromium`, or
// BACKEND_TEST_CHROMIUM), opens pages that record console errors and page errors, and saves
// screenshots into test-artifacts/dashboard/. Without a browser the suites skip with a message,
// unless BACKEND_TEST_BROWSER=required (as in CI), where that is an error.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { startServer, type TestServer } from "../../test/harness.js";

const REPO = path.resolve(import.meta.dirname, "../..");
export const ARTIFACTS_DIR = path.join(REPO, "test-artifacts/dashboard");
/** The build the server serves (BACKEND_DASHBOARD_DIR, as in src/server/routes/dashboard.ts). */
export const DASHBOARD_BUILD = path.join(
  process.env.BACKEND_DASHBOARD_DIR || path.join(REPO, "dist/dashboard"),
  "index.html",
);

function findChromium(): string | undefined {
  const candidates = [process.env.BACKEND_TEST_CHROMIUM, "/usr/bin/chromium"];
  return candidates.find((file): file is string => !!file && existsSync(file));
}

export const chromiumPath = findChromium();

/** Why the browser tests are skipped, or undefined when a browser is there. */
export const browserProblem = chromiumPath
  ? undefined
  : `no Chromium at ${process.env.BACKEND_TEST_CHROMIUM ?? "/usr/bin/chromium"}: ` +
    "install it with `bash scripts/installBrowser.sh`, or set BACKEND_TEST_CHROMIUM to a Chromium binary";
if (browserProblem && process.env.BACKEND_TEST_BROWSER === "required") {
  throw new Error(`${browserProblem}; BACKEND_TEST_BROWSER=required, so the browser tests cannot be skipped`);
}
if (browserProblem) console.warn(`Skipping the dashboard's browser tests: ${browserProblem}`);

/** `describe`, skipped (with the reason in its name) where there is no browser. */
export function describeInBrowser(name: string, suite: () => void): void {
  describe.skipIf(browserProblem !== undefined)(
    browserProblem ? `${name} (skipped: ${browserProblem})` : name,
    suite,
  );
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(DASHBOARD_BUILD)) {
    throw new Error(
      `The dashboard is not built (${DASHBOARD_BUILD} is missing): run \`npm run build\` ` +
        "(or `npx vite build --config dashboard/vite.config.ts`) before the browser tests",
    );
  }
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath!, args: ["--no-sandbox"] });
}

export interface DashboardPage {
  page: Page;
  context: BrowserContext;
  /** Saves a full-page screenshot as test-artifacts/dashboard/<name>.png. */
  screenshot(name: string): Promise<void>;
  /**
   * Allows console errors matching `pattern` from now on: Chromium logs every 4xx answer as
   * "Failed to load resource", so a test that provokes an API error on purpose says so.
   */
  allowConsoleError(pattern: RegExp): void;
  /** Fails when the page logged a console error or threw, other than the allowed ones. */
  expectNoErrors(): void;
  close(): Promise<void>;
}

export async function openDashboard(
  browser: Browser,
  baseUrl: string,
  viewport = { width: 1280, height: 800 },
): Promise<DashboardPage> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  // Well under the test's own timeout, so a missing element fails with Playwright's locator message.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  const allowed: RegExp[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = `console.error: ${message.text()} (${message.location().url})`;
    if (!allowed.some((pattern) => pattern.test(text))) errors.push(text);
  });
  page.on("pageerror", (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  return {
    page,
    context,
    async screenshot(name) {
      await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
    },
    allowConsoleError(pattern) {
      allowed.push(pattern);
    },
    expectNoErrors() {
      expect(errors, "errors in the browser").toEqual([]);
    },
    close: () => context.close(),
  };
}

/** Signs in with the admin key from the login page and waits for the Functions page. */
export async function signIn(page: Page, adminKey: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel("Admin key", { exact: true }).fill(adminKey);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Functions", exact: true }).waitFor();
}

/** Opens a section from the navigation and waits for its heading. */
export async function openSection(page: Page, label: string): Promise<void> {
  await page
    .getByRole("navigation", { name: "Sections" })
    .getByRole("link", { name: label, exact: true })
    .click();
  await page.getByRole("heading", { name: label, exact: true, level: 1 }).waitFor();
}

export interface DashboardSuite {
  server: TestServer;
  browser: Browser;
  dash: DashboardPage;
  page: Page;
}

/**
 * The usual suite setup: a SQLite server (see dashboard.test.ts for why SQLite only), a browser and
 * one page, closed after the suite. `prepare` runs against the server before the browser starts.
 * Read the fields inside tests (they are set in beforeAll).
 */
export function useDashboard(prepare?: (server: TestServer) => Promise<void>): DashboardSuite {
  const suite = {} as DashboardSuite;
  beforeAll(async () => {
    suite.server = await startServer("sqlite");
    if (prepare) await prepare(suite.server);
    suite.browser = await launchBrowser();
    suite.dash = await openDashboard(suite.browser, suite.server.url);
    suite.page = suite.dash.page;
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.server?.close();
  });
  return suite;
}
