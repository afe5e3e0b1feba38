// Seed 002 ("Events"): the PRE handler shape `handler(request, context)`, in JavaScript, answers
// `{ allow: false, message: 'Invalid email address' }` for a bad email when it is run with an event
// payload. Admins run a function as an event handler with `?event=<TYPE>` (SDK: `{ event }`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploy } from "../../src/functions/invoke/testing/deploy.js";
import { createClient } from "../../src/sdk/index.js";
import { forEachStore, startServer, type TestServer } from "../harness.js";

// The seed's Python handler, as its JavaScript equivalent with the same shape.
const HANDLER = `function isValidEmail(email) {
  return typeof email === "string" && /^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$/.test(email);
}

function handler(request, context) {
  const event_data = context.event_data;

  // Validate user data before creation
  if (!isValidEmail(event_data.email)) {
    return {
      allow: false,
      message: 'Invalid email address'
    };
  }

  // Allow the action to proceed
  return { allow: true };
}
`;

forEachStore((store) => {
  describe("seed 002: a PRE_USER_CREATE handler", () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      const deployed = await deploy(server, "validate-signup", HANDLER, undefined, "entry.js");
      expect(deployed.form).toBe("handler");
    });
    afterAll(async () => server?.close());

    it("refuses a bad email with { allow: false, message } when run with an event payload", async () => {
      const admin = createClient({ url: server.url, token: server.adminKey });
      const event = { event: "PRE_USER_CREATE" };
      expect(await admin.functions.invoke("validate-signup", { email: "not-an-email" }, event)).toEqual({
        allow: false,
        message: "Invalid email address",
      });
      expect(await admin.functions.invoke("validate-signup", { email: "ada@example.com" }, event)).toEqual({
        allow: true,
      });
    });

    it("the same over HTTP, and the run is recorded as an event execution", async () => {
      const res = await server.api("POST", "/api/functions/validate-signup/invoke?event=PRE_USER_CREATE", {
        token: server.adminKey,
        body: { email: "nope", full_name: "X" },
      });
      expect(res.body).toEqual({ allow: false, message: "Invalid email address" });
      const run = await server.api("GET", `/api/executions/${res.headers.get("x-execution-id")}`, {
        token: server.adminKey,
      });
      expect(run.body).toMatchObject({ trigger: "event", status: "success" });
    });
  });
});
