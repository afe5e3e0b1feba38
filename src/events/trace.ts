// GET /api/traces/:id and `backend events trace <id>`: the causal chain around anything that has an
// id — a request, an event, a delivery or an execution. It walks up the causes to the root (the
// request, usually), then down through everything caused from there:
//   request -> event (its PRE handler runs, its deliveries) -> delivery -> execution
//           -> the events and calls that execution caused -> ...
// A schedule's tick is a root like a request: tick -> execution -> ...
import { requireAdmin, type Principal } from "../auth/principal.js";
import { NotFoundError } from "../core/errors.js";
import type { Deps } from "../deps.js";
import type { Db, ExecutionsTable } from "../storage/schema.js";

export type TraceKind = "request" | "event" | "delivery" | "execution" | "tick";

export interface TraceNode {
  kind: TraceKind;
  id: string;
  /** event: its type; delivery and execution: the event type they ran for, when there is one. */
  type?: string;
  /** tick: the schedule's name. */
  schedule?: string;
  /** "PRE" for a PRE handler's run. */
  phase?: "PRE";
  function?: string;
  trigger?: string;
  status?: string;
  error?: string | null;
  at?: string;
  durationMs?: number | null;
  children: TraceNode[];
}

/** Enough for any real chain; a runaway one is cut here rather than answered in full. */
const MAX_NODES = 1000;
const MAX_UP = 64;

export async function traceOf(
  deps: Pick<Deps, "db">,
  principal: Principal,
  id: string,
): Promise<{ root: TraceNode; truncated: boolean }> {
  requireAdmin(principal);
  const { db } = deps;
  let at = await identify(db, id);
  if (!at)
    throw new NotFoundError(
      `Nothing with id '${id}' to trace: give a request, event, delivery, execution or tick id`,
    );
  for (let i = 0; i < MAX_UP; i++) {
    const up = await parentOf(db, at);
    if (!up) break;
    at = up;
  }
  const budget = { left: MAX_NODES };
  const root = await build(db, at, budget);
  return { root, truncated: budget.left <= 0 };
}

type Ref = { kind: TraceKind; id: string };

async function identify(db: Db, id: string): Promise<Ref | undefined> {
  if (await db.selectFrom("executions").select("id").where("id", "=", id).executeTakeFirst())
    return { kind: "execution", id };
  if (await db.selectFrom("deliveries").select("id").where("id", "=", id).executeTakeFirst())
    return { kind: "delivery", id };
  if (await db.selectFrom("events").select("id").where("id", "=", id).executeTakeFirst())
    return { kind: "event", id };
  if (await db.selectFrom("schedule_ticks").select("id").where("id", "=", id).executeTakeFirst())
    return { kind: "tick", id };
  const caused =
    (await db
      .selectFrom("events")
      .select("id")
      .where("cause_kind", "=", "request")
      .where("cause_id", "=", id)
      .executeTakeFirst()) ??
    (await db
      .selectFrom("executions")
      .select("id")
      .where("cause_kind", "=", "request")
      .where("cause_id", "=", id)
      .executeTakeFirst());
  return caused ? { kind: "request", id } : undefined;
}

async function parentOf(db: Db, ref: Ref): Promise<Ref | undefined> {
  switch (ref.kind) {
    case "request":
    case "tick":
      return undefined;
    case "delivery": {
      const row = await db
        .selectFrom("deliveries")
        .select("event_id")
        .where("id", "=", ref.id)
        .executeTakeFirst();
      return row ? { kind: "event", id: row.event_id } : undefined;
    }
    case "event": {
      const row = await db
        .selectFrom("events")
        .select(["cause_kind", "cause_id"])
        .where("id", "=", ref.id)
        .executeTakeFirst();
      return row ? causeRef(row.cause_kind, row.cause_id) : undefined;
    }
    case "execution": {
      const row = await db
        .selectFrom("executions")
        .select(["cause_kind", "cause_id"])
        .where("id", "=", ref.id)
        .executeTakeFirst();
      if (!row) return undefined;
      const cause = causeRef(row.cause_kind, row.cause_id);
      // A PRE run of an action that was blocked points at an event that was never stored.
      if (
        cause?.kind === "event" &&
        !(await db.selectFrom("events").select("id").where("id", "=", cause.id).executeTakeFirst())
      ) {
        return undefined;
      }
      return cause;
    }
  }
}

function causeRef(kind: string | null, id: string | null): Ref | undefined {
  if (!kind || !id) return undefined;
  if (
    kind === "request" ||
    kind === "event" ||
    kind === "delivery" ||
    kind === "execution" ||
    kind === "tick"
  )
    return { kind, id };
  return undefined;
}

async function build(db: Db, ref: Ref, budget: { left: number }): Promise<TraceNode> {
  budget.left -= 1;
  const node = await describe(db, ref);
  if (budget.left <= 0) return node;
  for (const child of await childrenOf(db, ref)) {
    if (budget.left <= 0) break;
    node.children.push(await build(db, child, budget));
  }
  return node;
}

async function describe(db: Db, ref: Ref): Promise<TraceNode> {
  const node: TraceNode = { kind: ref.kind, id: ref.id, children: [] };
  if (ref.kind === "event") {
    const row = await db
      .selectFrom("events")
      .select(["type", "created_at"])
      .where("id", "=", ref.id)
      .executeTakeFirst();
    if (row) Object.assign(node, { type: row.type, at: row.created_at });
  } else if (ref.kind === "delivery") {
    const row = await db.selectFrom("deliveries").selectAll().where("id", "=", ref.id).executeTakeFirst();
    if (row) {
      Object.assign(node, {
        type: row.event_type,
        function: row.function_name,
        status: row.status,
        error: row.last_error,
        at: row.created_at,
      });
    }
  } else if (ref.kind === "tick") {
    const row = await db.selectFrom("schedule_ticks").selectAll().where("id", "=", ref.id).executeTakeFirst();
    if (row) {
      Object.assign(node, {
        schedule: row.schedule_name,
        function: row.function_name,
        status: row.status,
        error: row.error,
        at: row.scheduled_at,
      });
    }
  } else if (ref.kind === "execution") {
    const row = await db
      .selectFrom("executions")
      .select(EXECUTION_TRACE_COLUMNS)
      .where("id", "=", ref.id)
      .executeTakeFirst();
    if (row) Object.assign(node, executionFields(row));
  }
  return node;
}

/** What a trace shows of an execution: not its input, result or log lines. */
const EXECUTION_TRACE_COLUMNS = [
  "function_name",
  "trigger",
  "status",
  "error",
  "started_at",
  "duration_ms",
  "cause_kind",
] as const satisfies readonly (keyof ExecutionsTable)[];

function executionFields(
  row: Pick<ExecutionsTable, (typeof EXECUTION_TRACE_COLUMNS)[number]>,
): Partial<TraceNode> {
  return {
    function: row.function_name,
    trigger: row.trigger,
    status: row.status,
    error: row.error,
    at: row.started_at,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    ...(row.cause_kind === "event" ? { phase: "PRE" as const } : {}),
  };
}

async function childrenOf(db: Db, ref: Ref): Promise<Ref[]> {
  const executions = async (kind: string) =>
    (
      await db
        .selectFrom("executions")
        .select("id")
        .where("cause_kind", "=", kind)
        .where("cause_id", "=", ref.id)
        .orderBy("started_at")
        .limit(MAX_NODES)
        .execute()
    ).map((r) => ({ kind: "execution" as const, id: r.id }));
  const events = async (kind: string) =>
    (
      await db
        .selectFrom("events")
        .select("id")
        .where("cause_kind", "=", kind)
        .where("cause_id", "=", ref.id)
        .orderBy("created_at")
        .limit(MAX_NODES)
        .execute()
    ).map((r) => ({ kind: "event" as const, id: r.id }));
  switch (ref.kind) {
    case "request":
    case "execution":
      return [...(await executions(ref.kind)), ...(await events(ref.kind))];
    case "event": {
      const deliveries = await db
        .selectFrom("deliveries")
        .select("id")
        .where("event_id", "=", ref.id)
        .orderBy("created_at")
        .limit(MAX_NODES)
        .execute();
      return [
        ...(await executions("event")),
        ...deliveries.map((r) => ({ kind: "delivery" as const, id: r.id })),
      ];
    }
    case "delivery":
      return executions("delivery");
    case "tick":
      return executions("tick");
  }
}
