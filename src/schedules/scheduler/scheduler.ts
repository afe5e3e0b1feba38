// The scheduler of one node. Every node runs one; none is the leader. It takes due ticks
// (claimTicks: row locks and a unique tick row, so each tick runs on exactly one node), runs them
// (several at once, up to schedules.concurrency; a schedule's catch-up runs one after another), and
// records how they ended. Between turns it sleeps until the earliest next run it knows of, and at
// most schedules.pollMs, so schedules made on other nodes are seen. A clock that jumps (tests,
// `backend dev`) wakes it. While a tick runs its lease is renewed; a node that dies leaves its ticks
// to run out of lease, and another node marks them interrupted (they are not run twice).
import { newId } from "../../core/ids.js";
import type { Deps } from "../../deps.js";
import { type ClaimedSchedule, claimTicks } from "./claimTicks.js";
import { runTick } from "./runTick.js";
import {
  finishTick,
  markInterrupted,
  pruneTicks,
  renewTickLeases,
  startPending,
  takeOverPending,
  type TickOutcome,
} from "./settleTicks.js";

/** Schedules claimed per statement at most. */
const CLAIM_BATCH = 100;
/** The soonest a turn follows one that left due schedules (held by another node) behind. */
const MIN_WAIT_MS = 20;
const PRUNE_EVERY_MS = 60 * 60_000;
/** How long a stop waits for running ticks before leaving them to their leases. */
const STOP_GRACE_MS = 10_000;

interface Running {
  tickId: string;
  scheduleId: string;
  scheduledAt: string;
}

export class Scheduler {
  private running = false;
  private pumping = false;
  private again = false;
  /** Claims whose runs are going (one per schedule, or more under overlap allow), by first tick. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Ticks held by this node (running or waiting their turn), for lease renewal. */
  private readonly held = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  /** This scheduler's own id: what it claims is marked with it. */
  private readonly id = newId();

  constructor(private readonly deps: Deps) {}

  start(): void {
    const { config, clock } = this.deps;
    if (this.running || !config.schedules.run) return;
    this.running = true;
    this.stopListening = clock.onJump?.(() => this.wake());
    const { leaseMs } = config.schedules;
    this.renewTimer = setInterval(() => void this.renew(), Math.max(200, leaseMs / 3));
    this.renewTimer.unref();
    this.sweepTimer = setInterval(() => void this.sweep(), Math.max(500, leaseMs / 2));
    this.sweepTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.wake();
  }

  /** Look for due ticks now (a schedule changed, the clock moved, a run ended). */
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
    this.stopListening?.();
    clearTimeout(this.timer);
    clearInterval(this.renewTimer);
    clearInterval(this.sweepTimer);
    clearInterval(this.pruneTimer);
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.inFlight.values()]),
      new Promise<void>((resolve) => {
        grace = setTimeout(resolve, STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(grace);
  }

  private async pump(): Promise<void> {
    let full = false;
    try {
      do {
        this.again = false;
        full = await this.claimWhileRoom();
      } while (this.again && this.running);
    } catch (error) {
      this.deps.log.warn({ error: (error as Error).message }, "scheduler: could not claim due ticks");
    } finally {
      this.pumping = false;
    }
    // With no room, the next run that ends wakes it.
    if (!full) await this.sleepUntilNext();
  }

  /** Claims and starts due ticks while there is room; true when it stopped for want of room. */
  private async claimWhileRoom(): Promise<boolean> {
    const { db, dialect, clock, config } = this.deps;
    const { concurrency, leaseMs, missedAfterMs, maxCatchUp } = config.schedules;
    while (this.running) {
      const room = concurrency - this.inFlight.size;
      if (room <= 0) return true;
      const asked = Math.min(room, CLAIM_BATCH);
      const now = clock.now();
      const claimed = await claimTicks(db, dialect, {
        now,
        leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
        limit: asked,
        claimedBy: this.id,
        missedAfterMs,
        maxCatchUp,
      });
      for (const c of claimed) this.begin(c);
      if (claimed.length < asked) return false;
    }
    return false;
  }

  private begin(claimed: ClaimedSchedule): void {
    const { schedule, runs } = claimed;
    const key = runs[0]!.tickId;
    for (const run of runs) {
      this.held.set(run.tickId, {
        tickId: run.tickId,
        scheduleId: schedule.id,
        scheduledAt: run.scheduledAt,
      });
    }
    const work = (async () => {
      for (const [i, run] of runs.entries()) {
        if (run.pending && !(await this.startPending(run.tickId))) {
          this.held.delete(run.tickId);
          continue;
        }
        const result = await runTick(this.deps, schedule, run);
        await this.finish({
          tickId: run.tickId,
          scheduleId: schedule.id,
          scheduledAt: run.scheduledAt,
          status: result.status,
          executionId: result.executionId,
          error: result.error,
          release: i === runs.length - 1,
        });
        this.held.delete(run.tickId);
      }
    })().finally(() => {
      // A node that stopped claiming for want of room looks again; otherwise its timer is set.
      const wasFull = this.inFlight.size >= this.deps.config.schedules.concurrency;
      this.inFlight.delete(key);
      if (wasFull) this.wake();
    });
    this.inFlight.set(key, work);
  }

  /** False when the tick is no longer this node's to run (another took it over). */
  private async startPending(tickId: string): Promise<boolean> {
    const { db, clock, log } = this.deps;
    try {
      return await startPending(db, tickId, this.id, clock.now().toISOString());
    } catch (error) {
      // Left pending: when its lease runs out, a node takes it over.
      log.warn({ tickId, error: (error as Error).message }, "scheduler: could not start a pending tick");
      return false;
    }
  }

  /** Records how a tick ended. */
  private async finish(outcome: TickOutcome): Promise<void> {
    const { db, clock, log } = this.deps;
    if (outcome.status === "failed")
      log.warn({ tickId: outcome.tickId, error: outcome.error }, "scheduled run failed");
    try {
      await finishTick(db, outcome, clock.now().toISOString());
    } catch (error) {
      // It stays `running` until its lease runs out, then reads as interrupted.
      log.error(
        { tickId: outcome.tickId, error: (error as Error).message },
        "scheduler: could not record a tick",
      );
    }
  }

  private async sleepUntilNext(): Promise<void> {
    clearTimeout(this.timer);
    if (!this.running) return;
    const { db, clock, config } = this.deps;
    let wait = config.schedules.pollMs;
    try {
      const next = await db
        .selectFrom("schedules")
        .select((eb) => eb.fn.min("next_run_at").as("at"))
        .where("active", "=", 1)
        .executeTakeFirst();
      if (next?.at) {
        const until = Date.parse(next.at) - clock.now().getTime();
        wait = Math.min(wait, Math.max(MIN_WAIT_MS, until));
      }
    } catch (error) {
      this.deps.log.warn({ error: (error as Error).message }, "scheduler: could not read the next run");
    }
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.wake(), wait);
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    const { db, clock, config, log } = this.deps;
    try {
      const leaseUntil = new Date(clock.now().getTime() + config.schedules.leaseMs).toISOString();
      await renewTickLeases(db, [...this.held.values()], leaseUntil, this.id);
    } catch (error) {
      log.warn({ error: (error as Error).message }, "scheduler: could not renew leases");
    }
  }

  /** Ticks of nodes that stopped: those that were running are interrupted, pending ones run here. */
  private async sweep(): Promise<void> {
    const { db, dialect, clock, config, log } = this.deps;
    try {
      const now = clock.now();
      const count = await markInterrupted(db, now.toISOString());
      if (count > 0)
        log.warn({ ticks: count }, "scheduler: ticks whose node stopped mid-run are marked interrupted");
      const room = config.schedules.concurrency - this.inFlight.size;
      if (room <= 0 || !this.running) return;
      const taken = await takeOverPending(db, dialect, {
        now: now.toISOString(),
        leaseUntil: new Date(now.getTime() + config.schedules.leaseMs).toISOString(),
        claimedBy: this.id,
        limit: room,
      });
      for (const claimed of taken) this.begin(claimed);
    } catch (error) {
      log.warn({ error: (error as Error).message }, "scheduler: could not look for ticks of stopped nodes");
    }
  }

  private async prune(): Promise<void> {
    const { db, clock, config, log } = this.deps;
    const cutoff = new Date(clock.now().getTime() - config.schedules.historyHours * 3_600_000).toISOString();
    try {
      for (let round = 0; round < 20 && this.running && (await pruneTicks(db, cutoff)).more; round++);
    } catch (error) {
      log.warn({ error: (error as Error).message }, "scheduler: could not prune old ticks");
    }
  }
}
