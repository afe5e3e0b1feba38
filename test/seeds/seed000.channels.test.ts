// Seed 000's "Real-world example: Chat history" as written (fixtures/000_onChatMessage.js.txt): a
// function on chan_in stores every message two clients send in a channel into `chat_history`, with
// no change on the clients, and both clients receive each other's messages over real WebSockets.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestSocket } from "../../src/channels/testing/testSocket.js";
import { deploy, eventually } from "../../src/functions/invoke/testing/deploy.js";
import { createUser, forEachStore, startServer, type TestServer } from "../harness.js";

const SEED = readFileSync(new URL("./fixtures/000_onChatMessage.js.txt", import.meta.url), "utf8");

forEachStore((store) => {
  describe("seed 000: chat history", () => {
    let server: TestServer;
    const sockets: TestSocket[] = [];

    beforeAll(async () => {
      server = await startServer(store, { config: { functions: { workers: 1 } } });
      await deploy(server, "chat-history", SEED, { triggers: { events: ["chan_in"] } }, "entry.js");
    });
    afterAll(async () => {
      for (const socket of sockets) socket.ws.terminate();
      await server?.close();
    });

    it("the source is the seed's, verbatim", () => {
      expect(SEED).toContain("function onChatMessage(event) {");
      expect(SEED).toContain("backend.create('chat_history', {");
      expect(SEED).toContain("timestamp: new Date()");
    });

    it("stores every message sent by two clients, and each client receives the other's", async () => {
      const ann = await createUser(server);
      const ben = await createUser(server);
      const a = await TestSocket.open(server.url, ann.token);
      const b = await TestSocket.open(server.url, ben.token);
      sockets.push(a, b);
      await a.request({ type: "join", channel: "general" });
      await b.request({ type: "join", channel: "general" });
      await a.request({ type: "send", channel: "general", message: "hello from ann" });
      await b.request({ type: "send", channel: "general", message: { text: "hi ann", emoji: "👋" } });
      await a.request({ type: "send", channel: "general", message: "how are you?" });

      await b.next((f) => f.type === "message" && f.message === "how are you?");
      await a.next((f) => f.type === "message" && f.message?.text === "hi ann");
      expect(b.messages("general").map((f) => [f.user.email, f.message])).toEqual([
        [ann.user.email, "hello from ann"],
        [ben.user.email, { text: "hi ann", emoji: "👋" }],
        [ann.user.email, "how are you?"],
      ]);
      expect(a.messages("general")).toHaveLength(3);

      const history = await eventually(async () => {
        const res = await server.api("GET", "/api/records/chat_history?limit=100", {
          token: server.adminKey,
        });
        expect(res.status).toBe(200);
        expect(res.body.items).toHaveLength(3);
        return res.body.items as Record<string, unknown>[];
      });
      const rows = history.map((r) => ({ channel: r.channel, user: r.user, message: r.message }));
      expect(rows).toEqual(
        expect.arrayContaining([
          { channel: "general", user: { id: ann.user.id, email: ann.user.email }, message: "hello from ann" },
          {
            channel: "general",
            user: { id: ben.user.id, email: ben.user.email },
            message: { text: "hi ann", emoji: "👋" },
          },
          { channel: "general", user: { id: ann.user.id, email: ann.user.email }, message: "how are you?" },
        ]),
      );
      for (const row of history) expect(Number.isNaN(Date.parse(String(row.timestamp)))).toBe(false);
    });
  });
});
