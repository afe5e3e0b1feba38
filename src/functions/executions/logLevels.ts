// Log levels in order, so "--level warn" means warn and error.
import type { LogLevel } from "../runtime/types.js";

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const satisfies readonly LogLevel[];

/** The levels at or above `min`: what a `level=` filter lets through. */
export function levelsFrom(min: LogLevel): LogLevel[] {
  return LOG_LEVELS.slice(LOG_LEVELS.indexOf(min));
}

export function isAtLeast(level: LogLevel, min: LogLevel): boolean {
  return LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf(min);
}
