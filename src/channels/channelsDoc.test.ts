// docs/channels.md is true: its rules example is a valid config that behaves as described, and its
// marked examples (```js example=NAME with their ```jsonc example=NAME function.jsonc) deploy and do
// what the page says, over real WebSockets, on both stores.
import { readFileSync } from "node:fs";
import { parse } from "jsonc-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { configSchema } from "../config/config.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import { TestSocket } from "./testing/testSocket.js";

const page = readFileSync(new URL("../../docs/channels.md", import.meta.url), "utf8");

const examples = new Map<string, { source?: string; config?: Record<string, unknown> }>();
for (const m of page.matchAll(/```(js|jsonc) example=([\w-]+)\n([\s\S]*?)\n```/g)) {
  const [, lang, name, text] = m as unknown as [string, string, string, string];
  const example = examples.get(name) ?? {};
  if (lang === "jsonc") example.config = parse(text) as Record<string, unknown>;
  else example.source = text;
  examples.set(name, example);
}
const rulesBlock = /```jsonc\n(\{\n {2}"server"[\s\S]*?)\n```/.exec(page)?.[1];
const serverConfig = (parse(rulesBlock ?? "{}") as { server?: { channels?: unknown } }).server;

function example(name: string): { source: string; config: Record<string, unknown> } {
  const found = examples.get(name);
  if (!found?.source || !found.config) throw new Error(`docs/channels.md has no complete example '${name}'`);
  return found as { source: string; config: Record<string, unknown> };
}

describe("docs/channels.md", () => {
  it("has the examples this test runs, and a rules example that is a valid config", () => {
    expect([...examples.keys()].sort()).toEqual(["chat-history", "moderator", "team-door"]);
    expect(configSchema.parse({ channels: serverConfig?.channels }).channels.rules).toHaveLength(5);
  });
});

forEachStore((store) => {
  describe("docs/channels.md examples", () => {
    let server: TestServer;
    const sockets: TestSocket[] = [];
    const open = async (token?: string) => {
      const socket = await TestSocket.open(server.url, token);
      sockets.push(socket);
      return socket;
    };

    beforeAll(async () => {
      server = await startServer(store, {
        config: { functions: { workers: 1 }, channels: serverConfig?.channels as never },
      });
      for (const name of ["team-door", "moderator", "chat-history"]) {
        const { source, config } = example(name);
        await deploy(server, name, source, config, "entry.js");
      }
    });
    afterAll(async () => {
      for (const socket of sockets) socket.ws.terminate();
      await server?.close();
    });

    it("the rules: public listeners, admin-only news, own inboxes, presence rooms", async () => {
      const ann = await createUser(server);
      const ben = await createUser(server);
      const anon = await open();
      expect(await anon.request({ type: "join", channel: "public:square" })).toMatchObject({
        type: "joined",
      });
      expect(await anon.request({ type: "join", channel: "room:1" })).toMatchObject({ code: "unauthorized" });
      const a = await open(ann.token);
      await a.request({ type: "join", channel: "news" });
      expect(await a.request({ type: "send", channel: "news", message: "hi" })).toMatchObject({
        code: "forbidden",
      });
      expect(await a.request({ type: "join", channel: `inbox:${ann.user.id}` })).toMatchObject({
        type: "joined",
      });
      expect(await a.request({ type: "join", channel: `inbox:${ben.user.id}` })).toMatchObject({
        code: "forbidden",
      });
      expect(await a.request({ type: "join", channel: "room:1" })).toMatchObject({ presence: true });
    });

    it("team-door admits a team's members to its private channel and refuses others", async () => {
      const ann = await createUser(server);
      const ben = await createUser(server);
      await server.api("POST", "/api/records/teams", {
        token: server.adminKey,
        body: { name: "red", members: [ann.user.email] },
      });
      await server.api("PUT", "/api/collections/teams", { token: server.adminKey, body: { read: "users" } });
      const a = await open(ann.token);
      const b = await open(ben.token);
      expect(await a.request({ type: "join", channel: "team:red" })).toMatchObject({ type: "joined" });
      expect(await b.request({ type: "join", channel: "team:red" })).toMatchObject({ code: "blocked" });
      expect(await a.request({ type: "join", channel: "team:blue" })).toMatchObject({
        code: "blocked",
        message: "No team blue",
      });
    });

    it("moderator refuses spoilers and tones down shouting; chat-history stores what went out", async () => {
      const ann = await createUser(server);
      const ben = await createUser(server);
      const a = await open(ann.token);
      const b = await open(ben.token);
      await a.request({ type: "join", channel: "general" });
      await b.request({ type: "join", channel: "general" });
      expect(
        await a.request({ type: "send", channel: "general", message: { text: "Spoiler: the end" } }),
      ).toMatchObject({
        code: "blocked",
        message: "Please keep it spoiler-free",
      });
      await a.request({ type: "send", channel: "general", message: { text: "HELLO ALL" } });
      await b.next((f) => f.type === "message" && f.message.text === "hello all");
      expect(b.messages("general")).toHaveLength(1);
      const history = await eventually(async () => {
        const res = await server.api("GET", "/api/records/chat_history", { token: server.adminKey });
        expect(res.body.items).toHaveLength(1);
        return res.body.items;
      });
      expect(history[0]).toMatchObject({
        channel: "general",
        user: { id: ann.user.id, email: ann.user.email },
        message: { text: "hello all" },
      });
    });
  });
});
