// One run of a function, from any trigger: load the active version, check who may call it, build
// the job, record the execution (with its input, as far as it is kept), run it in the sandbox with
// a bridge that acts for this execution, record how it ended (status, error, duration, logs,
// result) and hand the outcome back. HTTP, the SDK, the CLI, events, schedules and calls between
// functions all come through here.
import type { Principal } from "../../auth/principal.js";
import { NotFoundError, PayloadTooLargeError } from "../../core/errors.js";
import { newId } from "../../core/ids.js";
import type { Deps } from "../../deps.js";
import { type Generations, readGenerations } from "../../storage/cacheGenerations.js";
import { createBridge } from "../bridge/createBridge.js";
import { type ActiveFunction, getActiveFunction } from "../catalog/getActiveFunction.js";
import type { Cause } from "../executions/execution.js";
import { type MeasuredJson, keptInput, type RunInput } from "../executions/keptInput.js";
import { keptResult } from "../executions/keptResult.js";
import type { Keep } from "../executions/keptText.js";
import { jsonRedactorFor, redactorFor } from "../executions/redactSecrets.js";
import type {
  EventInput,
  ExecutionInput,
  ExecutionOutcome,
  HttpRequestData,
  ScheduleInput,
  Trigger,
} from "../runtime/types.js";
import { readSecrets } from "../secrets/readSecrets.js";
import { buildJob } from "./buildJob.js";
import { callerColumn, callerIdentity } from "./caller.js";
import { callRequest, originOf, withoutAdminKey } from "./callRequest.js";
import { checkAccess } from "./checkAccess.js";

/** Calls between functions may nest this deep; deeper is almost surely a function calling itself. */
export const MAX_CALL_DEPTH = 8;
/** How long past its timeout a run may take before the server stops waiting for the sandbox. */
const RUNTIME_GRACE_MS = 5000;

export interface InvokeParams {
  name: string;
  trigger: Trigger;
  /** Who is calling, as the server established it. */
  principal: Principal;
  /** The call's payload, the event's data or the schedule's payload. */
  payload?: unknown;
  /** http trigger: the request the function gets. call: the request that made the call, if any. */
  request?: HttpRequestData;
  /** event trigger: the event (its data is the payload), with the delivery for POST handlers. */
  event?: EventInput;
  /** schedule trigger: the tick it runs for (the schedule's payload is the payload). */
  schedule?: ScheduleInput;
  /** What caused this run: a request, a delivery, a schedule tick, another execution. */
  cause: Cause | null;
  /** How many calls between functions led here (0 from outside). */
  depth?: number;
  /** How many events led here (0 from a request): events this run causes are one deeper. */
  eventDepth?: number;
  /**
   * The cache generations the caller has just read, if it has (the HTTP trigger does, to find the
   * function by its path); otherwise they are read here.
   */
  generations?: Generations;
}

export interface InvocationResult extends ExecutionOutcome {
  executionId: string;
  functionName: string;
  version: number;
}

export async function invokeFunction(deps: Deps, params: InvokeParams): Promise<InvocationResult> {
  // One small query; the function and the secrets then come from memory while nothing changed.
  const generations = params.generations ?? (await readGenerations(deps.db));
  const fn = await getActiveFunction(deps.db, params.name, generations.functions);
  if (!fn) throw new NotFoundError(`No function named ${params.name}`);
  // Events and schedules are started by the platform itself; `access` is about who may call.
  if (params.trigger === "http" || params.trigger === "call")
    checkAccess(fn.access, params.principal, fn.name);
  return runFunction(deps, fn, params, generations);
}

/**
 * Runs `fn` (the active version, or code that is only being tried: a test run) as `params` say,
 * recording the execution. invokeFunction finds the function and checks access first.
 */
export async function runFunction(
  deps: Deps,
  fn: ActiveFunction,
  params: InvokeParams,
  generations: Generations,
): Promise<InvocationResult> {
  const payload = checkPayloadSize(params, deps.config.functions.payloadBytes);

  const secrets = await readSecrets(deps, generations.secrets);
  const executionId = newId();
  const { keepBytes } = deps.config.functions;
  const keep: Keep | null = keepBytes > 0 ? { bytes: keepBytes, ...jsonRedactorFor(secrets) } : null;
  const input = buildInput(deps, params, fn.code.form);
  const job = buildJob(deps.config.functions, fn, executionId, input, secrets);
  // Not awaited: the writer stores the `running` row with its next batch (see executionWriter.ts).
  const execution = deps.executions.start({
    id: executionId,
    functionName: fn.name,
    version: fn.version,
    trigger: params.trigger,
    caller: callerColumn(params.principal),
    cause: params.cause,
    startedAt: deps.clock.now().toISOString(),
    // Made before the run: it is on the `running` row too (when the run lasts long enough for
    // one), so a run whose node dies still shows what it got.
    input: keep && keptInput(inputOf(params, payload), keep),
  });

  const bridge = createBridge(deps, {
    executionId,
    principal: params.principal,
    depth: params.depth ?? 0,
    eventDepth: params.eventDepth ?? 0,
    invoke: (next) => invokeFunction(deps, next),
  });
  const outcome = await withSafetyNet(deps.runtime.execute(job, bridge), job.limits.timeoutMs);
  // A thrown error's stack, mapped to the developer's files (functions/hello/entry.ts:6:9), is kept
  // as the run's last log line: the execution row holds only the message.
  if (outcome.error?.stack) {
    outcome.logs.push({
      level: "error",
      time: deps.clock.now().toISOString(),
      message: ownFrames(outcome.error.stack),
    });
  }
  const redact = redactorFor(secrets);
  // Awaited: an answer is only given for a run that is stored.
  const stored = await execution.finish({ outcome, redact, result: keep && keptResult(outcome, keep) });
  outcome.logs = stored.map(({ level, time, message }) => ({ level, time, message }));
  // What goes back is redacted as what was stored: an error message reaches whoever called, who
  // may be anyone for a public function, and a secret in it is almost always an accident.
  if (outcome.error) {
    const { message, stack } = outcome.error;
    outcome.error = { message: redact(message), ...(stack ? { stack: redact(stack) } : {}) };
  }
  return { ...outcome, executionId, functionName: fn.name, version: fn.version };
}

function buildInput(deps: Deps, params: InvokeParams, form: string): ExecutionInput {
  const input: ExecutionInput = { trigger: params.trigger, caller: callerIdentity(params.principal) };
  if (params.payload !== undefined) input.payload = params.payload;
  if (params.event) input.event = params.event;
  if (params.schedule) input.schedule = params.schedule;
  const request = params.request && {
    ...params.request,
    headers: withoutAdminKey(params.request.headers, params.principal.kind === "admin-key"),
  };
  if (params.trigger === "http") {
    if (request) input.request = request;
  } else if (params.trigger === "call" && form === "deno") {
    const origin = (request && originOf(request.url)) ?? serverOrigin(deps);
    input.request = callRequest(params.name, origin, params.payload, request);
  }
  return input;
}

/** Where the server can be reached, for calls that did not arrive over HTTP. */
function serverOrigin(deps: Deps): string {
  const { publicUrl, host, port } = deps.config;
  if (publicUrl) return publicUrl.replace(/\/+$/, "");
  return `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/**
 * What the run got, for keeping: the payload's JSON is the one made for its size check; an event
 * handler's payload is the event's data, measured here (a call as a handler, `?event=`, has both).
 */
function inputOf(params: InvokeParams, payload: MeasuredJson | undefined): RunInput {
  return {
    trigger: params.trigger,
    payload: payload ?? (params.event ? measured(params.event.data) : undefined),
    event: params.event,
    schedule: params.schedule,
    request: params.request,
  };
}

function measured(value: unknown): MeasuredJson | undefined {
  const json = value === undefined ? undefined : (JSON.stringify(value) as string | undefined);
  return json === undefined ? undefined : { json, bytes: Buffer.byteLength(json) };
}

/** Throws for a payload over `max`; answers the payload's JSON (made to measure it) for keeping. */
function checkPayloadSize(params: InvokeParams, max: number): MeasuredJson | undefined {
  const payload = params.trigger === "http" ? undefined : measured(params.payload);
  const bytes = params.trigger === "http" ? (params.request?.body?.byteLength ?? 0) : (payload?.bytes ?? 0);
  if (bytes > max) {
    throw new PayloadTooLargeError(`The payload is ${bytes} bytes; functions accept at most ${max} bytes`);
  }
  return payload;
}

/**
 * The runtime ends every run at its timeout and never rejects; this only guards the caller against
 * a runtime that stopped answering, so that no request can hang.
 */
async function withSafetyNet(run: Promise<ExecutionOutcome>, timeoutMs: number): Promise<ExecutionOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  const stalled = new Promise<ExecutionOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          status: "crashed",
          error: { message: `The sandbox did not answer within ${timeoutMs + RUNTIME_GRACE_MS} ms` },
          logs: [],
          logsTruncated: false,
          durationMs: performance.now() - started,
          resultSize: 0,
        }),
      timeoutMs + RUNTIME_GRACE_MS,
    );
  });
  try {
    return await Promise.race([run, stalled]);
  } finally {
    clearTimeout(timer);
  }
}

/** The stack without the runtime's own frames (`at invoke (backend:prelude:4:6559)`). */
function ownFrames(stack: string): string {
  return stack
    .split("\n")
    .filter((line) => !/^\s*at .*\bbackend:prelude:/.test(line))
    .join("\n");
}
