// One tick of one schedule: its function runs with the schedule's payload, as no user (the
// function's `backend` acts as the service, as for events), traced to the tick.
import { anonymous } from "../../auth/principal.js";
import { NotFoundError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import { invokeFunction } from "../../functions/invoke/invokeFunction.js";
import type { SchedulesTable } from "../../storage/schema.js";
import { readPayload } from "../schedule.js";

export interface TickRun {
  tickId: string;
  scheduledAt: string;
  catchUp: boolean;
  missed: number;
  manual?: boolean;
}

export interface TickResult {
  status: "done" | "failed";
  executionId: string | null;
  error: string | null;
  /** The function's result, for "run now". */
  result?: unknown;
  /** The execution's status: success, error, timeout... */
  executionStatus?: string;
}

/** A Deno.serve function's answer, for "run now": its body as JSON when it is JSON, else as text. */
function responseBody(body: Uint8Array): unknown {
  const text = Buffer.from(body).toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function runTick(
  deps: Deps,
  schedule: Pick<SchedulesTable, "id" | "name" | "function_name" | "payload">,
  tick: TickRun,
): Promise<TickResult> {
  const payload = readPayload(schedule.payload);
  try {
    const outcome = await invokeFunction(deps, {
      name: schedule.function_name,
      trigger: "schedule",
      principal: anonymous,
      ...(payload === undefined ? {} : { payload }),
      schedule: {
        id: schedule.id,
        name: schedule.name,
        tickId: tick.tickId,
        scheduledTime: tick.scheduledAt,
        catchUp: tick.catchUp,
        missed: tick.missed,
        manual: tick.manual ?? false,
      },
      cause: { kind: "tick", id: tick.tickId },
    });
    const ok = outcome.status === "success";
    return {
      status: ok ? "done" : "failed",
      executionId: outcome.executionId,
      error: ok ? null : `${outcome.status}: ${outcome.error?.message ?? "the function failed"}`,
      executionStatus: outcome.status,
      ...(outcome.result !== undefined ? { result: outcome.result } : {}),
      ...(outcome.response ? { result: responseBody(outcome.response.body) } : {}),
    };
  } catch (error) {
    const message =
      error instanceof NotFoundError
        ? `The function '${schedule.function_name}' no longer exists`
        : (error as Error).message;
    return { status: "failed", executionId: null, error: message };
  }
}
