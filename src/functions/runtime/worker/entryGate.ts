// How many warm executions may be entering their isolates at once in one worker. Each isolate runs
// on a thread of its own, so with many short executions in flight the threads mostly fight over
// the cores: measured in one worker, 16 concurrent trivial executions cost twice the CPU each of 4
// (0.74 against 0.36 ms). The gate lets a few in at a time. A slot is given back when the call into
// the isolate returns or after SLOT_MS, whichever comes first, so an execution that waits on I/O
// (a fetch, a backend call) holds a slot for at most that long and can never block the others.
import { availableParallelism } from "node:os";

/** How long an execution holds its slot at most. */
export const SLOT_MS = 2;

export class EntryGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly slots = Math.max(2, 2 * availableParallelism())) {}

  /** Runs `enter` (a call into an isolate) once a slot is free. */
  async run<T>(enter: () => Promise<T>): Promise<T> {
    await this.take();
    let held = true;
    const give = () => {
      if (!held) return;
      held = false;
      this.give();
    };
    const timer = setTimeout(give, SLOT_MS);
    try {
      return await enter();
    } finally {
      clearTimeout(timer);
      give();
    }
  }

  /** Executions waiting for a slot (tests). */
  get queued(): number {
    return this.waiting.length;
  }

  private take(): Promise<void> {
    if (this.active < this.slots) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The slot passes straight to the next in line, if any. */
  private give(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }
}
