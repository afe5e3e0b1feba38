// Backoff between attempts of a delivery: base x 2^(attempt-1), capped, with "equal jitter" (half
// fixed, half random) so that many deliveries failing together do not retry in lockstep.
export function retryDelayMs(attempts: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(baseMs * 2 ** Math.max(0, attempts - 1), maxMs);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
