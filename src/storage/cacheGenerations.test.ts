import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestStore, forEachStore } from "../../test/harness.js";
import { bumpGeneration, GenerationCache, readGenerations } from "./cacheGenerations.js";
import type { Store } from "./store.js";

describe("a generation cache", () => {
  it("starts afresh when the generation moves on, and is not used by a caller that saw an older one", () => {
    const cache = new GenerationCache(() => new Map<string, string>());
    const first = cache.at(3)!;
    first.set("a", "held at 3");
    expect(cache.at(3)).toBe(first);
    const second = cache.at(4)!;
    expect(second).not.toBe(first);
    expect(second.size).toBe(0);
    // A slow caller that read generation 3 before the change must neither use nor fill the cache.
    expect(cache.at(3)).toBeUndefined();
    expect(cache.at(4)).toBe(second);
  });
});

forEachStore((kind) => {
  describe("cache generations", () => {
    let store: Store;
    let remove: () => Promise<void>;

    beforeAll(async () => {
      ({ store, remove } = await createTestStore(kind));
    });
    afterAll(async () => {
      await remove?.();
    });

    it("start at zero and move one at a time, each name on its own, with the transaction", async () => {
      expect(await readGenerations(store.db)).toEqual({ functions: 0, secrets: 0, subscriptions: 0 });
      await store.db.transaction().execute((trx) => bumpGeneration(trx, "functions"));
      await bumpGeneration(store.db, "functions");
      await bumpGeneration(store.db, "secrets");
      expect(await readGenerations(store.db)).toEqual({ functions: 2, secrets: 1, subscriptions: 0 });
      await expect(
        store.db.transaction().execute(async (trx) => {
          await bumpGeneration(trx, "secrets");
          throw new Error("the change failed");
        }),
      ).rejects.toThrow("the change failed");
      expect(await readGenerations(store.db)).toEqual({ functions: 2, secrets: 1, subscriptions: 0 });
    });

    it("move even when their row was removed", async () => {
      await store.db.deleteFrom("cache_generations").execute();
      await bumpGeneration(store.db, "secrets");
      expect((await readGenerations(store.db)).secrets).toBe(1);
    });
  });
});
