// PLACEHOLDER: to be written.
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";

export function secretRoutes(_app: App, _deps: Deps): void {}
