// A PostgreSQL database that exists only for one bench run: backend_bench_<random>, dropped after.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** @returns {Promise<{ url: string, name: string, version: string, drop: () => Promise<void> }>} */
export async function createThrowawayDatabase() {
  const admin = new URL(PG_ADMIN_URL);
  if (admin.hostname !== "127.0.0.1" && admin.hostname !== "localhost") {
    throw new Error(`the bench only targets 127.0.0.1, not ${admin.hostname}`);
  }
  const name = `backend_bench_${randomBytes(5).toString("hex")}`;
  const version = await withClient(async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    const { rows } = await client.query("SHOW server_version");
    return rows[0].server_version;
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    url: url.toString(),
    name,
    version,
    async drop() {
      if (dropped) return;
      dropped = true;
      await withClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

async function withClient(work) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}
