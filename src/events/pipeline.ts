// Every user, auth and record action, and every custom event, runs through here:
//   validate -> PRE seam -> (write + outbox seam, one transaction) -> after-commit seam.
// The seams start empty; the platform installs the real ones (src/events/eventSeams.ts: PRE
// handlers, the POST outbox, the dispatcher wake-up) with `setSeams`.
import type { Transaction } from "kysely";
import type { Principal } from "../auth/principal.js";
import { newId } from "../core/ids.js";
import type { Db, Schema } from "../storage/schema.js";

export type EventData = Record<string, unknown>;

export interface ActionEvent {
  /** One id per action: the PRE handlers' runs are traced to it, and the POST event is stored under it. */
  id: string;
  type: string;
  data: EventData;
}

export interface ActionContext {
  principal: Principal;
  /** What caused this action (request id, execution id, ...), for traces. */
  cause?: { kind: string; id: string };
  /**
   * How many events led to the code doing this action: 0 for a request, the event's depth for a
   * function an event started. Its events are one deeper; past events.maxDepth they are a loop.
   */
  depth?: number;
}

/** What an action was caused by, beyond who does it: for traces and the loop guard. */
export type Trace = Pick<ActionContext, "cause" | "depth">;

export interface EventSeams {
  /** Runs PRE handlers; returns the (possibly modified) input or throws BlockedError. */
  before(type: string, data: EventData, ctx: ActionContext, eventId: string): Promise<EventData>;
  /** Called inside the action's transaction: writes the POST outbox row; answers how many deliveries it made. */
  record(trx: Transaction<Schema>, event: ActionEvent, ctx: ActionContext): Promise<number>;
  /** Called after the transaction committed, with the events that made deliveries: wakes the dispatcher. */
  afterCommit(events: ActionEvent[], ctx: ActionContext): void;
}

export const noSeams: EventSeams = {
  before: async (_type, data) => data,
  record: async () => 0,
  afterCommit: () => {},
};

export interface ActionSpec<I extends EventData, R> {
  ctx: ActionContext;
  input: I;
  /** PRE event type, e.g. PRE_RECORD_CREATE. */
  pre?: string;
  /** Re-checks the input after PRE handlers may have modified it. */
  validate?: (input: EventData) => I;
  /** The action's writes; without one (and without a POST event) no transaction is opened and the result is the input. */
  write?: (trx: Transaction<Schema>, input: I) => Promise<R>;
  /** POST event type and payload, built from the committed result. */
  post?: { type: string; data: (result: R, input: I) => EventData };
  /** The id the action's event gets (a new one by default). */
  eventId?: string;
  /** Told, inside the transaction, how many deliveries the POST event made. */
  recorded?: (deliveries: number) => void;
  /** Work that must happen after commit, e.g. waking the email sender. */
  afterCommit?: (result: R) => void;
}

export class ActionPipeline {
  private seams: EventSeams = noSeams;

  constructor(private readonly db: Db) {}

  setSeams(seams: EventSeams): void {
    this.seams = seams;
  }

  async run<I extends EventData, R>(spec: ActionSpec<I, R>): Promise<R> {
    let input = spec.input;
    const eventId = spec.eventId ?? newId();
    if (spec.pre) {
      const modified = await this.seams.before(spec.pre, input, spec.ctx, eventId);
      input = spec.validate ? spec.validate(modified) : (modified as I);
    }
    const events: ActionEvent[] = [];
    if (!spec.write && !spec.post) {
      const result = input as unknown as R;
      spec.afterCommit?.(result);
      return result;
    }
    const result = await this.db.transaction().execute(async (trx) => {
      const written = spec.write ? await spec.write(trx, input) : (input as unknown as R);
      if (spec.post) {
        const event = { id: eventId, type: spec.post.type, data: spec.post.data(written, input) };
        const deliveries = await this.seams.record(trx, event, spec.ctx);
        spec.recorded?.(deliveries);
        // Only events with somewhere to go wake the dispatcher.
        if (deliveries > 0) events.push(event);
      }
      return written;
    });
    spec.afterCommit?.(result);
    if (events.length > 0) this.seams.afterCommit(events, spec.ctx);
    return result;
  }
}
