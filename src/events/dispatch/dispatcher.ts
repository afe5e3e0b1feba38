// The POST event dispatcher of one node. It claims due deliveries (with a lease) while it has room
// (events.concurrency), runs each on its own, and settles them: done (many per statement), retried
// later with backoff, or dead. It looks when woken (a local commit, a NOTIFY from another node) and
// otherwise every events.pollMs, which also picks up retries and leases that ran out. While a
// delivery runs its lease is renewed, so a live node keeps it and a dead node's runs go to others.
import { isoNow } from "../../core/clock.js";
import type { Deps } from "../../deps.js";
import type { DeliveriesTable, EventsTable } from "../../storage/schema.js";
import { claimDeliveries, renewLeases } from "./claimDeliveries.js";
import { pruneEvents } from "./pruneEvents.js";
import { retryDelayMs } from "./retryDelay.js";
import { type AttemptOutcome, runDelivery } from "./runDelivery.js";
import { type Done, markDone, markFailed } from "./settleDeliveries.js";
import { PgListener } from "../../storage/pgListener.js";
import { WAKE_CHANNEL } from "../enqueueDeliveries.js";

/** Deliveries claimed per statement at most. */
const CLAIM_BATCH = 100;
const PRUNE_EVERY_MS = 60_000;
/** Pruning stops for the round after this long, and goes on at the next. */
const PRUNE_BUDGET_MS = 5_000;
/** How long a stop waits for running deliveries before leaving them to their leases. */
const STOP_GRACE_MS = 10_000;

export class Dispatcher {
  private running = false;
  private pumping = false;
  private again = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private done: Done[] = [];
  private flushing: Promise<void> | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private listener: PgListener | undefined;

  constructor(private readonly deps: Deps) {}

  start(): void {
    const { config, log } = this.deps;
    if (this.running || !config.events.dispatch) return;
    this.running = true;
    if (this.deps.dialect === "postgres" && config.databaseUrl) {
      this.listener = new PgListener(
        config.databaseUrl,
        WAKE_CHANNEL,
        () => this.wake(),
        log,
        "event wake-ups",
      );
      void this.listener.start();
    }
    this.renewTimer = setInterval(() => void this.renew(), Math.max(200, config.events.leaseMs / 3));
    this.renewTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.wake();
  }

  /** Look for due deliveries now. */
  wake(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearTimeout(this.pollTimer);
    clearInterval(this.renewTimer);
    clearInterval(this.pruneTimer);
    await this.listener?.stop();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_GRACE_MS);
    });
    await Promise.race([Promise.allSettled([...this.inFlight.values()]), grace]);
    clearTimeout(timer);
    await this.flush();
  }

  private async pump(): Promise<void> {
    try {
      do {
        this.again = false;
        await this.claimWhileRoom();
      } while (this.again && this.running);
    } catch (error) {
      this.deps.log.warn({ error: (error as Error).message }, "event dispatcher: could not claim deliveries");
    } finally {
      this.pumping = false;
      this.schedulePoll();
    }
  }

  private async claimWhileRoom(): Promise<void> {
    const { db, dialect, clock, config } = this.deps;
    while (this.running) {
      const room = config.events.concurrency - this.inFlight.size;
      if (room <= 0) return;
      const asked = Math.min(room, CLAIM_BATCH);
      const now = clock.now();
      const claimed = await claimDeliveries(db, {
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + config.events.leaseMs).toISOString(),
        limit: asked,
        skipLocked: dialect === "postgres",
      });
      if (claimed.length === 0) return;
      const events = await this.eventsOf(claimed);
      for (const delivery of claimed) {
        const run = this.attempt(delivery, events.get(delivery.event_id)).finally(() => {
          this.inFlight.delete(delivery.id);
          // Refill once half the room is free: fewer, larger claims than one per finished run.
          if (this.inFlight.size <= this.deps.config.events.concurrency / 2) this.wake();
        });
        this.inFlight.set(delivery.id, run);
      }
      if (claimed.length < asked) return;
    }
  }

  private async eventsOf(claimed: DeliveriesTable[]): Promise<Map<string, EventsTable>> {
    const ids = [...new Set(claimed.map((d) => d.event_id))];
    const rows = await this.deps.db.selectFrom("events").selectAll().where("id", "in", ids).execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  private async attempt(delivery: DeliveriesTable, event: EventsTable | undefined): Promise<void> {
    let outcome: AttemptOutcome;
    if (Number(delivery.attempts) > Number(delivery.max_attempts)) {
      // Its last attempt was claimed by a node that died before it could settle it.
      outcome = {
        ok: false,
        error: delivery.last_error ?? "The node running its last attempt stopped",
        executionId: delivery.execution_id,
        permanent: true,
      };
    } else {
      outcome = await runDelivery(this.deps, delivery, event);
    }
    if (outcome.ok) {
      this.done.push({
        id: delivery.id,
        attempts: Number(delivery.attempts),
        executionId: outcome.executionId,
      });
      this.flushSoon();
      return;
    }
    await this.fail(delivery, outcome);
  }

  private async fail(
    delivery: DeliveriesTable,
    outcome: Extract<AttemptOutcome, { ok: false }>,
  ): Promise<void> {
    const { db, clock, config, log } = this.deps;
    const now = clock.now();
    const delay = retryDelayMs(
      Number(delivery.attempts),
      config.events.retryBaseMs,
      config.events.retryMaxMs,
    );
    try {
      const status = await markFailed(db, delivery, now.toISOString(), {
        error: outcome.error,
        executionId: outcome.executionId,
        permanent: outcome.permanent,
        retryAt: new Date(now.getTime() + delay).toISOString(),
      });
      log.warn(
        {
          deliveryId: delivery.id,
          event: delivery.event_type,
          function: delivery.function_name,
          attempts: Number(delivery.attempts),
          error: outcome.error,
        },
        status === "dead" ? "event delivery failed: dead-lettered" : "event delivery failed: will retry",
      );
      // A retry due before the next poll is looked for when it is due.
      if (status === "pending" && delay < config.events.pollMs) setTimeout(() => this.wake(), delay).unref();
    } catch (error) {
      // The lease runs out and another attempt is made: at least once, never lost.
      log.error(
        { deliveryId: delivery.id, error: (error as Error).message },
        "event dispatcher: could not record a failure",
      );
    }
  }

  /** Successes of one turn of the event loop are settled together. */
  private flushSoon(): void {
    if (this.flushing) return;
    this.flushing = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.flush())
      .finally(() => {
        this.flushing = undefined;
        if (this.done.length > 0) this.flushSoon();
      });
  }

  private async flush(): Promise<void> {
    const batch = this.done;
    if (batch.length === 0) return;
    this.done = [];
    try {
      await markDone(this.deps.db, this.deps.dialect, batch, isoNow(this.deps.clock));
    } catch (error) {
      this.deps.log.error(
        { deliveries: batch.length, error: (error as Error).message },
        "event dispatcher: could not record deliveries as done; they will run again when their leases end",
      );
    }
  }

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    if (!this.running) return;
    this.pollTimer = setTimeout(() => this.wake(), this.deps.config.events.pollMs);
    this.pollTimer.unref();
  }

  private async renew(): Promise<void> {
    const { db, clock, config, log } = this.deps;
    try {
      const leaseUntil = new Date(clock.now().getTime() + config.events.leaseMs).toISOString();
      await renewLeases(db, [...this.inFlight.keys()], leaseUntil);
    } catch (error) {
      log.warn({ error: (error as Error).message }, "event dispatcher: could not renew leases");
    }
  }

  private async prune(): Promise<void> {
    const { db, clock, config, log } = this.deps;
    const now = clock.now().getTime();
    const hours = (h: number) => new Date(now - h * 3_600_000).toISOString();
    const cutoff = {
      done: hours(config.events.retentionHours),
      dead: hours(config.events.deadRetentionHours),
    };
    const started = performance.now();
    try {
      // Batch after batch, so pruning keeps up with a busy node, but never for long in one round.
      while (
        this.running &&
        (await pruneEvents(db, cutoff)).more &&
        performance.now() - started < PRUNE_BUDGET_MS
      );
    } catch (error) {
      log.warn({ error: (error as Error).message }, "event dispatcher: could not prune old deliveries");
    }
  }
}
