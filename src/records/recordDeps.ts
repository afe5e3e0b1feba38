// What the record functions need from the platform.
import type { Deps } from "../deps.js";

export type RecordDeps = Pick<Deps, "db" | "dialect" | "clock" | "config" | "pipeline" | "realtime">;
