// The SDK's channels and record feeds over real sockets on both stores: messages between clients,
// refused joins, presence, record feeds with filters, and staying connected: a cut link, a frozen
// one (the heartbeat notices), a node that shuts down, a session that ends, a token the server
// refuses. A TCP proxy between the SDK and the server plays the network. Without a server, a fake
// socket pins what needs exact frames: repeats dropped, close codes that stop the reconnecting.
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import WebSocket from "ws";
import { createUser, forEachStore, startServer, type TestServer } from "../../test/harness.js";
import { eventually } from "../functions/invoke/testing/deploy.js";
import {
  type BackendClient,
  BackendError,
  type ChannelMessage,
  type ClientOptions,
  createClient,
  type PresenceChange,
  type RealtimeStatus,
  type RecordChange,
  type WebSocketLike,
} from "./index.js";
import { rejection } from "./testing/rejection.js";

/** Resolves the next time the client's realtime status becomes `status`. */
function statusBecomes(client: BackendClient, status: RealtimeStatus): Promise<void> {
  return new Promise((resolve) => {
    const stop = client.realtime.onStatus((now) => {
      if (now !== status) return;
      stop();
      resolve();
    });
  });
}

/** A TCP proxy between the SDK and a server, that a test cuts, freezes or points elsewhere. */
class Proxy {
  /** Connections accepted so far. */
  connections = 0;
  private readonly links = new Set<{ client: Socket; upstream: Socket; frozen: boolean }>();

  private constructor(
    private readonly server: Server,
    public target: URL,
  ) {}

  static async start(target: string): Promise<Proxy> {
    const server = createServer();
    const proxy = new Proxy(server, new URL(target));
    server.on("connection", (client) => proxy.accept(client));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Closes every open link, as a network that drops does. */
  cut(): void {
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
  }

  /** Open links stop carrying bytes but stay open, as a dead route does; new links work. */
  freeze(): void {
    for (const link of this.links) link.frozen = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    this.connections++;
    const upstream = connect(Number(this.target.port), this.target.hostname);
    const link = { client, upstream, frozen: false };
    this.links.add(link);
    client.on("data", (data) => void (link.frozen || upstream.write(data)));
    upstream.on("data", (data) => void (link.frozen || client.write(data)));
    const end = () => {
      client.destroy();
      upstream.destroy();
      this.links.delete(link);
    };
    for (const socket of [client, upstream]) {
      socket.on("close", end);
      socket.on("error", () => {});
    }
  }
}

interface Note {
  text: string;
  pinned?: boolean;
}

forEachStore((store) => {
  describe("channels and record feeds with the SDK", () => {
    let server: TestServer;
    let alice: Awaited<ReturnType<typeof createUser>>;
    let bob: Awaited<ReturnType<typeof createUser>>;
    const clients: BackendClient[] = [];
    const proxies: Proxy[] = [];
    const servers: TestServer[] = [];

    function client(token: string | null, options: Partial<ClientOptions> = {}): BackendClient {
      const created = createClient({ url: server.url, token, WebSocket, ...options });
      clients.push(created);
      return created;
    }

    async function proxy(target = server.url): Promise<Proxy> {
      const started = await Proxy.start(target);
      proxies.push(started);
      return started;
    }

    beforeAll(async () => {
      server = await startServer(store, {
        config: {
          functions: { workers: 1 },
          channels: {
            rules: [
              { pattern: "inbox:{user.id}", join: "private" },
              { pattern: "room:*", join: "users", presence: true },
              { pattern: "public:*", join: "public" },
            ],
          },
        },
      });
      alice = await createUser(server);
      bob = await createUser(server);
    });
    afterAll(async () => {
      for (const each of clients) each.realtime.disconnect();
      for (const each of proxies) await each.close();
      for (const each of servers) await each.close();
      await server?.close();
    });

    it("two clients in a channel receive each other's messages, with the senders from their sessions", async () => {
      const a = client(alice.token);
      const b = client(bob.token);
      const toA: ChannelMessage<{ text: string }>[] = [];
      const toB: ChannelMessage<{ text: string }>[] = [];
      const lobby = await a.channels.join<{ text: string }>("chat:lobby", (m) => toA.push(m));
      await b.channels.join<{ text: string }>("chat:lobby", (m) => toB.push(m));
      expect(lobby.name).toBe("chat:lobby");
      expect(a.realtime.status).toBe("open");

      const fromA = await lobby.send({ text: "hi bob" });
      expect(fromA).toEqual({ id: expect.any(String) });
      const fromB = await b.channels.send("chat:lobby", { text: "hi alice" });
      await eventually(() => {
        expect(toB.map((m) => m.id)).toEqual([fromA.id, fromB.id]);
        expect(toA.map((m) => m.id)).toEqual([fromA.id, fromB.id]);
      });
      expect(toB[0]).toEqual({
        id: fromA.id,
        channel: "chat:lobby",
        message: { text: "hi bob" },
        user: { id: alice.user.id, email: alice.user.email },
        timestamp: expect.any(String),
      });
      expect(toA[1]!.user).toEqual({ id: bob.user.id, email: bob.user.email });
      expectTypeOf(toA[0]!.message.text).toEqualTypeOf<string>();

      // After leaving, messages stop; sending there is refused.
      await lobby.leave();
      await b.channels.send("chat:lobby", { text: "gone?" });
      await eventually(() => expect(toB).toHaveLength(3));
      expect(toA).toHaveLength(2);
      expect(await rejection(a.channels.send("chat:lobby", { text: "x" }))).toMatchObject({
        code: "not_joined",
        status: 409,
      });
    });

    it("a refused join rejects with the server's code", async () => {
      const a = client(alice.token);
      const forbidden = await rejection(a.channels.join(`inbox:${bob.user.id}`, () => {}));
      expect(forbidden).toMatchObject({
        code: "forbidden",
        status: 403,
        details: { channel: `inbox:${bob.user.id}` },
      });
      const own = await a.channels.join(`inbox:${alice.user.id}`, () => {});
      expect(own.name).toBe(`inbox:${alice.user.id}`);
      expect(await rejection(a.channels.join("bad name!", () => {}))).toMatchObject({
        code: "invalid_input",
      });

      // Signed out: public channels only, and no sending.
      const anonymous = client(null);
      expect(await rejection(anonymous.channels.join("chat:lobby", () => {}))).toMatchObject({
        code: "unauthorized",
        status: 401,
      });
      const square = await anonymous.channels.join("public:square", () => {});
      expect(await rejection(square.send("hello"))).toMatchObject({ code: "unauthorized" });
    });

    it("presence lists the members, and onPresence tells who arrives and leaves", async () => {
      const a = client(alice.token);
      const b = client(bob.token);
      const changes: PresenceChange[] = [];
      const room = await a.channels.join("room:presence", () => {});
      room.onPresence((change) => changes.push(change));
      expect(await room.presence()).toEqual([{ id: alice.user.id, email: alice.user.email }]);

      const bobInRoom = await b.channels.join("room:presence", () => {});
      await eventually(() =>
        expect(changes).toEqual([
          { channel: "room:presence", op: "joined", user: { id: bob.user.id, email: bob.user.email } },
        ]),
      );
      const members = await a.channels.presence("room:presence");
      expect(members.map((m) => m.id).sort()).toEqual([alice.user.id, bob.user.id].sort());

      await bobInRoom.leave();
      await eventually(() =>
        expect(changes.at(-1)).toEqual({
          channel: "room:presence",
          op: "left",
          user: { id: bob.user.id, email: bob.user.email },
        }),
      );
      // A channel whose rule has no presence says so.
      const quiet = await a.channels.join("chat:quiet", () => {});
      expect(await rejection(quiet.presence())).toMatchObject({ code: "forbidden" });
    });

    it("a second join of a channel adds a listener; the channel is left when the last handle leaves", async () => {
      const a = client(alice.token);
      const b = client(bob.token);
      await b.channels.join("chat:twice", () => {});
      const first: string[] = [];
      const second: string[] = [];
      const one = await a.channels.join<string>("chat:twice", (m) => first.push(m.message));
      const two = await a.channels.join<string>("chat:twice", (m) => second.push(m.message));
      await b.channels.send("chat:twice", "both");
      await eventually(() => expect([first, second]).toEqual([["both"], ["both"]]));
      await one.leave();
      // Still joined: the second handle hears the next message, and may send.
      await b.channels.send("chat:twice", "second only");
      await eventually(() => expect(second).toEqual(["both", "second only"]));
      expect(first).toEqual(["both"]);
      await two.send("still here");
      await two.leave();
      expect(await rejection(a.channels.send("chat:twice", "x"))).toMatchObject({ code: "not_joined" });
    });

    it("records.subscribe reports creates, updates and deletes, honours filters and stops when told", async () => {
      const a = client(alice.token);
      const all: RecordChange<Note>[] = [];
      const pinned: RecordChange<Note>[] = [];
      const stopAll = await a.records.subscribe<Note>("sdk_notes", undefined, (c) => all.push(c));
      const stopPinned = await a.records.subscribe<Note>("sdk_notes", { pinned: true }, (c) =>
        pinned.push(c),
      );

      const note = await a.records.create<Note>("sdk_notes", { text: "one" });
      await a.records.update<Note>("sdk_notes", note.id, { pinned: true });
      await a.records.delete("sdk_notes", note.id);
      await eventually(() => expect(all.map((c) => c.op)).toEqual(["create", "update", "delete"]));
      expect(all[0]).toEqual({ op: "create", collection: "sdk_notes", record: note });
      expect(all[1]).toMatchObject({
        op: "update",
        record: { id: note.id, text: "one", pinned: true },
        previous: { id: note.id, text: "one" },
      });
      expectTypeOf(all[0]!.record.text).toEqualTypeOf<string>();
      // The filtered feed hears of the record once it matches.
      await eventually(() => expect(pinned.map((c) => c.op)).toEqual(["update", "delete"]));

      // One record's feed hears only that record.
      const kept = await a.records.create<Note>("sdk_notes", { text: "kept" });
      const other = await a.records.create<Note>("sdk_notes", { text: "other" });
      const one: RecordChange<Note>[] = [];
      const stopOne = await a.records.subscribe<Note>("sdk_notes", { id: kept.id }, (c) => one.push(c));
      await a.records.update<Note>("sdk_notes", other.id, { text: "other 2" });
      await a.records.update<Note>("sdk_notes", kept.id, { text: "kept 2" });
      await eventually(() => expect(one.map((c) => c.record.text)).toEqual(["kept 2"]));

      // Stopped feeds hear nothing more: the feed still running hears the next change after them.
      await stopAll();
      await stopPinned();
      const seen = all.length;
      await a.records.update<Note>("sdk_notes", kept.id, { text: "kept 3", pinned: true });
      await eventually(() => expect(one.map((c) => c.record.text)).toEqual(["kept 2", "kept 3"]));
      expect(all).toHaveLength(seen);
      expect(pinned).toHaveLength(2);
      await stopOne();
      await stopOne();
    });

    it("records.subscribe on a collection the caller may not read is refused", async () => {
      await server.api("PUT", "/api/collections/sdk_secret", {
        token: server.adminKey,
        body: { read: "owner" },
      });
      const error = await rejection(client(null).records.subscribe("sdk_secret", undefined, () => {}));
      expect(error).toMatchObject({ code: "unauthorized", status: 401 });
    });

    it("after a cut link the client reconnects, re-joins and re-subscribes; a send made meanwhile goes out once back", async () => {
      const link = await proxy();
      const a = client(alice.token, { url: link.url });
      const b = client(bob.token);
      const statuses: RealtimeStatus[] = [];
      a.realtime.onStatus((status) => statuses.push(status));
      const got: ChannelMessage[] = [];
      await a.channels.join("chat:reconnect", (m) => got.push(m));
      const changes: RecordChange<Note>[] = [];
      await a.records.subscribe<Note>("sdk_reconnect", undefined, (c) => changes.push(c));
      await b.channels.join("chat:reconnect", () => {});
      await b.channels.send("chat:reconnect", "before");
      await eventually(() => expect(got.map((m) => m.message)).toEqual(["before"]));

      const reconnecting = statusBecomes(a, "connecting");
      link.cut();
      await reconnecting;
      // Sent while the socket is down: it waits, and goes out after the re-join.
      const during = await a.channels.send("chat:reconnect", "during");
      expect(during.id).toEqual(expect.any(String));
      expect(statuses).toEqual(["connecting", "open", "connecting", "open"]);
      expect(link.connections).toBe(2);

      await b.channels.send("chat:reconnect", "after");
      await eventually(() => expect(got.map((m) => m.message)).toEqual(["before", "during", "after"]));
      expect(new Set(got.map((m) => m.id)).size).toBe(got.length);
      const note = await a.records.create<Note>("sdk_reconnect", { text: "after the cut" });
      await eventually(() => expect(changes.map((c) => c.record.id)).toEqual([note.id]));
    });

    it("a frozen link is noticed by the heartbeat, and the client moves to a new one", async () => {
      const link = await proxy();
      const a = client(alice.token, { url: link.url, heartbeatMs: 300 });
      const b = client(bob.token);
      const got: string[] = [];
      await a.channels.join<string>("chat:frozen", (m) => got.push(m.message));
      await b.channels.join("chat:frozen", () => {});
      const reconnecting = statusBecomes(a, "connecting");
      link.freeze();
      await reconnecting;
      await statusBecomes(a, "open");
      expect(link.connections).toBe(2);
      // Its own send follows the re-join on the new link, so bob's next message reaches it.
      await a.channels.send("chat:frozen", "mine");
      await b.channels.send("chat:frozen", "after the freeze");
      await eventually(() => expect(got).toEqual(["mine", "after the freeze"]));
    });

    it("when a node shuts down (1001), the client reconnects to another and re-joins", async () => {
      // Two nodes that know the same admin key; the proxy stands for a load balancer.
      const adminKey = `shared-admin-key-${Math.random().toString(36).slice(2)}`;
      const first = await startServer(store, { config: { adminKey, functions: { workers: 1 } } });
      const second = await startServer(store, { config: { adminKey, functions: { workers: 1 } } });
      servers.push(first, second);
      const balancer = await proxy(first.url);
      const a = client(adminKey, { url: balancer.url });
      const got: string[] = [];
      await a.channels.join<string>("chat:nodes", (m) => got.push(m.message));

      balancer.target = new URL(second.url);
      const reconnecting = statusBecomes(a, "connecting");
      const closing = first.close();
      await reconnecting;
      await statusBecomes(a, "open");
      await closing;
      servers.splice(servers.indexOf(first), 1);
      await a.channels.send("chat:nodes", "on the second node");
      const sender = client(adminKey, { url: second.url });
      await sender.channels.join("chat:nodes", () => {});
      await sender.channels.send("chat:nodes", "hello");
      await eventually(() => expect(got).toEqual(["on the second node", "hello"]));
    });

    it("a session that ends (4401) stops the socket and reports it; signing in again restores the channels", async () => {
      const carol = await createUser(server);
      const link = await proxy();
      const c = client(carol.token, { url: link.url });
      const errors: BackendError[] = [];
      c.realtime.onError((error) => errors.push(error));
      const got: string[] = [];
      await c.channels.join<string>("chat:session", (m) => got.push(m.message));

      await server.api("POST", "/api/auth/logout", { token: carol.token });
      const closed = statusBecomes(c, "closed");
      await server.platform.realtime.checkSessions();
      await closed;
      // Closed, not waiting to reconnect: the same token would only be refused again.
      expect(errors.map((e) => [e.status, e.code])).toEqual([[401, "session_ended"]]);
      expect(link.connections).toBe(1);

      await c.auth.login({ email: carol.user.email, password: carol.password });
      await c.channels.send("chat:session", "signed in again");
      await eventually(() => expect(got).toEqual(["signed in again"]));
      expect(c.realtime.status).toBe("open");
    });

    it("a token the server refuses at connect rejects with unauthorized instead of retrying forever", async () => {
      const stale = client("not-a-token");
      const error = await rejection(stale.channels.join("public:square", () => {}));
      expect(error).toMatchObject({ code: "unauthorized", status: 401 });
      expect(stale.realtime.status).toBe("closed");
    });

    it("disconnect closes the socket and forgets the channels; a later join opens a new one", async () => {
      const a = client(alice.token);
      const b = client(bob.token);
      const got: string[] = [];
      await a.channels.join<string>("chat:bye", (m) => got.push(m.message));
      await b.channels.join("chat:bye", () => {});
      const pending = a.channels.presence("chat:bye");
      a.realtime.disconnect();
      expect(a.realtime.status).toBe("closed");
      expect(await rejection(pending)).toMatchObject({ code: "disconnected" });

      const again: string[] = [];
      await a.channels.join<string>("chat:bye-again", (m) => again.push(m.message));
      await b.channels.join("chat:bye-again", () => {});
      await b.channels.send("chat:bye", "to the old channel");
      await b.channels.send("chat:bye-again", "to the new one");
      await eventually(() => expect(again).toEqual(["to the new one"]));
      expect(got).toEqual([]);
    });
  });
});

/** WebSocket classes whose sockets a test drives frame by frame. */
function fakeSockets() {
  const sockets: FakeSocket[] = [];
  const waiting: { count: number; resolve: (socket: FakeSocket) => void }[] = [];
  /** The `count`th socket, once the client opened it. */
  function opened(count: number): Promise<FakeSocket> {
    if (sockets.length >= count) return Promise.resolve(sockets[count - 1]!);
    return new Promise((resolve) => waiting.push({ count, resolve }));
  }
  class FakeSocket implements WebSocketLike {
    onopen: WebSocketLike["onopen"] = null;
    onmessage: WebSocketLike["onmessage"] = null;
    onclose: WebSocketLike["onclose"] = null;
    onerror: WebSocketLike["onerror"] = null;
    readonly sent: { type: string; ref?: number; [field: string]: unknown }[] = [];
    closed = false;

    constructor(readonly url: string) {
      sockets.push(this);
      for (const waiter of waiting.filter((w) => w.count === sockets.length)) waiter.resolve(this);
    }

    send(data: string): void {
      this.sent.push(JSON.parse(data));
    }

    close(): void {
      this.closed = true;
    }

    push(frame: object): void {
      this.onmessage?.({ data: JSON.stringify(frame) });
    }

    /** Says `connected`, as the server does first. */
    connect(): void {
      this.push({ type: "connected", connection: `c${sockets.indexOf(this)}`, user: null });
    }

    /** Answers the last frame of `type` sent on this socket. */
    answer(type: string, frame: object): void {
      const request = this.sent.findLast((f) => f.type === type);
      if (!request) throw new Error(`no ${type} frame sent; sent: ${JSON.stringify(this.sent)}`);
      this.push({ ...frame, ref: request.ref });
    }

    drop(code = 1006): void {
      this.onclose?.({ code, reason: "" });
    }
  }
  return { WebSocket: FakeSocket, sockets, opened };
}

describe("the realtime socket without a server", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const message = (id: string) => ({
    type: "message",
    channel: "chat:x",
    id,
    message: id,
    user: null,
    timestamp: "2030-01-01T00:00:00.000Z",
  });

  it("connects to /realtime under the url's path, with the token, and delivers a repeated message once", async () => {
    const { WebSocket, opened } = fakeSockets();
    const client = createClient({
      url: "https://api.example.com/backend/",
      token: "tok",
      WebSocket,
      reconnect: { minMs: 1, maxMs: 2 },
      heartbeatMs: 0,
    });
    const got: string[] = [];
    const joining = client.channels.join("chat:x", (m) => got.push(m.id));
    const first = await opened(1);
    expect(first.url).toBe("wss://api.example.com/backend/realtime?token=tok");
    expect(first.sent).toEqual([]);
    first.connect();
    first.answer("join", { type: "joined", channel: "chat:x", presence: false });
    await joining;
    first.push(message("m1"));
    first.push(message("m1"));

    // Around a reconnect the same message may come again: it is dropped.
    first.drop();
    const second = await opened(2);
    second.connect();
    expect(second.sent).toEqual([{ type: "join", channel: "chat:x", ref: expect.any(Number) }]);
    second.answer("join", { type: "joined", channel: "chat:x", presence: false });
    second.push(message("m1"));
    second.push(message("m2"));
    expect(got).toEqual(["m1", "m2"]);
    client.realtime.disconnect();
  });

  it("a send cut off before its answer fails (it may have gone out); a join cut off goes again", async () => {
    const { WebSocket, opened } = fakeSockets();
    const client = createClient({ url: "http://x.test", WebSocket, reconnect: { minMs: 1, maxMs: 2 } });
    // Not awaited: the send still goes out after the join.
    const joining = client.channels.join("chat:x", () => {});
    const sending = client.channels.send("chat:x", "hello");
    const first = await opened(1);
    expect(first.sent).toEqual([]);
    first.connect();
    expect(first.sent.map((f) => f.type)).toEqual(["join", "send"]);
    first.drop();
    expect(await rejection(sending)).toMatchObject({ code: "network_error", status: 0 });
    const second = await opened(2);
    second.connect();
    expect(second.sent.map((f) => f.type)).toEqual(["join"]);
    second.answer("join", { type: "joined", channel: "chat:x", presence: false });
    await joining;
    client.realtime.disconnect();
  });

  it("closes for flooding (1008) or an ended session (4401) stop the reconnecting and are reported", async () => {
    for (const [code, expected] of [
      [1008, "rate_limited"],
      [4401, "session_ended"],
    ] as const) {
      const { WebSocket, sockets, opened } = fakeSockets();
      const client = createClient({ url: "http://x.test", token: "tok", WebSocket });
      const errors: string[] = [];
      const statuses: RealtimeStatus[] = [];
      client.realtime.onError((e) => errors.push(e.code));
      client.realtime.onStatus((s) => statuses.push(s));
      const joining = client.channels.join("chat:x", () => {});
      const first = await opened(1);
      first.connect();
      first.answer("join", { type: "joined", channel: "chat:x", presence: false });
      await joining;
      first.drop(code);
      expect(statuses).toEqual(["connecting", "open", "closed"]);
      expect(errors).toEqual([expected]);
      // A new token starts again, and the channel is re-joined.
      client.setToken("new-token");
      expect(sockets).toHaveLength(2);
      expect(sockets[1]!.url).toBe("ws://x.test/realtime?token=new-token");
      sockets[1]!.connect();
      expect(sockets[1]!.sent.map((f) => [f.type, f.channel])).toEqual([["join", "chat:x"]]);
      client.realtime.disconnect();
    }
  });

  it("with reconnect off, a dropped socket stays closed and says why", async () => {
    const { WebSocket, sockets, opened } = fakeSockets();
    const client = createClient({ url: "http://x.test", WebSocket, reconnect: false });
    const errors: BackendError[] = [];
    client.realtime.onError((e) => errors.push(e));
    const joining = client.channels.join("chat:x", () => {});
    const first = await opened(1);
    first.connect();
    first.answer("join", { type: "joined", channel: "chat:x", presence: false });
    await joining;
    first.drop(1001);
    expect(client.realtime.status).toBe("closed");
    expect(errors[0]).toMatchObject({ code: "network_error", message: expect.stringMatching(/1001/) });
    expect(sockets).toHaveLength(1);
  });

  it("a request with no answer fails with timeout after the client's timeoutMs", async () => {
    const { WebSocket, opened } = fakeSockets();
    const client = createClient({ url: "http://x.test", WebSocket, timeoutMs: 50 });
    const joining = client.channels.join("chat:x", () => {});
    (await opened(1)).connect();
    expect(await rejection(joining)).toMatchObject({ code: "timeout", status: 0 });
    client.realtime.disconnect();
  });

  it("without a WebSocket class the first join says how to pass one", async () => {
    vi.stubGlobal("WebSocket", undefined);
    const client = createClient({ url: "http://x.test" });
    await expect(client.channels.join("chat:x", () => {})).rejects.toThrow(
      /pass a WebSocket class, e\.g\. the ws package's/,
    );
    expect(client.realtime.status).toBe("closed");
  });

  it("types changes and messages from the type arguments", () => {
    // Compiled by `tsc --noEmit`, never run.
    const typeChecks = async () => {
      const client = createClient({ url: "http://x.test" });
      await client.records.subscribe<Note>("notes", { filter: { pinned: true } }, (change) => {
        const text: string = change.record.text;
        const before: Note | undefined = change.previous;
        return [text, before];
      });
      // @ts-expect-error no such field
      await client.records.subscribe<Note>("notes", { colour: "red" }, () => {});
      const channel = await client.channels.join<{ text: string }>("chat:x", (m) => m.message.text);
      // @ts-expect-error the message type is { text: string }
      await channel.send({ body: 1 });
    };
    expect(typeChecks).toBeTypeOf("function");
  });
});
