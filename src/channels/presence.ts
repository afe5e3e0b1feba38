// Who is in which channel, across nodes: one channel_members row per (channel, connection), and one
// realtime_nodes row per node, renewed while it lives. Rows of a node not seen for NODE_DEAD_MS are
// not counted, and are deleted by whichever node notices first; a node that stops cleanly deletes its
// own. Presence shows users (a user with two tabs is one member).
import { sql } from "kysely";
import type { Db } from "../storage/schema.js";
import type { MemberUser } from "./envelope.js";

/** A node renews its row this often... */
export const NODE_RENEW_MS = 5000;
/** ...and is dead when it has not for this long. */
export const NODE_DEAD_MS = 20_000;
/** Stored cross-node payloads are read within moments; they are deleted after this. */
const PAYLOAD_KEEP_MS = 5 * 60_000;

export interface Member {
  connectionId: string;
  channel: string;
  user: MemberUser | null;
}

export async function renewNode(db: Db, nodeId: string, now: Date, startedAt: string): Promise<void> {
  const seen = now.toISOString();
  await db
    .insertInto("realtime_nodes")
    .values({ id: nodeId, started_at: startedAt, seen_at: seen })
    .onConflict((oc) => oc.column("id").doUpdateSet({ seen_at: seen }))
    .execute();
}

/** Deletes what dead nodes left; answers the members removed, so their departure can be told. */
export async function pruneDeadNodes(db: Db, now: Date): Promise<Member[]> {
  const deadline = new Date(now.getTime() - NODE_DEAD_MS).toISOString();
  const dead = await db.selectFrom("realtime_nodes").select("id").where("seen_at", "<", deadline).execute();
  await db
    .deleteFrom("realtime_payloads")
    .where("created_at", "<", new Date(now.getTime() - PAYLOAD_KEEP_MS).toISOString())
    .execute();
  if (dead.length === 0) return [];
  const ids = dead.map((d) => d.id);
  const removed = await db
    .deleteFrom("channel_members")
    .where("node_id", "in", ids)
    .returning(["connection_id", "channel", "user_id", "email"])
    .execute();
  await db.deleteFrom("realtime_nodes").where("id", "in", ids).execute();
  return removed.map(memberOf);
}

/** A node that stops cleanly removes itself and its members. */
export async function removeNode(db: Db, nodeId: string): Promise<void> {
  await db.deleteFrom("channel_members").where("node_id", "=", nodeId).execute();
  await db.deleteFrom("realtime_nodes").where("id", "=", nodeId).execute();
}

export async function addMember(db: Db, nodeId: string, member: Member, now: Date): Promise<void> {
  await db
    .insertInto("channel_members")
    .values({
      connection_id: member.connectionId,
      channel: member.channel,
      node_id: nodeId,
      user_id: member.user?.id ?? null,
      email: member.user?.email ?? null,
      joined_at: now.toISOString(),
    })
    .onConflict((oc) => oc.columns(["channel", "connection_id"]).doNothing())
    .execute();
}

export async function removeMember(db: Db, connectionId: string, channel: string): Promise<void> {
  await db
    .deleteFrom("channel_members")
    .where("channel", "=", channel)
    .where("connection_id", "=", connectionId)
    .execute();
}

/** How many live connections `userId` has in `channel` (0 once their last one left). */
export async function connectionsOf(db: Db, channel: string, userId: string, now: Date): Promise<number> {
  const row = await live(db, now)
    .where("m.channel", "=", channel)
    .where("m.user_id", "=", userId)
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The signed-in users in `channel` on live nodes, in the order they first joined. */
export async function membersOf(db: Db, channel: string, now: Date, limit = 1000): Promise<MemberUser[]> {
  const rows = await live(db, now)
    .where("m.channel", "=", channel)
    .where("m.user_id", "is not", null)
    .select(["m.user_id", "m.email", (eb) => eb.fn.min("m.joined_at").as("first")])
    .groupBy(["m.user_id", "m.email"])
    .orderBy("first")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.user_id!, email: r.email! }));
}

export interface ChannelSummary {
  channel: string;
  connections: number;
  users: number;
}

/** Every channel with someone in it, busiest first: for admins and the dashboard. */
export async function activeChannels(db: Db, now: Date, limit = 500): Promise<ChannelSummary[]> {
  const rows = await live(db, now)
    .select([
      "m.channel",
      (eb) => eb.fn.countAll<number | string>().as("connections"),
      sql<number | string>`count(distinct m.user_id)`.as("users"),
    ])
    .groupBy("m.channel")
    .orderBy("connections", "desc")
    .orderBy("m.channel")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    channel: r.channel,
    connections: Number(r.connections),
    users: Number(r.users),
  }));
}

/** One socket of a signed-in user in a channel: where it is held and since when (for admins). */
export interface MemberConnection {
  userId: string;
  email: string;
  nodeId: string;
  joinedAt: string;
}

/** The sockets of signed-in users in `channel` on live nodes, oldest first. */
export async function memberConnectionsOf(
  db: Db,
  channel: string,
  now: Date,
  limit = 5000,
): Promise<MemberConnection[]> {
  const rows = await live(db, now)
    .where("m.channel", "=", channel)
    .where("m.user_id", "is not", null)
    .select(["m.user_id", "m.email", "m.node_id", "m.joined_at"])
    .orderBy("m.joined_at")
    .orderBy("m.connection_id")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ userId: r.user_id!, email: r.email!, nodeId: r.node_id, joinedAt: r.joined_at }));
}

function live(db: Db, now: Date) {
  const deadline = new Date(now.getTime() - NODE_DEAD_MS).toISOString();
  return db
    .selectFrom("channel_members as m")
    .innerJoin("realtime_nodes as n", "n.id", "m.node_id")
    .where("n.seen_at", ">=", deadline);
}

function memberOf(row: {
  connection_id: string;
  channel: string;
  user_id: string | null;
  email: string | null;
}): Member {
  return {
    connectionId: row.connection_id,
    channel: row.channel,
    user: row.user_id && row.email ? { id: row.user_id, email: row.email } : null,
  };
}
