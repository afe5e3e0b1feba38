// GET /api/events/types and `backend events list`: the catalogue with each type's subscriber counts,
// and the custom types that have subscribers.
import { requireAdmin, type Principal } from "../auth/principal.js";
import type { Deps } from "../deps.js";
import { SYSTEM_EVENTS } from "./catalogue.js";

export interface EventTypeItem {
  type: string;
  aliases: string[];
  phase: "PRE" | "POST" | "custom";
  description: string;
  payload: Record<string, string>;
  subscribers: number;
  activeSubscribers: number;
}

export async function listEventTypes(deps: Pick<Deps, "db">, principal: Principal): Promise<EventTypeItem[]> {
  requireAdmin(principal);
  const rows = await deps.db
    .selectFrom("subscriptions")
    .select((eb) => ["event_type", "active", eb.fn.countAll().as("n")])
    .groupBy(["event_type", "active"])
    .execute();
  const counts = new Map<string, { all: number; active: number }>();
  for (const row of rows) {
    const count = counts.get(row.event_type) ?? { all: 0, active: 0 };
    count.all += Number(row.n);
    if (Number(row.active) !== 0) count.active += Number(row.n);
    counts.set(row.event_type, count);
  }
  const items: EventTypeItem[] = SYSTEM_EVENTS.map((e) => ({
    type: e.type,
    aliases: e.aliases,
    phase: e.phase,
    description: e.description,
    payload: e.payload,
    subscribers: counts.get(e.type)?.all ?? 0,
    activeSubscribers: counts.get(e.type)?.active ?? 0,
  }));
  const system = new Set(SYSTEM_EVENTS.map((e) => e.type));
  for (const [type, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    if (system.has(type)) continue;
    items.push({
      type,
      aliases: [],
      phase: "custom",
      description: "A custom event, published with publishEvent",
      payload: { "...": "The data it was published with" },
      subscribers: count.all,
      activeSubscribers: count.active,
    });
  }
  return items;
}
