// Channels across real `backend start` processes on one PostgreSQL database: members connected to
// different nodes exchange 1,000 messages with none lost, duplicated or reordered per sender; and a
// SIGKILLed node drops only its own clients, which reconnect (through a load balancer, here a TCP
// proxy) with the SDK to the surviving node, re-join, and keep receiving.
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { apiOf, createPgDatabase, pgProblem } from "../../test/harness.js";
import { CLUSTER_ADMIN_KEY as ADMIN_KEY, ClusterNodes } from "../../test/clusterNodes.js";
import type { SpawnedBackend } from "../../test/spawnBackend.js";
import { eventually } from "../functions/invoke/testing/deploy.js";
import { createClient } from "../sdk/index.js";
import { startTcpProxy } from "./testing/tcpProxy.js";
import { type Frame, TestSocket } from "./testing/testSocket.js";

const MESSAGES = 1000;
const CHANNELS = { framesPerSecond: 100_000, burstFrames: 100_000 };

const cluster = new ClusterNodes();
afterEach(() => cluster.cleanUp());

function startNode(databaseUrl: string): Promise<SpawnedBackend> {
  return cluster.start({ channels: CHANNELS }, { databaseUrl });
}

async function twoNodes(): Promise<[SpawnedBackend, SpawnedBackend]> {
  const database = await createPgDatabase();
  cluster.defer(() => database.drop());
  // The first node migrates; the second starts on the migrated database.
  const first = await startNode(database.url);
  return [first, await startNode(database.url)];
}

async function register(url: string): Promise<{ token: string; user: { id: string; email: string } }> {
  const email = `c${Math.random().toString(36).slice(2)}@example.com`;
  const res = await apiOf(url)("POST", "/api/auth/register", {
    body: { email, password: "correct horse battery staple" },
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Sends `count` messages `{ from, n }`, keeping at most `window` unacknowledged. */
async function sendMany(socket: TestSocket, channel: string, from: string, count: number, window = 50) {
  let acked = 0;
  let sent = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (sent < count && sent - acked < window) {
        const n = sent++;
        socket.request({ type: "send", channel, message: { from, n } }).then((answer) => {
          if (answer.type !== "sent") reject(new Error(`send ${n} failed: ${JSON.stringify(answer)}`));
          acked++;
          if (acked === count) resolve();
          else pump();
        }, reject);
      }
    };
    pump();
  });
}

describe.skipIf(pgProblem !== undefined)(
  `channels across nodes${pgProblem ? ` (skipped: ${pgProblem})` : ""}`,
  () => {
    it("members on two nodes exchange 1,000 messages: none lost, none duplicated, each sender's in order", async () => {
      const [one, two] = await twoNodes();
      const ann = await register(one.url);
      const ben = await register(two.url);
      const a = await TestSocket.open(one.url, ann.token);
      const b = await TestSocket.open(two.url, ben.token);
      cluster.defer(() => {
        a.ws.terminate();
        b.ws.terminate();
      });
      await a.request({ type: "join", channel: "cluster:chat" });
      await b.request({ type: "join", channel: "cluster:chat" });
      await Promise.all([
        sendMany(a, "cluster:chat", "ann", MESSAGES / 2),
        sendMany(b, "cluster:chat", "ben", MESSAGES / 2),
      ]);
      const received = (socket: TestSocket) => socket.messages("cluster:chat");
      await eventually(() => {
        expect(received(a)).toHaveLength(MESSAGES);
        expect(received(b)).toHaveLength(MESSAGES);
      }, 30_000);
      for (const socket of [a, b]) {
        const frames = received(socket);
        expect(new Set(frames.map((f) => f.id)).size).toBe(MESSAGES);
        for (const from of ["ann", "ben"]) {
          const ns = frames.filter((f) => f.message.from === from).map((f) => f.message.n as number);
          expect(ns).toEqual([...Array(MESSAGES / 2).keys()]);
        }
        const fromBen = frames.find((f) => f.message.from === "ben")!;
        expect(fromBen.user).toEqual({ id: ben.user.id, email: ben.user.email });
      }
      // Presence and the admin's view cover both nodes.
      const channels = await apiOf(one.url)("GET", "/api/channels", { token: ADMIN_KEY });
      expect(channels.body.items).toContainEqual({ channel: "cluster:chat", connections: 2, users: 2 });
      // A message larger than a NOTIFY payload crosses by reference.
      const big = "x".repeat(20_000);
      await apiOf(two.url)("POST", "/api/channels/cluster:chat/messages", {
        token: ADMIN_KEY,
        body: { message: { big } },
      });
      const arrived = await a.next((f: Frame) => f.type === "message" && f.message?.big !== undefined);
      expect(arrived.message.big).toBe(big);
    }, 120_000);

    it("a SIGKILLed node drops only its own clients; they reconnect through the SDK and keep receiving", async () => {
      const [one, two] = await twoNodes();
      // The balancer prefers node one while it lives.
      const balancer = await startTcpProxy([one.url, two.url]);
      cluster.defer(() => balancer.close());
      const ann = await register(one.url);
      const ben = await register(one.url);
      const moving = createClient({ url: balancer.url, token: ann.token, WebSocket: WebSocket as never });
      const staying = createClient({ url: two.url, token: ben.token, WebSocket: WebSocket as never });
      cluster.defer(() => {
        moving.realtime.disconnect();
        staying.realtime.disconnect();
      });
      const movingGot: { id: string; message: unknown }[] = [];
      const stayingGot: { id: string; message: unknown }[] = [];
      await moving.channels.join("cluster:room", (m) => movingGot.push(m));
      const room = await staying.channels.join("cluster:room", (m) => stayingGot.push(m));
      const stayingStatus: string[] = [];
      staying.realtime.onStatus((s) => stayingStatus.push(s));

      await room.send({ n: 0 });
      await eventually(() => expect(movingGot).toHaveLength(1));

      one.kill("SIGKILL");
      await one.exited;
      // The client on the dead node reconnects to node two through the balancer and re-joins: keep
      // sending until it hears one, then every later message reaches it once.
      const ns = (got: { message: unknown }[]) => got.map((m) => (m.message as { n: number }).n);
      let n = 0;
      await eventually(async () => {
        await room.send({ n: ++n });
        expect(ns(movingGot).some((x) => x >= 1)).toBe(true);
      }, 30_000);
      const after = n;
      for (let k = 1; k <= 10; k++) await room.send({ n: after + k });
      await eventually(() => expect(ns(movingGot)).toContain(after + 10), 30_000);
      expect(ns(movingGot).filter((x) => x > after)).toEqual([...Array(10).keys()].map((k) => after + k + 1));
      expect(new Set(movingGot.map((m) => m.id)).size).toBe(movingGot.length);
      // The other node's client never lost its connection, and got everything.
      expect(stayingStatus).toEqual([]);
      await eventually(() => expect(stayingGot).toHaveLength(after + 11));
      // Node two serves on.
      expect((await fetch(`${two.url}/healthz`)).status).toBe(200);
    }, 120_000);
  },
);
