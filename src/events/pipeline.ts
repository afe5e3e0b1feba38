// Every user, auth and record action runs through here:
//   validate -> PRE seam -> (write + outbox seam, one transaction) -> after-commit seam.
// Today the seams do nothing; the events feature installs real ones (PRE handlers, the POST outbox,
// the dispatcher wake-up) with `setSeams`, so no route or domain function changes when it lands.
import type { Transaction } from "kysely";
import type { Principal } from "../auth/principal.js";
import type { Db, Schema } from "../storage/schema.js";

export type EventData = Record<string, unknown>;

export interface ActionEvent {
  type: string;
  data: EventData;
}

export interface ActionContext {
  principal: Principal;
  /** What caused this action (request id, execution id, ...), for traces. */
  cause?: { kind: string; id: string };
}

export interface EventSeams {
  /** Runs PRE handlers; returns the (possibly modified) input or throws BlockedError. */
  before(type: string, data: EventData, ctx: ActionContext): Promise<EventData>;
  /** Called inside the action's transaction: where the POST outbox row is written. */
  record(trx: Transaction<Schema>, event: ActionEvent, ctx: ActionContext): Promise<void>;
  /** Called after the transaction committed: where the dispatcher is woken. */
  afterCommit(events: ActionEvent[], ctx: ActionContext): void;
}

export const noSeams: EventSeams = {
  before: async (_type, data) => data,
  record: async () => {},
  afterCommit: () => {},
};

export interface ActionSpec<I extends EventData, R> {
  ctx: ActionContext;
  input: I;
  /** PRE event type, e.g. PRE_RECORD_CREATE. */
  pre?: string;
  /** Re-checks the input after PRE handlers may have modified it. */
  validate?: (input: EventData) => I;
  write: (trx: Transaction<Schema>, input: I) => Promise<R>;
  /** POST event type and payload, built from the committed result. */
  post?: { type: string; data: (result: R, input: I) => EventData };
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
    if (spec.pre) {
      const modified = await this.seams.before(spec.pre, input, spec.ctx);
      input = spec.validate ? spec.validate(modified) : (modified as I);
    }
    const events: ActionEvent[] = [];
    const result = await this.db.transaction().execute(async (trx) => {
      const written = await spec.write(trx, input);
      if (spec.post) {
        const event = { type: spec.post.type, data: spec.post.data(written, input) };
        await this.seams.record(trx, event, spec.ctx);
        events.push(event);
      }
      return written;
    });
    spec.afterCommit?.(result);
    if (events.length > 0) this.seams.afterCommit(events, spec.ctx);
    return result;
  }
}
