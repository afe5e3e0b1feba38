// PLACEHOLDER: to be written.
import type { Deps } from "../../deps.js";
import type { App } from "../app.js";

export function invokeRoutes(_app: App, _deps: Deps): void {}
