// /api/dev/clock (admins): the clock of `backend dev`, which a developer sets or moves on to watch a
// schedule fire ("first Monday of the month") without waiting. Other servers read the real time and
// answer 409 to a change.
import { z } from "zod";
import { requireAdmin } from "../../auth/principal.js";
import { ShiftedClock } from "../../core/clock.js";
import { ConflictError, ValidationError } from "../../core/errors.js";
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";

const tags = ["schedules"];

export function clockRoutes(app: App, deps: Deps): void {
  const view = () => ({
    now: deps.clock.now().toISOString(),
    offsetMs: deps.clock instanceof ShiftedClock ? deps.clock.offset : 0,
    settable: deps.clock instanceof ShiftedClock,
  });

  app.get(
    "/dev/clock",
    { schema: { tags, summary: "The server's time, and how far `backend dev` moved it" } },
    async (request) => {
      requireAdmin(request.principal);
      return view();
    },
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
    },
    async (request) => {
      requireAdmin(request.principal);
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
      if (set !== undefined) {
        const ms = Date.parse(set);
        if (Number.isNaN(ms))
          throw new ValidationError("set must be an ISO-8601 date-time such as 2027-01-04T08:59:50Z");
        clock.set(new Date(ms));
      } else if (advance !== undefined) clock.advance(advance);
      else clock.reset();
      return view();
    },
  );
}
