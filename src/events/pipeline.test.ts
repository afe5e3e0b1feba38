import { afterEach, describe, expect, it } from "vitest";
import { createTestStore, forEachStore } from "../../test/harness.js";
import { anonymous } from "../auth/principal.js";
import { BlockedError } from "../core/errors.js";
import type { Store } from "../storage/store.js";
import { type ActionEvent, ActionPipeline, type EventSeams } from "./pipeline.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function openTestStore(kind: "sqlite" | "postgres"): Promise<Store> {
  const { store, remove } = await createTestStore(kind);
  cleanups.push(remove);
  return store;
}

const ctx = { principal: anonymous };

async function readSetting(store: Store, key: string): Promise<string | undefined> {
  const row = await store.db.selectFrom("settings").select("value").where("key", "=", key).executeTakeFirst();
  return row?.value;
}

forEachStore((kind) => {
  describe("the write pipeline", () => {
    it("passes the input a PRE seam modified to the write, and records the POST event in the transaction", async () => {
      const store = await openTestStore(kind);
      const pipeline = new ActionPipeline(store.db);
      const recorded: ActionEvent[] = [];
      const committed: ActionEvent[] = [];
      const seams: EventSeams = {
        before: async (_type, data) => ({ ...data, value: `${data.value}-checked` }),
        record: async (trx, event) => {
          // The outbox row is written with the transaction: it sees the uncommitted write.
          const row = await trx
            .selectFrom("settings")
            .select("value")
            .where("key", "=", "k")
            .executeTakeFirst();
          recorded.push({ ...event, data: { ...event.data, seenInTx: row?.value } });
          return 1;
        },
        afterCommit: (events) => committed.push(...events),
      };
      pipeline.setSeams(seams);

      const result = await pipeline.run({
        ctx,
        input: { key: "k", value: "v" },
        pre: "PRE_TEST",
        validate: (data) => ({ key: String(data.key), value: String(data.value) }),
        write: async (trx, input) => {
          await trx.insertInto("settings").values(input).execute();
          return input;
        },
        post: { type: "POST_TEST", data: (r) => ({ value: r.value }) },
      });

      expect(result.value).toBe("v-checked");
      expect(await readSetting(store, "k")).toBe("v-checked");
      expect(recorded).toEqual([
        { id: expect.any(String), type: "POST_TEST", data: { value: "v-checked", seenInTx: "v-checked" } },
      ]);
      expect(committed).toEqual([{ id: recorded[0]!.id, type: "POST_TEST", data: { value: "v-checked" } }]);
    });

    it("writes nothing when a PRE seam blocks the action", async () => {
      const store = await openTestStore(kind);
      const pipeline = new ActionPipeline(store.db);
      pipeline.setSeams({
        before: async (type) => {
          throw new BlockedError("Invalid email address", type);
        },
        record: async () => 0,
        afterCommit: () => {},
      });
      const run = pipeline.run({
        ctx,
        input: { key: "blocked", value: "v" },
        pre: "PRE_TEST",
        write: async (trx, input) => {
          await trx
            .insertInto("settings")
            .values({ key: String(input.key), value: String(input.value) })
            .execute();
        },
      });
      await expect(run).rejects.toThrow("Invalid email address");
      expect(await readSetting(store, "blocked")).toBeUndefined();
    });

    it("rolls the write back when recording the POST event fails, and wakes nobody", async () => {
      const store = await openTestStore(kind);
      const pipeline = new ActionPipeline(store.db);
      const committed: ActionEvent[] = [];
      pipeline.setSeams({
        before: async (_t, data) => data,
        record: async () => {
          throw new Error("outbox unavailable");
        },
        afterCommit: (events) => committed.push(...events),
      });
      const run = pipeline.run({
        ctx,
        input: { key: "rolled-back", value: "v" },
        write: async (trx, input) => {
          await trx
            .insertInto("settings")
            .values({ key: String(input.key), value: String(input.value) })
            .execute();
          return input;
        },
        post: { type: "POST_TEST", data: () => ({}) },
      });
      await expect(run).rejects.toThrow("outbox unavailable");
      expect(await readSetting(store, "rolled-back")).toBeUndefined();
      expect(committed).toEqual([]);
    });
  });
});
