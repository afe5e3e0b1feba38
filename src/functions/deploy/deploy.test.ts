import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../../test/harness.js";
import { configSchema } from "../../config/config.js";
import { evaluateBundle } from "./testing/evaluateBundle.js";

// Seed 000, verbatim.
const TRIAL_EXPIRATION = `// This function runs every day at 9 AM
function handleTrialExpiration() {
  // Find users whose trial expires today
  const users = backend.query('users', {
    trialEndsAt: { $lte: new Date() },
    isPaid: false
  });

  // Send reminder emails
  users.forEach(user => {
    backend.sendEmail(user.email, 'Your trial is ending');
  });
}
`;
const ORDER_PLACED = `// Handle in a server function
function onOrderPlaced(event) {
  // Process order, send confirmation, update inventory
}
`;
const TWO_SCHEDULED = `// Runs every hour
function cleanupSessions() {
  // Delete expired sessions
}

// Runs every Monday at 8 AM
function sendWeeklyReport() {
  // Generate and email report
}
`;
// Seed 001's entry.ts with its import specifier changed to "backend" (SPEC §10).
const SEED_001 = `import { createClientFromRequest } from "backend";

Deno.serve(async (req) => {
  try {
    const base44 = createClientFromRequest(req);
    const user = await base44.auth.me();

    if (!user) {
      return Response.json({ error: "Unauthorized" }, { status: 401 });
    }

    const { name } = await req.json();

    return Response.json({
      message: \`Hello, \${name || user.full_name}!\`,
    });
  } catch (error) {
    return Response.json({ error: error.message }, { status: 500 });
  }
});
`;

interface Deployed {
  name: string;
  version: number;
  status: "deployed" | "unchanged";
  form: string;
  hash: string;
  access: string;
}

forEachStore((store) => {
  describe("deploying functions", () => {
    let server: TestServer;
    let userToken: string;

    beforeAll(async () => {
      server = await startServer(store);
      userToken = (await createUser(server)).token;
    });
    afterAll(async () => server?.close());

    async function deploy(name: string, files: Record<string, string>, config?: Record<string, unknown>) {
      return server.api("PUT", `/api/functions/${name}`, {
        token: server.adminKey,
        body: config ? { files, config } : { files },
      });
    }

    async function deployed(name: string, files: Record<string, string>, config?: Record<string, unknown>) {
      const res = await deploy(name, files, config);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body as Deployed;
    }

    async function bundleOf(name: string) {
      const active = await import("../catalog/getActiveFunction.js").then((m) =>
        m.getActiveFunction(server.platform.deps.db, name),
      );
      expect(active).toBeDefined();
      return active!;
    }

    it("deploys an export-default TypeScript function with a local import as the 'default' form", async () => {
      const res = await deployed("greet", {
        "entry.ts": [
          'import { greet } from "./lib/greet.js";',
          "interface Event { name: string }",
          "export default async function (event: Event, context: unknown): Promise<string> {",
          "  return greet(event.name);",
          "}",
        ].join("\n"),
        "lib/greet.ts":
          "export function greet(name: string): string {\n  return 'Hello, ' + name + '!';\n}\n",
      });
      expect(res).toEqual({
        name: "greet",
        version: 1,
        status: "deployed",
        form: "default",
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        access: "user",
      });
      const fn = await bundleOf("greet");
      expect(fn.code.form).toBe("default");
      const { module } = evaluateBundle(fn.code.code);
      await expect((module.default as (e: unknown) => Promise<string>)({ name: "Ada" })).resolves.toBe(
        "Hello, Ada!",
      );
      // The source map names the files as the developer knows them.
      expect(JSON.parse(fn.code.sourceMap!).sources.sort()).toEqual([
        "functions/greet/entry.ts",
        "functions/greet/lib/greet.ts",
      ]);
    });

    it("deploys a JavaScript function of several files, JSON included", async () => {
      const res = await deployed("js-multi", {
        "entry.js":
          'import { double } from "./math.js";\nimport data from "./data.json";\nexport default (e) => double(e.n) + data.offset;\n',
        "math.js": "export const double = (n) => n * 2;\n",
        "data.json": '{ "offset": 1 }',
      });
      expect(res.form).toBe("default");
      const { module } = evaluateBundle((await bundleOf("js-multi")).code.code);
      expect((module.default as (e: unknown) => number)({ n: 20 })).toBe(41);
    });

    it("deploys seed 000's classic scripts as written, their function becoming the default export", async () => {
      expect((await deployed("trial-reminder", { "trial-reminder.js": TRIAL_EXPIRATION })).form).toBe(
        "classic",
      );
      const sent: unknown[][] = [];
      const users = [{ email: "a@example.com" }, { email: "b@example.com" }];
      const { module } = evaluateBundle((await bundleOf("trial-reminder")).code.code, {
        backend: { query: () => users, sendEmail: (...args: unknown[]) => sent.push(args) },
      });
      expect((module.default as { name: string }).name).toBe("handleTrialExpiration");
      (module.default as () => void)();
      expect(sent).toEqual([
        ["a@example.com", "Your trial is ending"],
        ["b@example.com", "Your trial is ending"],
      ]);

      expect((await deployed("on-order-placed", { "entry.js": ORDER_PLACED })).form).toBe("classic");
      const order = evaluateBundle((await bundleOf("on-order-placed")).code.code);
      expect((order.module.default as { name: string }).name).toBe("onOrderPlaced");
    });

    it("picks a classic script's handler by name, or as the only function nothing calls", async () => {
      const named = await deployed("classic-main", {
        "entry.ts":
          "function helper(): number { return 1; }\nfunction other() {}\nfunction main() { return helper(); }\n",
      });
      expect(named.form).toBe("classic");
      expect(
        (evaluateBundle((await bundleOf("classic-main")).code.code).module.default as () => number)(),
      ).toBe(1);

      await deployed("classic-uncalled", {
        "entry.js": [
          "function remind(user) { backend.sendEmail(user.email, 'hi'); }",
          "function run() { backend.query('users').forEach(remind); return 'ran'; }",
        ].join("\n"),
      });
      const { module } = evaluateBundle((await bundleOf("classic-uncalled")).code.code, {
        backend: { query: () => [], sendEmail: () => {} },
      });
      expect((module.default as { name: string }).name).toBe("run");
    });

    it("refuses an ambiguous classic script and says how to name the handler", async () => {
      const res = await deploy("two-scheduled", { "entry.js": TWO_SCHEDULED });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        "functions/two-scheduled/entry.js: cannot tell which function is the handler: cleanupSessions, " +
          "sendWeeklyReport are top-level functions that nothing calls. To fix it, export the handler " +
          "(export default async function (event, context) { ... }), or name it handler, handle or main",
      );
      const none = await deploy("no-handler", { "entry.js": "const x = 1;\n" });
      expect(none.status).toBe(400);
      expect(none.body.error.message).toMatch(
        /^functions\/no-handler\/entry\.js: found no handler\. Write export default/,
      );
    });

    it("deploys seed 001's entry.ts (import from \"backend\") as the 'deno' form; the import is the sandbox global", async () => {
      const res = await deployed("hello", { "entry.ts": SEED_001 });
      expect(res.form).toBe("deno");
      const client = { auth: { me: async () => ({ full_name: "Ada Lovelace" }) } };
      const { served } = evaluateBundle((await bundleOf("hello")).code.code, {
        createClientFromRequest: () => client,
        Response,
      });
      const answer = await (served as (r: Request) => Promise<Response>)(
        new Request("http://x/functions/hello", { method: "POST", body: "{}" }),
      );
      expect(await answer.json()).toEqual({ message: "Hello, Ada Lovelace!" });
      // Written for Base44, with its npm: specifier, it deploys too.
      const base44 = await deployed("hello-base44", {
        "entry.ts": SEED_001.replace('"backend"', '"npm:@base44/sdk"'),
      });
      expect(base44.form).toBe("deno");
    });

    it("deploys handler(request, context) functions, exported or not, as the 'handler' form", async () => {
      const preHandler = [
        "function isValidEmail(email) { return /^[^@\\s]+@[^@\\s]+$/.test(email); }",
        "function handler(request, context) {",
        "  const eventData = context.event_data;",
        '  if (!isValidEmail(eventData["email"])) {',
        '    return { allow: false, message: "Invalid email address" };',
        "  }",
        "  return { allow: true };",
        "}",
      ].join("\n");
      expect((await deployed("validate-email", { "entry.js": preHandler })).form).toBe("handler");
      const { module } = evaluateBundle((await bundleOf("validate-email")).code.code);
      const handler = module.handler as (r: unknown, c: unknown) => unknown;
      expect(handler({}, { event_data: { email: "nope" } })).toEqual({
        allow: false,
        message: "Invalid email address",
      });
      expect(handler({}, { event_data: { email: "a@b.c" } })).toEqual({ allow: true });

      const exported = await deployed("exported-handler", {
        "entry.ts":
          "export async function handler(request: unknown, context: { event_type: string }) {\n  return context.event_type;\n}\n",
      });
      expect(exported.form).toBe("handler");
      // And the `backend` import gives the global, default and named.
      await deployed("imports-backend", {
        "entry.ts":
          'import backendDefault, { backend } from "backend";\nexport default () => [backendDefault, backend];\n',
      });
      const imports = evaluateBundle((await bundleOf("imports-backend")).code.code);
      expect((imports.module.default as () => unknown)()).toEqual([
        { marker: "backend-global" },
        { marker: "backend-global" },
      ]);
    });

    it("refuses a Node built-in import, naming the import, the file and the line", async () => {
      const res = await deploy("uses-fs", {
        "entry.ts":
          'import { readFileSync } from "fs";\nexport default () => readFileSync("/etc/passwd", "utf8");\n',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe(
        "functions/uses-fs/entry.ts:1: imports 'fs', a Node built-in; functions run in a sandbox without Node APIs",
      );
      const deep = await deploy("uses-child-process", {
        "entry.js": 'import { run } from "./lib.js";\nexport default run;\n',
        "lib.js":
          '// helper\nconst cp = require("node:child_process");\nexport const run = () => cp.execSync("id");\n',
      });
      expect(deep.status).toBe(400);
      expect(deep.body.error.message).toBe(
        "functions/uses-child-process/lib.js:2: imports 'node:child_process', a Node built-in; functions run in a sandbox without Node APIs",
      );
      const dynamic = await deploy("dynamic-fs", {
        "entry.js": 'export default async () => import("fs/promises");\n',
      });
      expect(dynamic.body.error.message).toMatch(
        /^functions\/dynamic-fs\/entry\.js:1: imports 'fs\/promises', a Node built-in/,
      );
    });

    it("refuses packages and files outside the deployed ones, naming them", async () => {
      const pkg = await deploy("uses-lodash", {
        "entry.js": 'import _ from "lodash";\nexport default () => _;\n',
      });
      expect(pkg.status).toBe(400);
      expect(pkg.body.error.message).toMatch(
        /^functions\/uses-lodash\/entry\.js:1: imports 'lodash', a package;/,
      );
      const missing = await deploy("missing-file", {
        "entry.js": 'import x from "./nope.js";\nexport default x;\n',
      });
      expect(missing.body.error.message).toBe(
        "functions/missing-file/entry.js:1: imports './nope.js', which is not among the files deployed (entry.js)",
      );
      const outside = await deploy("outside", {
        "entry.js": 'import x from "../other/entry.js";\nexport default x;\n',
      });
      expect(outside.body.error.message).toMatch(
        /imports '\.\.\/other\/entry\.js', which is outside this function's files/,
      );
    });

    it("reports a TypeScript syntax error with file:line:column, in the entry or another file", async () => {
      const res = await deploy("broken", {
        "entry.ts": "export default function (event: unknown) {\n  const x: number = ;\n  return x;\n}\n",
      });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toBe('functions/broken/entry.ts:2:21: Unexpected ";"');
      const inLib = await deploy("broken-lib", {
        "entry.ts": 'import { f } from "./lib.ts";\nexport default f;\n',
        "lib.ts": "export function f(: string) {}\n",
      });
      expect(inLib.status).toBe(400);
      expect(inLib.body.error.message).toMatch(/^functions\/broken-lib\/lib\.ts:1:\d+: /);
      expect(inLib.body.error.details.errors[0]).toMatchObject({
        file: "functions/broken-lib/lib.ts",
        line: 1,
      });
      const topLevelAwait = await deploy("tla", {
        "entry.js": "const r = await Promise.resolve(1);\nexport default () => r;\n",
      });
      expect(topLevelAwait.body.error.message).toBe(
        'functions/tla/entry.js:1:11: Top-level await is currently not supported with the "iife" output format; ' +
          "functions load as scripts: move the await into the handler",
      );
    });

    it("an unchanged redeploy keeps the version; a change makes a new one", async () => {
      const files = { "entry.ts": "export default () => 1;\n" };
      const first = await deployed("counter", files, { timeout: 5000, access: "public" });
      const again = await deployed("counter", files, { access: "public", timeout: 5000 });
      expect(again).toEqual({ ...first, status: "unchanged" });
      const changed = await deployed(
        "counter",
        { "entry.ts": "export default () => 2;\n" },
        { timeout: 5000, access: "public" },
      );
      expect(changed).toMatchObject({ version: 2, status: "deployed" });
      expect(changed.hash).not.toBe(first.hash);
      // A config change alone is a change.
      const reconfigured = await deployed(
        "counter",
        { "entry.ts": "export default () => 2;\n" },
        { timeout: 6000, access: "public" },
      );
      expect(reconfigured).toMatchObject({ version: 3, status: "deployed" });
      const versions = await server.api("GET", "/api/functions/counter/versions", { token: server.adminKey });
      expect(versions.body.activeVersion).toBe(3);
      expect(
        versions.body.items.map((v: { version: number; active: boolean }) => [v.version, v.active]),
      ).toEqual([
        [3, true],
        [2, false],
        [1, false],
      ]);
    });

    it("stores a bundle built by the CLI as it is; the hash covers files, config and bundle", async () => {
      const files = { "entry.ts": "export default () => 'from files';\n" };
      const bundle = (text: string) => ({
        code: `var __backendModule = (() => ({ default: () => ${JSON.stringify(text)} }))();\n`,
        sourceMap: '{"version":3,"sources":["functions/prebuilt/entry.ts"],"mappings":"AAAA"}',
        form: "handler",
      });
      const put = (body: unknown) =>
        server.api("PUT", "/api/functions/prebuilt", { token: server.adminKey, body });
      const first = await put({ files, config: { access: "admin" }, bundle: bundle("v1") });
      expect(first.status, JSON.stringify(first.body)).toBe(200);
      expect(first.body).toMatchObject({ version: 1, status: "deployed", form: "handler", access: "admin" });
      const stored = await bundleOf("prebuilt");
      expect(stored.code.code).toContain('"v1"');
      expect(stored.code.sourceMap).toContain("functions/prebuilt/entry.ts");
      expect(
        (await server.api("GET", "/api/functions/prebuilt", { token: server.adminKey })).body,
      ).toMatchObject({ files, config: { access: "admin" } });

      const same = await put({ files, config: { access: "admin" }, bundle: bundle("v1") });
      expect(same.body).toMatchObject({ version: 1, status: "unchanged" });
      // Same files and config, another bundle (a package changed in node_modules): a new version.
      const rebuilt = await put({ files, config: { access: "admin" }, bundle: bundle("v2") });
      expect(rebuilt.body).toMatchObject({ version: 2, status: "deployed" });
      expect((await bundleOf("prebuilt")).code.code).toContain('"v2"');

      const notABundle = await put({ files, bundle: { code: "console.log(1)", form: "default" } });
      expect(notABundle.status).toBe(400);
      expect(notABundle.body.error.message).toMatch(/^bundle\.code must be an IIFE that assigns/);
      const badForm = await put({ files, bundle: { ...bundle("x"), form: "esm" } });
      expect(badForm.status).toBe(400);
      expect(badForm.body.error.message).toContain(
        'bundle.form must be "default", "handler", "classic" or "deno"',
      );
      const badMap = await put({ files, bundle: { ...bundle("x"), sourceMap: "{}" } });
      expect(badMap.body.error.message).toMatch(/^bundle\.sourceMap must be a source map/);
    });

    it("bundles the _shared/ helpers the CLI stores beside a function's own files", async () => {
      const shared = {
        "_shared/money.ts": "export const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);\n",
      };
      const top = await deployed("sums", {
        "entry.ts": 'import { total } from "../_shared/money.ts";\nexport default () => total([1, 2]);\n',
        ...shared,
      });
      expect(top.status).toBe("deployed");
      const nested = await deployed("billing/sums", {
        "entry.ts": 'import { total } from "../../_shared/money.ts";\nexport default () => total([3]);\n',
        ...shared,
      });
      expect(nested.status).toBe("deployed");
      const { module } = evaluateBundle((await bundleOf("billing/sums")).code.code);
      expect((module.default as () => number)()).toBe(3);
      const map = JSON.parse((await bundleOf("sums")).code.sourceMap!) as { sources: string[] };
      expect(map.sources.sort()).toEqual(["functions/_shared/money.ts", "functions/sums/entry.ts"]);
    });

    it("reads function.jsonc from the files, comments allowed; access defaults to user, admin with triggers", async () => {
      const withTriggers = await deployed("nightly", {
        "entry.ts": "export default async () => 'ok';\n",
        "function.jsonc":
          '{\n  // runs every night\n  "triggers": { "schedules": ["daily at 2 AM"], "events": ["user_registered"] },\n}\n',
      });
      expect(withTriggers.access).toBe("admin");
      const explicit = await deployed(
        "webhook",
        { "entry.ts": "export default async () => 'ok';\n" },
        {
          access: "public",
          triggers: { events: [{ event: "order_placed", priority: 5, on_error: "allow" }] },
        },
      );
      expect(explicit.access).toBe("public");
      const list = await server.api("GET", "/api/functions", { token: server.adminKey });
      const nightly = list.body.items.find((f: { name: string }) => f.name === "nightly");
      expect(nightly).toMatchObject({
        name: "nightly",
        version: 1,
        access: "admin",
        form: "default",
        triggers: { events: [{ event: "user_registered" }], schedules: [{ schedule: "daily at 2 AM" }] },
      });
      expect(nightly.lastRun).toBeUndefined();
    });

    it("a single file may export its config; function.jsonc or the body's config take precedence", async () => {
      const source = [
        "export const config = {",
        "  timeout: 5_000,",
        '  triggers: { schedules: [{ schedule: "every hour", timezone: "Europe/Paris" }] },',
        "} as const;",
        "export default async () => 'ok';",
      ].join("\n");
      expect((await deployed("self-configured", { "entry.ts": source })).access).toBe("admin");
      const got = await server.api("GET", "/api/functions/self-configured", { token: server.adminKey });
      expect(got.body.config).toEqual({
        timeout: 5000,
        triggers: { schedules: [{ schedule: "every hour", timezone: "Europe/Paris" }] },
      });
      expect((await bundleOf("self-configured")).config.timeout).toBe(5000);
      const overridden = await deployed("self-configured", { "entry.ts": source }, { access: "public" });
      expect(overridden).toMatchObject({ version: 2, access: "public" });

      const computed = await deploy("computed-config", {
        "entry.ts": "const t = 1000;\nexport const config = { timeout: t };\nexport default () => 1;\n",
      });
      expect(computed.status).toBe(400);
      expect(computed.body.error.message).toMatch(
        /^functions\/computed-config\/entry\.ts: export const config must be a plain literal/,
      );
      const invalid = await deploy("bad-export", {
        "entry.ts": 'export const config = { access: "everyone" };\nexport default () => 1;\n',
      });
      expect(invalid.body.error.message).toBe(
        'functions/bad-export/entry.ts (export const config): access must be "public", "user" or "admin"',
      );
    });

    it("refuses an invalid function.jsonc with messages naming the field", async () => {
      const files = { "entry.ts": "export default () => 1;\n" };
      const access = await deploy("bad-config", files, { access: "everyone" });
      expect(access.status).toBe(400);
      expect(access.body.error.message).toBe('function.jsonc: access must be "public", "user" or "admin"');
      const timeout = await deploy("bad-config", files, { timeout: 600_000 });
      expect(timeout.body.error.message).toBe(
        "function.jsonc: timeout must be at most 300000 ms (functions.maxTimeoutMs)",
      );
      const trigger = await deploy("bad-config", files, {
        triggers: { schedules: [{ schedule: "daily at 9 AM", timezone: "Mars/Olympus" }] },
      });
      expect(trigger.body.error.message).toBe(
        "function.jsonc: triggers.schedules[0].timezone is not an IANA time zone such as Europe/Paris or UTC",
      );
      const unknown = await deploy("bad-config", files, { trigers: {} });
      expect(unknown.body.error.message).toMatch(/^function\.jsonc: trigers is not a known field \(name, /);
      const entry = await deploy("bad-config", files, { entry: "main.ts" });
      expect(entry.body.error.message).toBe(
        "function.jsonc: entry 'main.ts' is not among the files (entry.ts)",
      );
      const name = await deploy("bad-config", files, { name: "other" });
      expect(name.body.error.message).toMatch(
        /name 'other' differs from the name deployed to \('bad-config'\)/,
      );
      const jsonc = await deploy("bad-config", { ...files, "function.jsonc": '{ "access": }' });
      expect(jsonc.body.error.message).toBe("functions/bad-config/function.jsonc:1:13: ValueExpected");
      const notDeployed = await server.api("GET", "/api/functions/bad-config", { token: server.adminKey });
      expect(notDeployed.status).toBe(404);
    });

    it("uses config.entry, and otherwise the only code file", async () => {
      expect(
        (
          await deployed(
            "custom-entry",
            { "main.ts": "export default () => 'main';\n", "other.ts": "export const x = 1;\n" },
            { entry: "main.ts" },
          )
        ).form,
      ).toBe("default");
      const unclear = await deploy("unclear-entry", {
        "a.ts": "export default 1;\n",
        "b.ts": "export default 2;\n",
      });
      expect(unclear.status).toBe(400);
      expect(unclear.body.error.message).toMatch(/Cannot tell which file is the entry among a\.ts, b\.ts/);
    });

    it("refuses bad names, bad paths and bad bodies with 400", async () => {
      const files = { "entry.ts": "export default () => 1;\n" };
      for (const name of ["-dash", "a..b", "sp%20ace", "email/send/versions", "x".repeat(129)]) {
        const res = await deploy(name, files);
        expect(res.status, name).toBe(400);
        expect(res.body.error.message, name).toMatch(/not a valid function name|limit is 128/);
      }
      const badPath = await deploy("bad-path", { "../entry.ts": "export default 1;\n" });
      expect(badPath.body.error.message).toMatch(/'\.\.\/entry\.ts' is not a valid file path/);
      const noFiles = await server.api("PUT", "/api/functions/no-files", {
        token: server.adminKey,
        body: { files: "x" },
      });
      expect(noFiles.status).toBe(400);
      expect(noFiles.body.error.message).toMatch(/files must be an object of path -> source/);
      const empty = await deploy("empty-files", {});
      expect(empty.body.error.message).toMatch(/files is empty/);
      const huge = await deploy("huge", { "entry.ts": `export default () => "${"x".repeat(1024 * 1024)}";` });
      expect(huge.status).toBe(413);
    });

    it("the function and secret routes are in the OpenAPI document", async () => {
      const doc = await server.api("GET", "/api/openapi.json");
      expect(doc.status).toBe(200);
      const paths = Object.keys(doc.body.paths);
      expect(paths).toEqual(
        expect.arrayContaining([
          "/api/functions",
          "/api/functions/{p0}/rollback",
          "/api/secrets",
          "/api/secrets/{name}",
        ]),
      );
      expect(paths.some((p) => p.startsWith("/api/functions/*") || p.includes("{*}"))).toBe(true);
    });

    it("nested names work as plain paths: deploy, get, versions, rollback, delete", async () => {
      const v1 = await deployed("email/send", { "entry.ts": "export default () => 'v1';\n" });
      expect(v1).toMatchObject({ name: "email/send", version: 1 });
      await deployed("email/send", { "entry.ts": "export default () => 'v2';\n" });
      const got = await server.api("GET", "/api/functions/email/send", { token: server.adminKey });
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({
        name: "email/send",
        version: 2,
        files: { "entry.ts": "export default () => 'v2';\n" },
      });
      const versions = await server.api("GET", "/api/functions/email/send/versions", {
        token: server.adminKey,
      });
      expect(versions.body.items).toHaveLength(2);
      const encoded = await server.api("GET", "/api/functions/email%2Fsend", { token: server.adminKey });
      expect(encoded.body.name).toBe("email/send");
      const rollback = await server.api("POST", "/api/functions/email/send/rollback", {
        token: server.adminKey,
      });
      expect(rollback.status).toBe(200);
      expect(rollback.body).toMatchObject({ name: "email/send", version: 1, previousVersion: 2 });
      // '/' written as %2F works as well.
      const encodedRollback = await server.api("POST", "/api/functions/email%2Fsend/rollback", {
        token: server.adminKey,
        body: { version: 2 },
      });
      expect(encodedRollback.body).toMatchObject({ name: "email/send", version: 2, previousVersion: 1 });
      await server.api("POST", "/api/functions/email/send/rollback", {
        token: server.adminKey,
        body: { version: 1 },
      });
      expect((await bundleOf("email/send")).version).toBe(1);
      const deleted = await server.api("DELETE", "/api/functions/email/send", { token: server.adminKey });
      expect(deleted.status).toBe(204);
      expect((await server.api("GET", "/api/functions/email/send", { token: server.adminKey })).status).toBe(
        404,
      );
    });

    it("get shows files and config of the active version, or of a version asked for", async () => {
      await deployed("shown", { "entry.ts": "export default () => 'a';\n" }, { access: "public" });
      await deployed(
        "shown",
        { "entry.ts": "export default () => 'b';\n", "lib.ts": "export {};\n" },
        { access: "admin", timeout: 1000 },
      );
      const active = await server.api("GET", "/api/functions/shown", { token: server.adminKey });
      expect(active.body).toMatchObject({
        name: "shown",
        version: 2,
        shownVersion: 2,
        access: "admin",
        form: "default",
        config: { access: "admin", timeout: 1000 },
        files: { "entry.ts": "export default () => 'b';\n", "lib.ts": "export {};\n" },
      });
      const old = await server.api("GET", "/api/functions/shown?version=1", { token: server.adminKey });
      expect(old.body).toMatchObject({ version: 2, shownVersion: 1, config: { access: "public" } });
      expect(old.body.files).toEqual({ "entry.ts": "export default () => 'a';\n" });
      const none = await server.api("GET", "/api/functions/shown?version=9", { token: server.adminKey });
      expect(none.status).toBe(404);
    });

    it("rollback goes to the previous version by default or to the one named; a deploy after it adds a version", async () => {
      for (const n of [1, 2, 3]) await deployed("rolling", { "entry.ts": `export default () => ${n};\n` });
      const back = await server.api("POST", "/api/functions/rolling/rollback", { token: server.adminKey });
      expect(back.body).toMatchObject({ version: 2, previousVersion: 3 });
      const toFirst = await server.api("POST", "/api/functions/rolling/rollback", {
        token: server.adminKey,
        body: { version: 1 },
      });
      expect(toFirst.body).toMatchObject({ version: 1, previousVersion: 2 });
      const run = evaluateBundle((await bundleOf("rolling")).code.code);
      expect((run.module.default as () => number)()).toBe(1);
      const nothingBefore = await server.api("POST", "/api/functions/rolling/rollback", {
        token: server.adminKey,
      });
      expect(nothingBefore.status).toBe(409);
      expect(nothingBefore.body.error.message).toBe(
        "Function 'rolling' has no version before 1 to roll back to",
      );
      const missing = await server.api("POST", "/api/functions/rolling/rollback", {
        token: server.adminKey,
        body: { version: 7 },
      });
      expect(missing.status).toBe(404);
      // The active version is 1; sending version 3's content again stores it as version 4.
      const redeploy = await deployed("rolling", { "entry.ts": "export default () => 3;\n" });
      expect(redeploy).toMatchObject({ version: 4, status: "deployed" });
      const list = await server.api("GET", "/api/functions/rolling/versions", { token: server.adminKey });
      expect(list.body.activeVersion).toBe(4);
    });

    it("delete removes the function and its versions; a new deploy under the name starts at version 1", async () => {
      await deployed("short-lived", { "entry.ts": "export default () => 'old';\n" });
      await deployed("short-lived", { "entry.ts": "export default () => 'older';\n" });
      await bundleOf("short-lived");
      expect(
        (await server.api("DELETE", "/api/functions/short-lived", { token: server.adminKey })).status,
      ).toBe(204);
      expect(
        (await server.api("DELETE", "/api/functions/short-lived", { token: server.adminKey })).status,
      ).toBe(404);
      const { getActiveFunction } = await import("../catalog/getActiveFunction.js");
      expect(await getActiveFunction(server.platform.deps.db, "short-lived")).toBeUndefined();
      const versions = await server.platform.deps.db
        .selectFrom("function_versions")
        .select("version")
        .where("function_name", "=", "short-lived")
        .execute();
      expect(versions).toEqual([]);
      const again = await deployed("short-lived", { "entry.ts": "export default () => 'new';\n" });
      expect(again.version).toBe(1);
      // Version 1 again, with other content: the runtime's cache key and the code are the new ones.
      const fn = await bundleOf("short-lived");
      expect((evaluateBundle(fn.code.code).module.default as () => string)()).toBe("new");
    });

    it("is for admins only: 401 without a token, 403 for a user, allowed for an admin user", async () => {
      const files = { "entry.ts": "export default () => 1;\n" };
      const calls: [string, string, unknown?][] = [
        ["PUT", "/api/functions/guarded", { files }],
        ["GET", "/api/functions"],
        ["GET", "/api/functions/guarded"],
        ["GET", "/api/functions/guarded/versions"],
        ["POST", "/api/functions/guarded/rollback", {}],
        ["DELETE", "/api/functions/guarded"],
      ];
      for (const [method, path, body] of calls) {
        const anonymous = await server.api(method, path, body === undefined ? {} : { body });
        expect(anonymous.status, `${method} ${path}`).toBe(401);
        const user = await server.api(
          method,
          path,
          body === undefined ? { token: userToken } : { token: userToken, body },
        );
        expect(user.status, `${method} ${path}`).toBe(403);
      }
      const admin = await createUser(server);
      await server.api("PATCH", `/api/users/${admin.user.id}`, {
        token: server.adminKey,
        body: { role: "admin" },
      });
      const byAdminUser = await server.api("PUT", "/api/functions/guarded", {
        token: admin.token,
        body: { files },
      });
      expect(byAdminUser.status).toBe(200);
    });
  });

  describe("the function limit", () => {
    let server: TestServer;
    const defaults = configSchema.parse({}).functions;

    beforeAll(async () => {
      server = await startServer(store, {
        config: { functions: { ...defaults, workers: 1, maxFunctions: 3 } },
      });
    });
    afterAll(async () => server?.close());

    it("refuses one function more than functions.maxFunctions with 409; redeploys still work", async () => {
      const put = (name: string, n = 1) =>
        server.api("PUT", `/api/functions/${name}`, {
          token: server.adminKey,
          body: { files: { "entry.ts": `export default () => ${n};\n` } },
        });
      for (const name of ["one", "two", "three"]) expect((await put(name)).status).toBe(200);
      const fourth = await put("four");
      expect(fourth.status).toBe(409);
      expect(fourth.body.error.message).toMatch(
        /^This project has 3 functions, the limit \(functions\.maxFunctions\)\./,
      );
      expect((await put("two", 2)).body).toMatchObject({ version: 2, status: "deployed" });
      expect((await server.api("DELETE", "/api/functions/one", { token: server.adminKey })).status).toBe(204);
      expect((await put("four")).status).toBe(200);
    });
  });
});
