// Prepared statements reused by SQL text. Kysely's SQLite driver prepares every query it runs, and
// preparing (parsing and planning the SQL) costs more than running a small query; the same few
// statements run over and over, so each is prepared once and kept, least recently used first out.
import type { SqliteDatabase, SqliteStatement } from "kysely";

export const MAX_CACHED_STATEMENTS = 1000;
/**
 * Longer SQL (inserts of hundreds of rows) is prepared each time: such a statement is big in memory,
 * rarely the same twice, and its preparation is small next to the rows it writes.
 */
export const MAX_CACHED_SQL_LENGTH = 8 * 1024;

/** The database as Kysely's SqliteDialect sees it, with `prepare` answered from a cache. */
export function withStatementCache<S extends SqliteStatement>(
  database: { prepare(sql: string): S; close(): unknown },
  max = MAX_CACHED_STATEMENTS,
): SqliteDatabase {
  const statements = new Map<string, S>();
  return {
    prepare(sql: string): S {
      if (sql.length > MAX_CACHED_SQL_LENGTH) return database.prepare(sql);
      const cached = statements.get(sql);
      if (cached) {
        // A statement still being iterated (a streamed query) cannot run again until it is done.
        if ((cached as { busy?: boolean }).busy) return database.prepare(sql);
        // Most recently used last: a Map iterates in insertion order.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > max) statements.delete(statements.keys().next().value!);
      return statement;
    },
    close(): void {
      statements.clear();
      database.close();
    },
  };
}
