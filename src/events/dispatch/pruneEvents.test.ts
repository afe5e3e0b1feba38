import { afterEach, describe, expect, it } from "vitest";
import { createTestStore, forEachStore } from "../../../test/harness.js";
import type { Store } from "../../storage/store.js";
import { pruneEvents } from "./pruneEvents.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

const OLD = "2026-01-01T00:00:00.000Z";
const NEW = "2026-12-01T00:00:00.000Z";

async function addEvent(store: Store, id: string, createdAt: string): Promise<void> {
  await store.db
    .insertInto("events")
    .values({
      id,
      type: "t",
      data: "{}",
      source: "custom",
      actor: null,
      cause_kind: null,
      cause_id: null,
      depth: 1,
      created_at: createdAt,
    })
    .execute();
}

async function addDelivery(
  store: Store,
  id: string,
  eventId: string,
  status: "done" | "dead" | "pending",
  completedAt: string | null,
) {
  await store.db
    .insertInto("deliveries")
    .values({
      id,
      event_id: eventId,
      event_type: "t",
      subscription_id: "s",
      function_name: "f",
      status,
      attempts: 1,
      max_attempts: 6,
      next_attempt_at: OLD,
      locked_until: null,
      last_error: null,
      execution_id: null,
      data: null,
      replay_of: null,
      created_at: OLD,
      completed_at: completedAt,
    })
    .execute();
}

forEachStore((kind) => {
  describe("pruning delivered events", () => {
    it("removes old done and dead deliveries and the old events nothing refers to, and keeps the rest", async () => {
      const { store, remove } = await createTestStore(kind);
      cleanups.push(remove);
      await addEvent(store, "e-old-done", OLD);
      await addDelivery(store, "d-old-done", "e-old-done", "done", OLD);
      await addEvent(store, "e-old-dead", OLD);
      await addDelivery(store, "d-old-dead", "e-old-dead", "dead", OLD);
      await addEvent(store, "e-old-pending", OLD);
      await addDelivery(store, "d-old-pending", "e-old-pending", "pending", null);
      await addEvent(store, "e-new", NEW);
      await addDelivery(store, "d-new-done", "e-new", "done", NEW);
      await addEvent(store, "e-new-alone", NEW);

      // Done ones go after June; dead ones are kept longer (cut-off before their completion).
      const result = await pruneEvents(store.db, {
        done: "2026-06-01T00:00:00.000Z",
        dead: "2025-06-01T00:00:00.000Z",
      });
      expect(result).toEqual({ removed: 2, more: false });

      const deliveries = await store.db.selectFrom("deliveries").select("id").orderBy("id").execute();
      expect(deliveries.map((d) => d.id)).toEqual(["d-new-done", "d-old-dead", "d-old-pending"]);
      const events = await store.db.selectFrom("events").select("id").orderBy("id").execute();
      expect(events.map((e) => e.id)).toEqual(["e-new", "e-new-alone", "e-old-dead", "e-old-pending"]);
    });
  });
});
