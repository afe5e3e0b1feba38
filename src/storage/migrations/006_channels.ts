// Channels: who is in which realtime channel on which node (presence, and the dashboard's view of
// connected members), the nodes that hold connections (a node that stops renewing its row is dead and
// its members are dropped), and the bodies of cross-node notifications too large for NOTIFY.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("realtime_nodes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("seen_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("channel_members")
    .addColumn("connection_id", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("node_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("email", "text")
    .addColumn("joined_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("channel_members_pk", ["channel", "connection_id"])
    .execute();
  await db.schema.createIndex("channel_members_node").on("channel_members").column("node_id").execute();

  await db.schema
    .createTable("realtime_payloads")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("realtime_payloads_age").on("realtime_payloads").column("created_at").execute();
}
