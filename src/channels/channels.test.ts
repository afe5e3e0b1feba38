// Channels over real WebSockets on both stores: joining by rule, messages to every member, PRE
// moderation (block and rewrite), forged identities ignored, presence, record change feeds that only
// carry what the subscriber may read, limits (frame size, floods), sessions that end, and admin and
// function sends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { deploy, eventually } from "../functions/invoke/testing/deploy.js";
import { TestSocket } from "./testing/testSocket.js";

forEachStore((store) => {
  describe("channels", () => {
    let server: TestServer;
    const sockets: TestSocket[] = [];
    let alice: Awaited<ReturnType<typeof createUser>>;
    let bob: Awaited<ReturnType<typeof createUser>>;

    async function open(token?: string): Promise<TestSocket> {
      const socket = await TestSocket.open(server.url, token);
      sockets.push(socket);
      return socket;
    }

    beforeAll(async () => {
      server = await startServer(store, {
        config: {
          functions: { workers: 1 },
          channels: {
            rules: [
              { pattern: "public:*", join: "public" },
              { pattern: "inbox:{user.id}", join: "private" },
              { pattern: "vip:*", join: "private", presence: true },
              { pattern: "news", join: "public", send: "admin" },
              { pattern: "room:*", join: "users", presence: true },
            ],
            framesPerSecond: 20,
            burstFrames: 20,
            floodLimit: 10,
            maxFrameBytes: 4096,
          },
        },
      });
      alice = await createUser(server);
      bob = await createUser(server);
    });
    afterAll(async () => {
      for (const socket of sockets) socket.ws.terminate();
      await server?.close();
    });

    it("members of a channel receive each other's messages, with the sender from the session", async () => {
      const a = await open(alice.token);
      const b = await open(bob.token);
      expect((await a.request({ type: "join", channel: "chat:lobby" })).type).toBe("joined");
      expect((await b.request({ type: "join", channel: "chat:lobby" })).type).toBe("joined");
      const sent = await a.request({ type: "send", channel: "chat:lobby", message: { text: "hi bob" } });
      expect(sent).toMatchObject({ type: "sent", channel: "chat:lobby" });
      const got = await b.next((f) => f.type === "message" && f.id === sent.id);
      expect(got).toMatchObject({
        channel: "chat:lobby",
        message: { text: "hi bob" },
        user: { id: alice.user.id, email: alice.user.email },
      });
      expect(new Date(got.timestamp).toISOString()).toBe(got.timestamp);
      // The sender receives its own message too, and someone outside the channel does not.
      await a.next((f) => f.type === "message" && f.id === sent.id);
      const outsider = await open(bob.token);
      await b.request({ type: "send", channel: "chat:lobby", message: "second" });
      await a.next((f) => f.type === "message" && f.message === "second");
      expect(outsider.messages("chat:lobby")).toHaveLength(0);
    });

    it("with no chan_in subscription a message is not stored as an event; with one it is", async () => {
      const stored = async () =>
        (
          await server.api("GET", "/api/events?type=POST_CHANNEL_MESSAGE&limit=100", {
            token: server.adminKey,
          })
        ).body.items as { data: { message: unknown } }[];
      const a = await open(alice.token);
      await a.request({ type: "join", channel: "chat:stored" });
      await a.request({ type: "send", channel: "chat:stored", message: "unheard" });
      expect((await stored()).map((e) => e.data.message)).not.toContain("unheard");
      await deploy(server, "chat-log", `export default function () {}`, {
        triggers: { events: ["chan_in"] },
      });
      try {
        await a.request({ type: "send", channel: "chat:stored", message: "heard" });
        expect((await stored()).map((e) => e.data.message)).toContain("heard");
      } finally {
        await server.api("DELETE", "/api/functions/chat-log", { token: server.adminKey });
      }
    });

    it("a frame that claims a user or a role changes nothing: identity comes from the session", async () => {
      const a = await open(alice.token);
      const b = await open(bob.token);
      await a.request({ type: "join", channel: "chat:forge" });
      await b.request({ type: "join", channel: "chat:forge" });
      await b.request({
        type: "send",
        channel: "chat:forge",
        message: "I am alice",
        user: { id: alice.user.id, email: alice.user.email },
        role: "admin",
        userId: alice.user.id,
      });
      const got = await a.next((f) => f.type === "message" && f.message === "I am alice");
      expect(got.user).toEqual({ id: bob.user.id, email: bob.user.email });
      // An auth frame with a role does not make anyone an admin.
      const anon = await open();
      await anon.request({ type: "auth", token: bob.token, role: "admin" });
      const denied = await anon.request({ type: "send", channel: "news", message: "fake news" });
      expect(denied).toMatchObject({ type: "error", code: "not_joined" });
      await anon.request({ type: "join", channel: "news" });
      expect(await anon.request({ type: "send", channel: "news", message: "fake news" })).toMatchObject({
        type: "error",
        code: "forbidden",
      });
    });

    it("signed-out clients join public channels only, and cannot send", async () => {
      const anon = await open();
      expect(await anon.request({ type: "join", channel: "chat:lobby" })).toMatchObject({
        type: "error",
        code: "unauthorized",
        channel: "chat:lobby",
      });
      expect(await anon.request({ type: "join", channel: "public:square" })).toMatchObject({
        type: "joined",
      });
      expect(await anon.request({ type: "send", channel: "public:square", message: "x" })).toMatchObject({
        type: "error",
        code: "unauthorized",
      });
      // After an auth frame the same socket may join an authenticated channel.
      expect(await anon.request({ type: "auth", token: alice.token })).toMatchObject({
        type: "authenticated",
        user: { id: alice.user.id },
      });
      expect(await anon.request({ type: "join", channel: "chat:lobby" })).toMatchObject({ type: "joined" });
    });

    it("a bad token is refused at the upgrade with 401, and in an auth frame with an error frame", async () => {
      await expect(TestSocket.open(server.url, "not-a-token")).rejects.toThrow(/401/);
      const anon = await open();
      expect(await anon.request({ type: "auth", token: "not-a-token" })).toMatchObject({
        type: "error",
        code: "unauthorized",
      });
    });

    it("a {user.id} channel admits only its user; a private channel needs a PRE_CHANNEL_JOIN grant", async () => {
      const a = await open(alice.token);
      expect(await a.request({ type: "join", channel: `inbox:${alice.user.id}` })).toMatchObject({
        type: "joined",
      });
      expect(await a.request({ type: "join", channel: `inbox:${bob.user.id}` })).toMatchObject({
        type: "error",
        code: "forbidden",
      });
      expect(await a.request({ type: "join", channel: "vip:lounge" })).toMatchObject({
        type: "error",
        code: "forbidden",
      });
      await deploy(
        server,
        "vip-door",
        `export default function (event) {
          return { allow: event.user?.email === ${JSON.stringify(alice.user.email)}, message: "VIPs only" };
        }`,
        { triggers: { events: ["PRE_CHANNEL_JOIN"] } },
      );
      try {
        expect(await a.request({ type: "join", channel: "vip:lounge" })).toMatchObject({
          type: "joined",
          presence: true,
        });
        const b = await open(bob.token);
        expect(await b.request({ type: "join", channel: "vip:lounge" })).toMatchObject({
          type: "error",
          code: "blocked",
          message: "VIPs only",
        });
        // The handler refuses bob everywhere, even in channels anyone signed in may join.
        expect(await b.request({ type: "join", channel: "chat:other" })).toMatchObject({ code: "blocked" });
      } finally {
        await server.api("DELETE", "/api/functions/vip-door", { token: server.adminKey });
      }
    });

    it("presence shows who is in a channel and tells members who arrives and leaves", async () => {
      const a = await open(alice.token);
      const b = await open(bob.token);
      await a.request({ type: "join", channel: "room:1" });
      expect(await a.request({ type: "presence", channel: "room:1" })).toMatchObject({
        members: [{ id: alice.user.id, email: alice.user.email }],
      });
      await b.request({ type: "join", channel: "room:1" });
      const arrived = await a.next((f) => f.type === "member_joined" && f.user.id === bob.user.id);
      expect(arrived).toMatchObject({ channel: "room:1", user: { email: bob.user.email } });
      // Nobody is told of their own arrival: alice's came before bob's, and did not reach her socket.
      expect(a.frames.filter((f) => f.type === "member_joined" && f.user.id === alice.user.id)).toEqual([]);
      const both = await a.request({ type: "presence", channel: "room:1" });
      expect(both.members.map((m: { id: string }) => m.id).sort()).toEqual(
        [alice.user.id, bob.user.id].sort(),
      );
      await b.close();
      await a.next((f) => f.type === "member_left" && f.user.id === bob.user.id);
      // Channels without presence say so.
      await a.request({ type: "join", channel: "chat:quiet" });
      expect(await a.request({ type: "presence", channel: "chat:quiet" })).toMatchObject({
        code: "forbidden",
      });
      // Admins see any channel's members over HTTP: each user once, with their sockets' node and
      // first join; a second socket of the same user counts as a connection, not a member.
      const second = await open(alice.token);
      await second.request({ type: "join", channel: "room:1" });
      const members = await server.api("GET", "/api/channels/room:1/members", { token: server.adminKey });
      expect(members.body.items).toEqual([
        {
          id: alice.user.id,
          email: alice.user.email,
          connections: 2,
          nodes: [server.platform.realtime.nodeId],
          joinedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        },
      ]);
      await second.close();
      await eventually(async () => {
        const after = await server.api("GET", "/api/channels/room:1/members", { token: server.adminKey });
        expect(after.body.items).toMatchObject([{ id: alice.user.id, connections: 1 }]);
      });
      const channels = await server.api("GET", "/api/channels", { token: server.adminKey });
      expect(channels.body.items).toContainEqual(expect.objectContaining({ channel: "room:1", users: 1 }));
      expect((await server.api("GET", "/api/channels", { token: alice.token })).status).toBe(403);
    });

    it("a PRE_CHANNEL_MESSAGE handler blocks a banned word and rewrites another", async () => {
      await deploy(
        server,
        "moderator",
        `export default function (event) {
          const text = String(event.message?.text ?? "");
          if (text.includes("spoiler")) return { allow: false, message: "No spoilers here" };
          if (text.includes("darn")) return { ...event, message: { text: text.replaceAll("darn", "d**n") } };
        }`,
        { triggers: { events: [{ event: "PRE_CHANNEL_MESSAGE", filter: { channel: "chat:moderated" } }] } },
      );
      try {
        const a = await open(alice.token);
        const b = await open(bob.token);
        await a.request({ type: "join", channel: "chat:moderated" });
        await b.request({ type: "join", channel: "chat:moderated" });
        const refused = await a.request({
          type: "send",
          channel: "chat:moderated",
          message: { text: "spoiler: he dies" },
        });
        expect(refused).toMatchObject({
          type: "error",
          code: "blocked",
          message: "No spoilers here",
          channel: "chat:moderated",
        });
        await a.request({ type: "send", channel: "chat:moderated", message: { text: "darn it" } });
        await a.request({ type: "send", channel: "chat:moderated", message: { text: "fine" } });
        await b.next((f) => f.type === "message" && f.message.text === "fine");
        expect(b.messages("chat:moderated").map((f) => f.message.text)).toEqual(["d**n it", "fine"]);
        expect(a.messages("chat:moderated").map((f) => f.message.text)).toEqual(["d**n it", "fine"]);
      } finally {
        await server.api("DELETE", "/api/functions/moderator", { token: server.adminKey });
      }
    });

    it("admins send over HTTP and functions with backend.channels.send; chan_in fires only when asked", async () => {
      await deploy(
        server,
        "announcer",
        `export default async function (payload) {
          return backend.channels.send("news", { headline: payload.headline }, { event: payload.event === true });
        }`,
      );
      await deploy(
        server,
        "news-log",
        `export default async function (event) {
          await backend.create("news_log", { channel: event.channel, message: event.message, user: event.user });
        }`,
        { triggers: { events: [{ event: "chan_in", filter: { channel: "news" } }] } },
      );
      const anon = await open();
      await anon.request({ type: "join", channel: "news" });
      const http = await server.api("POST", "/api/channels/news/messages", {
        token: server.adminKey,
        body: { message: { headline: "from http" } },
      });
      expect(http.status).toBe(201);
      expect(http.body).toMatchObject({ channel: "news", user: null, message: { headline: "from http" } });
      const quiet = await server.api("POST", "/api/functions/announcer/invoke", {
        token: server.adminKey,
        body: { headline: "quiet" },
      });
      expect(quiet.status).toBe(200);
      expect(quiet.body).toMatchObject({ channel: "news", user: null });
      await server.api("POST", "/api/functions/announcer/invoke", {
        token: server.adminKey,
        body: { headline: "loud", event: true },
      });
      await anon.next((f) => f.type === "message" && f.message.headline === "loud");
      expect(anon.messages("news").map((f) => f.message.headline)).toEqual(["from http", "quiet", "loud"]);
      const logged = await eventually(async () => {
        const res = await server.api("GET", "/api/records/news_log", { token: server.adminKey });
        expect(res.body.items).toHaveLength(1);
        return res.body.items;
      });
      expect(logged[0]).toMatchObject({ channel: "news", message: { headline: "loud" }, user: null });
      // Users do not send over HTTP; bad bodies are 400s.
      expect(
        (
          await server.api("POST", "/api/channels/news/messages", {
            token: alice.token,
            body: { message: 1 },
          })
        ).status,
      ).toBe(403);
      const bad = await server.api("POST", "/api/channels/bad%20name/messages", {
        token: server.adminKey,
        body: { message: 1 },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/channel name/);
      expect(
        (await server.api("POST", "/api/channels/news/messages", { token: server.adminKey, body: {} }))
          .status,
      ).toBe(400);
    });

    it("record changes reach a subscriber only for records they may read, filtered", async () => {
      await server.api("PUT", "/api/collections/private_notes", {
        token: server.adminKey,
        body: { read: "owner" },
      });
      const a = await open(alice.token);
      const sub = await a.request({ type: "subscribe", collection: "private_notes" });
      expect(sub).toMatchObject({ type: "subscribed", collection: "private_notes" });
      const filtered = await a.request({
        type: "subscribe",
        collection: "private_notes",
        filter: { pinned: true },
      });
      const mine = await server.api("POST", "/api/records/private_notes", {
        token: alice.token,
        body: { text: "mine" },
      });
      await server.api("POST", "/api/records/private_notes", { token: bob.token, body: { text: "bob's" } });
      await server.api("PATCH", `/api/records/private_notes/${mine.body.id}`, {
        token: alice.token,
        body: { pinned: true },
      });
      await server.api("DELETE", `/api/records/private_notes/${mine.body.id}`, { token: alice.token });
      await a.next((f) => f.type === "change" && f.op === "delete" && f.subscription === sub.subscription);
      await a.next(
        (f) => f.type === "change" && f.op === "delete" && f.subscription === filtered.subscription,
      );
      const changes = a.frames.filter((f) => f.type === "change");
      expect(changes.every((f) => f.record.ownerId === alice.user.id)).toBe(true);
      expect(changes.filter((f) => f.subscription === sub.subscription).map((f) => f.op)).toEqual([
        "create",
        "update",
        "delete",
      ]);
      // The filtered feed hears of the record once it matches.
      expect(changes.filter((f) => f.subscription === filtered.subscription).map((f) => f.op)).toEqual([
        "update",
        "delete",
      ]);
      const update = changes.find((f) => f.op === "update")!;
      expect(update.record.pinned).toBe(true);
      expect(update.previous.pinned).toBeUndefined();
      // A signed-out socket cannot follow a collection it may not read at all.
      const anon = await open();
      expect(await anon.request({ type: "subscribe", collection: "private_notes" })).toMatchObject({
        type: "error",
        code: "unauthorized",
      });
      expect(await a.request({ type: "unsubscribe", subscription: sub.subscription })).toMatchObject({
        type: "unsubscribed",
      });
    });

    it("a feed on one record hears only that record", async () => {
      await server.api("PUT", "/api/collections/boards", { token: server.adminKey, body: { read: "users" } });
      const one = await server.api("POST", "/api/records/boards", { token: alice.token, body: { n: 1 } });
      const two = await server.api("POST", "/api/records/boards", { token: alice.token, body: { n: 2 } });
      const b = await open(bob.token);
      const sub = await b.request({ type: "subscribe", collection: "boards", id: one.body.id });
      await server.api("PATCH", `/api/records/boards/${two.body.id}`, {
        token: alice.token,
        body: { n: 20 },
      });
      await server.api("PATCH", `/api/records/boards/${one.body.id}`, {
        token: alice.token,
        body: { n: 10 },
      });
      const change = await b.next((f) => f.type === "change" && f.subscription === sub.subscription);
      expect(change.record).toMatchObject({ id: one.body.id, n: 10 });
      expect(b.frames.filter((f) => f.type === "change")).toHaveLength(1);
    });

    it("bad frames get error frames that say what was wrong, and the socket stays open", async () => {
      const a = await open(alice.token);
      a.send("not json");
      expect(await a.next((f) => f.type === "error")).toMatchObject({
        code: "bad_frame",
        message: expect.stringMatching(/JSON/),
      });
      expect(await a.request({ type: "dance" })).toMatchObject({
        code: "bad_frame",
        message: expect.stringMatching(/Unknown frame type/),
      });
      expect(await a.request({ type: "join" })).toMatchObject({
        code: "bad_frame",
        message: expect.stringMatching(/channel/),
      });
      expect(await a.request({ type: "join", channel: "bad name!" })).toMatchObject({
        code: "invalid_input",
      });
      expect(await a.request({ type: "send", channel: "chat:never-joined", message: 1 })).toMatchObject({
        code: "not_joined",
      });
      expect(await a.request({ type: "unsubscribe", subscription: "nope" })).toMatchObject({
        code: "not_found",
      });
      expect(await a.request({ type: "ping" })).toMatchObject({ type: "pong" });
    });

    it("an oversized frame gets an error frame, then a close with 1009; others keep being served", async () => {
      const a = await open(alice.token);
      const other = await open(bob.token);
      a.send({ type: "send", channel: "chat:lobby", message: "x".repeat(5000) });
      expect(await a.next((f) => f.type === "error")).toMatchObject({ code: "payload_too_large" });
      expect((await a.closed).code).toBe(1009);
      expect(await other.request({ type: "ping" })).toMatchObject({ type: "pong" });
    });

    it("a flood gets rate-limit error frames, then a close with 1008; others keep being served", async () => {
      const a = await open(alice.token);
      const other = await open(bob.token);
      await a.request({ type: "join", channel: "chat:flood" });
      await other.request({ type: "join", channel: "chat:flood" });
      for (let i = 0; i < 200; i++) a.send({ type: "send", channel: "chat:flood", message: i });
      const { code } = await a.closed;
      expect(code).toBe(1008);
      expect(a.frames.filter((f) => f.code === "rate_limited").length).toBeGreaterThan(1);
      // What got through reached the other member; the server still answers.
      expect(await other.request({ type: "ping" })).toMatchObject({ type: "pong" });
      expect(other.messages("chat:flood").length).toBeLessThanOrEqual(200);
    });

    it("logging out ends the session's sockets", async () => {
      const carol = await createUser(server);
      const c = await open(carol.token);
      await c.request({ type: "join", channel: "chat:lobby" });
      await server.api("POST", "/api/auth/logout", { token: carol.token });
      await server.platform.realtime.checkSessions();
      expect(await c.next((f) => f.type === "error")).toMatchObject({ code: "session_ended" });
      expect((await c.closed).code).toBe(4401);
    });

    it("a non-WebSocket path answers 404 to an upgrade", async () => {
      const ws = new WebSocket(`${server.url.replace(/^http/, "ws")}/nope`);
      const status = await new Promise<number | undefined>((resolve) => {
        ws.once("unexpected-response", (_req, res) => resolve(res.statusCode));
        ws.once("open", () => resolve(undefined));
        ws.once("error", () => {});
      });
      expect(status).toBe(404);
    });
  });
});

forEachStore((store) => {
  describe("channels: heartbeats and idle sockets", () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer(store, { config: { channels: { heartbeatMs: 100, idleMs: 300 } } });
    });
    afterAll(async () => server?.close());

    it("a socket in no channel and no feed is closed as idle with 1001", async () => {
      const user = await createUser(server);
      const socket = await TestSocket.open(server.url, user.token);
      const { code, reason } = await socket.closed;
      expect(code).toBe(1001);
      expect(reason).toMatch(/idle/);
    });

    it("a client that stops answering pings is dropped, and leaves its channels", async () => {
      const user = await createUser(server);
      const socket = await TestSocket.open(server.url, user.token);
      await socket.request({ type: "join", channel: "chat:heartbeat" });
      const before = server.platform.realtime.connectionCount;
      // The client's process is as good as frozen: it reads nothing, so it answers no ping.
      (socket.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      await eventually(() => expect(server.platform.realtime.connectionCount).toBe(before - 1));
      await eventually(async () => {
        const res = await server.api("GET", "/api/channels/chat:heartbeat/members", {
          token: server.adminKey,
        });
        expect(res.body.items).toEqual([]);
      });
      socket.ws.terminate();
    });
  });
});

forEachStore((store) => {
  describe("channels: a node's socket limit", () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await startServer(store, { config: { channels: { maxConnections: 2 } } });
    });
    afterAll(async () => server?.close());

    it("refuses sockets past channels.maxConnections with 503, and takes them again when one closes", async () => {
      const user = await createUser(server);
      const first = await TestSocket.open(server.url, user.token);
      const second = await TestSocket.open(server.url, user.token);
      await expect(TestSocket.open(server.url, user.token)).rejects.toThrow(/503/);
      await first.close();
      await eventually(() => expect(server.platform.realtime.connectionCount).toBe(1));
      const third = await TestSocket.open(server.url, user.token);
      second.ws.terminate();
      third.ws.terminate();
    });
  });
});
