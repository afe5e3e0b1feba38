// One autocannon measurement: a fixed duration at a fixed number of connections, summarised as
// successful requests/s and latency percentiles. Non-2xx answers count as errors, not as speed.
// autocannon runs in the bench process and tops out near 15,000 req/s on this machine, so it only
// drives requests whose body changes every time (record creates, the query collection's fill);
// fixed requests go through wrk in its own process (bench/wrk.js), which answers the same shape.
import autocannon from "autocannon";

/**
 * @param {{ url: string, connections: number, duration: number, method?: string, path: string,
 *   headers?: Record<string,string>, body?: (i: number) => string, pathFor?: (i: number) => string }} options
 */
export async function measure(options) {
  let counter = 0;
  const request = {
    method: options.method ?? "GET",
    path: options.path,
    headers: options.headers ?? {},
    setupRequest(req) {
      counter += 1;
      const next = { ...req };
      if (options.body) next.body = options.body(counter);
      if (options.pathFor) next.path = options.pathFor(counter);
      return next;
    },
  };
  // autocannon's own histogram keeps whole milliseconds; keep every 2xx latency for finer percentiles.
  const latencies = [];
  const result = await new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.duration,
        timeout: 10,
        requests: [request],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  latencies.sort((a, b) => a - b);
  const ok = result["2xx"];
  return {
    requestsPerSecond: ok / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ok,
    // autocannon counts a timeout in `errors` too.
    errors: result.non2xx + result.errors,
    timeouts: result.timeouts,
    statusCodes: result.statusCodeStats,
    duration: result.duration,
  };
}

/** The exact percentile of an ascending array (NaN when empty). */
export function percentile(sorted, fraction) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** Sends exactly `amount` requests as fast as `connections` allow (used to pre-fill data). */
export async function send(options) {
  let counter = 0;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    amount: options.amount,
    timeout: 30,
    requests: [
      {
        method: options.method,
        path: options.path,
        headers: options.headers,
        setupRequest(req) {
          const i = counter;
          counter += 1;
          return { ...req, body: options.body(i) };
        },
      },
    ],
  });
  return {
    ok: result["2xx"],
    failed: result.non2xx + result.errors,
    duration: result.duration,
  };
}

/** CPU seconds by kind of process (procStats.cpuBetween) as milliseconds per request. */
export function perRequest(cpuSeconds, requests) {
  return Object.fromEntries(
    Object.entries(cpuSeconds).map(([kind, seconds]) => [
      kind,
      requests > 0 ? (seconds * 1000) / requests : Number.NaN,
    ]),
  );
}
