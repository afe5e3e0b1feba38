// One-off runs from function code: `backend.runAt(date, name, payload)` and
// `backend.runAfter(ms, name, payload)` schedule the function `name` to run once, durably (a restart
// does not lose it); `backend.cancelRun(id)` cancels one that has not run. "Expire this trial in 14
// days" is `backend.runAfter(14 * 86_400_000, "expireTrial", { userId })`. cancelRun answers false
// for a run that is not there (it ran, or was cancelled) and refuses a recurring schedule.
import { ValidationError } from "../../core/errors.js";
import { scheduleOneOff } from "../../schedules/createSchedule.js";
import { cancelOneOff } from "../../schedules/updateSchedule.js";
import { instantIn } from "../../schedules/scheduleTriggers.js";
import { text } from "./args.js";
import type { Op } from "./bridgeContext.js";

export const scheduleOps: Record<string, Op> = {
  "schedules.runAt": async (call) =>
    scheduleOneOff(
      call.deps,
      {
        function: text(call.args, 1, "The function name"),
        at: instantOf(call.args[0], call.deps.config.schedules.timezone),
        ...payloadOf(call.args),
      },
      call.scope.executionId,
    ),
  "schedules.runAfter": async (call) => {
    const ms = call.args[0];
    if (typeof ms !== "number" || !Number.isFinite(ms) || ms < 0) {
      throw new ValidationError(
        "runAfter(ms, name, payload): ms must be a number of milliseconds, 0 or more",
      );
    }
    return scheduleOneOff(
      call.deps,
      { function: text(call.args, 1, "The function name"), after_ms: ms, ...payloadOf(call.args) },
      call.scope.executionId,
    );
  },
  "schedules.cancel": async (call) => cancelOneOff(call.deps, text(call.args, 0, "The run's id")),
};

/**
 * A Date arrives as its ISO string; a number is milliseconds since the epoch; a date-time written
 * without an offset is a wall-clock time in the server's time zone for schedules.
 */
function instantOf(value: unknown, timeZone: string): string {
  if (typeof value === "string") {
    try {
      return instantIn(value, timeZone);
    } catch {
      // Told below.
    }
  }
  const ms = typeof value === "number" ? value : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw new ValidationError(
      "runAt(date, name, payload): date must be a Date, an ISO-8601 string or milliseconds since 1970",
    );
  }
  return new Date(ms).toISOString();
}

function payloadOf(args: unknown[]): { payload?: unknown } {
  return args[2] === undefined ? {} : { payload: args[2] };
}
