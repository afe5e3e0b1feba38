// The one clock. Everything that reads the time takes a Clock so tests (and, later, `backend dev`'s
// settable clock) can move time without sleeping.

export interface Clock {
  now(): Date;
  /**
   * Calls `listener` whenever the time jumps (a test or `backend dev` moved it), so that whatever
   * waits for a time (the scheduler) looks again. Returns the way to stop listening.
   */
  onJump?(listener: () => void): () => void;
}

export const systemClock: Clock = { now: () => new Date() };

/** Listeners of a clock that can jump. */
class Jumps {
  private readonly listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fire(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A clock that starts at `start` and only moves when told to. */
export class ManualClock implements Clock {
  private current: number;
  private readonly jumps = new Jumps();

  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current += ms;
    this.jumps.fire();
  }

  set(date: Date): void {
    this.current = date.getTime();
    this.jumps.fire();
  }

  onJump(listener: () => void): () => void {
    return this.jumps.add(listener);
  }
}

/**
 * The real time, moved by an offset: `backend dev`'s clock, which a developer sets or advances to
 * watch "first Monday of the month" fire without waiting. Time goes on running from where it was set.
 */
export class ShiftedClock implements Clock {
  private offsetMs = 0;
  private readonly jumps = new Jumps();

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** How far ahead of (or behind) the real time this clock is. */
  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
    this.jumps.fire();
  }

  set(date: Date): void {
    this.offsetMs = date.getTime() - Date.now();
    this.jumps.fire();
  }

  /** Back to the real time. */
  reset(): void {
    this.offsetMs = 0;
    this.jumps.fire();
  }

  onJump(listener: () => void): () => void {
    return this.jumps.add(listener);
  }
}

export function isoNow(clock: Clock): string {
  return clock.now().toISOString();
}
