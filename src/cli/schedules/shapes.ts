// The answers of the schedules API (GET /api/schedules, /api/schedules/:ref/ticks, POST .../run,
// POST /api/schedules/preview) and of GET /api/dev/clock, as the `backend schedules` and
// `backend clock` commands read them: the server's own item types, so the two cannot drift apart.
export type { ScheduleWithRuns as ScheduleItem, TickItem } from "../../schedules/listSchedules.js";
export type { Preview } from "../../schedules/previewSchedule.js";
export type { ManualRun } from "../../schedules/runScheduleNow.js";

/** GET and POST /api/dev/clock. */
export interface ClockView {
  now: string;
  /** How far the server's clock is from the real time, in milliseconds. */
  offsetMs: number;
  /** Only `backend dev` has a clock that can be set. */
  settable: boolean;
}
