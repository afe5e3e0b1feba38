// A deploy (or rollback) makes the function's subscriptions match its function.jsonc triggers.events:
// those it declares are created or updated (the config wins over changes made by hand), those it no
// longer declares and that came from the config are removed. Subscriptions made by hand through the
// API or CLI for types the config does not name are left alone. Runs in the deploy's transaction.
import { isoNow } from "../../core/clock.js";
import type { Clock } from "../../core/clock.js";
import { newId } from "../../core/ids.js";
import { bumpGeneration } from "../../storage/cacheGenerations.js";
import type { Executor } from "../../storage/schema.js";
import { writeJson } from "../../storage/store.js";
import type { EventTrigger } from "../../functions/deploy/functionConfig.js";
import { canonicalType } from "../catalogue.js";
import { checkFilter, checkLimit } from "./subscription.js";
import { ValidationError } from "../../core/errors.js";

export async function syncConfigSubscriptions(
  trx: Executor,
  deps: { clock: Clock; maxPerEvent: number },
  functionName: string,
  triggers: EventTrigger[],
): Promise<void> {
  const wanted = new Map<string, EventTrigger>();
  triggers.forEach((trigger, i) => {
    const type = canonicalType(trigger.event);
    if (wanted.has(type)) {
      throw new ValidationError(`function.jsonc: triggers.events[${i}] names ${type} a second time`);
    }
    checkFilter(trigger.filter, `function.jsonc: triggers.events[${i}].filter`);
    wanted.set(type, trigger);
  });
  const existing = await trx
    .selectFrom("subscriptions")
    .selectAll()
    .where("function_name", "=", functionName)
    .execute();
  const byType = new Map(existing.map((row) => [row.event_type, row]));
  const now = isoNow(deps.clock);
  let changed = false;

  for (const row of existing) {
    if (row.source === "config" && !wanted.has(row.event_type)) {
      await trx.deleteFrom("subscriptions").where("id", "=", row.id).execute();
      changed = true;
    }
  }
  for (const [type, trigger] of wanted) {
    const values = {
      priority: trigger.priority ?? 0,
      active: trigger.active === false ? 0 : 1,
      filter: trigger.filter ? writeJson(trigger.filter) : null,
      on_error: trigger.on_error ?? ("block" as const),
      source: "config" as const,
      updated_at: now,
    };
    const row = byType.get(type);
    if (row) {
      await trx.updateTable("subscriptions").set(values).where("id", "=", row.id).execute();
    } else {
      await checkLimit(trx, type, deps.maxPerEvent);
      await trx
        .insertInto("subscriptions")
        .values({ id: newId(), event_type: type, function_name: functionName, created_at: now, ...values })
        .execute();
    }
    changed = true;
  }
  if (changed) await bumpGeneration(trx, "subscriptions");
}

/** Deleting a function removes its subscriptions (in the deleting transaction). */
export async function removeFunctionSubscriptions(trx: Executor, functionName: string): Promise<void> {
  const result = await trx
    .deleteFrom("subscriptions")
    .where("function_name", "=", functionName)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) > 0) await bumpGeneration(trx, "subscriptions");
}
