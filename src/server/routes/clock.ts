// /api/dev/clock (admins): the clock of `backend dev`, which a developer sets or moves on to watch a
// schedule fire ("first Monday of the month") without waiting. Other servers read the real time and
// answer 409 to a change. `set` (and `reset`) jumps: the schedules count again from the new time, so
// setting it to just before "first Monday at 9 AM" shows that tick fire, and nothing else.
// `advance_ms` lets time go by: the ticks it passes are due, on time or (for a long advance) missed
// and caught up, as after a real downtime; advanced backwards, it is a jump.
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import { ShiftedClock } from "../../core/clock.js";
import { ConflictError, ValidationError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import { retimeSchedules } from "../../schedules/retimeSchedules.js";
import type { App } from "../app.js";

const tags = ["schedules"];

export function clockRoutes(app: App, deps: Deps): void {
  const adminOnly = async (request: FastifyRequest) => {
    requireAdmin(request.principal);
  };
  const view = () => ({
    now: deps.clock.now().toISOString(),
    offsetMs: deps.clock instanceof ShiftedClock ? deps.clock.offset : 0,
    settable: deps.clock instanceof ShiftedClock,
  });

  app.get(
    "/dev/clock",
    {
      schema: { tags, summary: "The server's time, and how far `backend dev` moved it" },
      preValidation: adminOnly,
    },
    async () => view(),
  );

  app.post(
    "/dev/clock",
    {
      schema: {
        tags,
        summary: "Set (`set`), move on (`advance_ms`) or reset `backend dev`'s clock",
        body: z.object({
          set: z.string({ error: "set must be an ISO-8601 date-time" }).max(100).optional(),
          advance_ms: z.number({ error: "advance_ms must be a number of milliseconds" }).int().optional(),
          reset: z.boolean({ error: "reset must be true or false" }).optional(),
        }),
      },
      preValidation: adminOnly,
    },
    async (request) => {
      const clock = deps.clock;
      if (!(clock instanceof ShiftedClock)) {
        throw new ConflictError(
          "Only `backend dev` has a clock that can be set; this server reads the real time",
        );
      }
      const { set, advance_ms: advance, reset } = request.body;
      if ([set, advance, reset].filter((v) => v !== undefined).length !== 1) {
        throw new ValidationError("Give exactly one of set (an ISO-8601 date-time), advance_ms or reset");
      }
      let target: number;
      if (set !== undefined) {
        target = Date.parse(set);
        if (Number.isNaN(target)) {
          throw new ValidationError("set must be an ISO-8601 date-time such as 2027-01-04T08:59:50Z");
        }
      } else if (advance !== undefined) target = clock.now().getTime() + advance;
      else target = Date.now();
      // A jump (set, reset, or moved back) counts the schedules again from the new time; done before
      // the clock moves, so that the scheduler, woken by the move, never sees the old next runs.
      if (advance === undefined || advance < 0) await retimeSchedules(deps.db, new Date(target));
      if (reset) clock.reset();
      else clock.set(new Date(target));
      deps.scheduler.wake();
      return view();
    },
  );
}
