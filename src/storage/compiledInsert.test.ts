import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStore, forEachStore } from "../../test/harness.js";
import { CompiledInsert } from "./compiledInsert.js";
import type { Executor, SettingsTable } from "./schema.js";
import type { Store } from "./store.js";

forEachStore((kind) => {
  describe("compiled inserts", () => {
    let store: Store;
    let remove: () => Promise<void>;

    beforeAll(async () => {
      ({ store, remove } = await createTestStore(kind));
    });
    afterAll(async () => {
      await remove?.();
    });

    let n = 0;
    const rows = (count: number): SettingsTable[] =>
      Array.from({ length: count }, () => ({ key: `k${++n}`, value: `value of k${n}` }));
    const stored = async (of: SettingsTable[]) =>
      store.db
        .selectFrom("settings")
        .selectAll()
        .where(
          "key",
          "in",
          of.map((r) => r.key),
        )
        .orderBy("key")
        .execute();
    const counted = (columns: (keyof SettingsTable)[]) => {
      const built = { times: 0 };
      const insert = new CompiledInsert<SettingsTable>(columns, (exec: Executor, values) => {
        built.times++;
        return exec.insertInto("settings").values(values);
      });
      return { insert, built };
    };

    it("builds each number of rows once, then runs its SQL again with the new rows", async () => {
      const { insert, built } = counted(["key", "value"]);
      const written: SettingsTable[] = [];
      for (let i = 0; i < 3; i++) {
        const batch = rows(2);
        await insert.execute(store.db, batch);
        written.push(...batch);
      }
      expect(built.times).toBe(1);
      await store.db.transaction().execute(async (trx) => {
        const batch = rows(3);
        await insert.execute(trx, batch);
        await insert.execute(trx, rows(2));
        written.push(...batch);
      });
      expect(built.times).toBe(2);
      const found = await stored(written);
      expect(found).toHaveLength(9);
      for (const row of found) expect(row.value).toBe(`value of ${row.key}`);
    });

    it("builds every time when the columns do not match the order of the parameters", async () => {
      const { insert, built } = counted(["value", "key"]);
      const written = [...rows(2), ...rows(2)];
      await insert.execute(store.db, written.slice(0, 2));
      await insert.execute(store.db, written.slice(2));
      expect(built.times).toBe(2);
      const found = await stored(written);
      for (const row of found) expect(row.value).toBe(`value of ${row.key}`);
    });

    it("builds large inserts every time", async () => {
      const { insert, built } = counted(["key", "value"]);
      await insert.execute(store.db, rows(100));
      await insert.execute(store.db, rows(100));
      expect(built.times).toBe(2);
    });
  });
});
