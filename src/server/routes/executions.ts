// PLACEHOLDER: to be written.
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";

export function executionRoutes(_app: App, _deps: Deps): void {}
