// `backend channels list|members|send` against a real server, with a real WebSocket member.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { runBackend } from "../../test/spawnBackend.js";
import { TestSocket } from "../channels/testing/testSocket.js";

forEachStore((store) => {
  describe("backend channels", () => {
    let server: TestServer;
    let member: TestSocket;
    let user: Awaited<ReturnType<typeof createUser>>;
    let env: Record<string, string>;

    beforeAll(async () => {
      server = await startServer(store);
      env = { BACKEND_URL: server.url, BACKEND_ADMIN_KEY: server.adminKey };
      user = await createUser(server);
      member = await TestSocket.open(server.url, user.token);
      await member.request({ type: "join", channel: "chat:cli" });
    });
    afterAll(async () => {
      member?.ws.terminate();
      await server?.close();
    });

    it("sends JSON or text to the members, as the server", async () => {
      const json = await runBackend(["channels", "send", "chat:cli", '{"headline":"hello"}'], env);
      expect(json.code).toBe(0);
      expect(json.output).toMatch(/^Sent \S+ to chat:cli\n$/);
      await member.next((f) => f.type === "message" && f.message?.headline === "hello");
      const text = await runBackend(["channels", "send", "chat:cli", "plain words"], env);
      expect(text.code).toBe(0);
      const got = await member.next((f) => f.type === "message" && f.message === "plain words");
      expect(got.user).toBeNull();
      const bad = await runBackend(["channels", "send", "chat:cli", "{oops"], env);
      expect(bad.code).toBe(1);
      expect(bad.output).toMatch(/the message is not valid JSON/);
    });

    it("lists channels and members, as a table or JSON", async () => {
      const list = await runBackend(["channels", "list", "--json"], env);
      expect(JSON.parse(list.output)).toContainEqual({ channel: "chat:cli", connections: 1, users: 1 });
      const table = await runBackend(["channels", "list"], env);
      expect(table.output).toMatch(/CHANNEL\s+CONNECTIONS\s+USERS\nchat:cli\s+1\s+1/);
      const members = await runBackend(["channels", "members", "chat:cli"], env);
      expect(members.output).toBe(`${user.user.email}  ${user.user.id}\n`);
    });
  });
});
