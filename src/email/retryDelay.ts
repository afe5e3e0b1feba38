// Backoff between attempts: 10 s after the first failure, doubling each time, at most an hour.
// With the default 6 attempts a message is retried for about 5 minutes before it fails.
const FIRST_DELAY_MS = 10_000;
const MAX_DELAY_MS = 3_600_000;

export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1), MAX_DELAY_MS);
}
