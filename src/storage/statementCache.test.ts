import Database from "better-sqlite3";
import { type Generated, Kysely, SqliteDialect, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MAX_CACHED_SQL_LENGTH, withStatementCache } from "./statementCache.js";

describe("the SQLite statement cache", () => {
  let sqlite: Database.Database;

  beforeEach(() => {
    sqlite = new Database(":memory:");
    sqlite.exec("create table t (id integer primary key, v text)");
    sqlite.exec("insert into t (v) values ('a'), ('b'), ('c')");
  });
  afterEach(() => {
    if (sqlite.open) sqlite.close();
  });

  it("prepares a statement once and hands the same one back for the same SQL", () => {
    const cached = withStatementCache(sqlite);
    const first = cached.prepare("select v from t where id = ?");
    expect(cached.prepare("select v from t where id = ?")).toBe(first);
    expect(cached.prepare("select v from t where id = ? ")).not.toBe(first);
    expect(first.all([2])).toEqual([{ v: "b" }]);
  });

  it("gives a fresh statement while the cached one is still being iterated", () => {
    const cached = withStatementCache(sqlite);
    const text = "select v from t order by id";
    const streaming = cached.prepare(text);
    const seen: string[] = [];
    for (const row of streaming.iterate([]) as Iterable<{ v: string }>) {
      // The cached statement is busy here: running it again would throw.
      const inner = cached.prepare(text);
      expect(inner).not.toBe(streaming);
      seen.push(`${row.v}:${(inner.all([]) as { v: string }[]).map((r) => r.v).join("")}`);
    }
    expect(seen).toEqual(["a:abc", "b:abc", "c:abc"]);
    // Once the iteration is over, the cached statement is used again.
    expect(cached.prepare(text)).toBe(streaming);
  });

  it("keeps at most the given number of statements, dropping the least recently used", () => {
    const cached = withStatementCache(sqlite, 2);
    const one = cached.prepare("select 1");
    const two = cached.prepare("select 2");
    expect(cached.prepare("select 1")).toBe(one);
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).toBe(one);
    expect(cached.prepare("select 2")).not.toBe(two);
  });

  it("prepares very long SQL each time instead of keeping it", () => {
    const cached = withStatementCache(sqlite);
    const long = `select 1 as one ${" ".repeat(MAX_CACHED_SQL_LENGTH)}`;
    const first = cached.prepare(long);
    expect(cached.prepare(long)).not.toBe(first);
    expect(first.all([])).toEqual([{ one: 1 }]);
  });

  it("runs Kysely queries, writes and transactions through the cached statements", async () => {
    const db = new Kysely<{ t: { id: Generated<number>; v: string } }>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    for (let i = 0; i < 3; i++) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto("t")
          .values({ v: `x${i}` })
          .execute();
      });
    }
    const rows = await db.selectFrom("t").select("v").where("v", "like", "x%").orderBy("id").execute();
    expect(rows.map((r) => r.v)).toEqual(["x0", "x1", "x2"]);
    const streamed: string[] = [];
    for await (const row of db.selectFrom("t").select("v").orderBy("id").stream()) streamed.push(row.v);
    expect(streamed).toHaveLength(6);
    expect((await sql<{ n: number }>`select count(*) as n from t`.execute(db)).rows[0]!.n).toBe(6);
    await db.destroy();
    expect(sqlite.open).toBe(false);
  });
});
