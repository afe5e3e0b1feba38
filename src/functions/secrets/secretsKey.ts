// PLACEHOLDER (functions-server helper replaces this): the key that encrypts secrets at rest.
import type { Config } from "../../config/config.js";

export function loadSecretsKey(_config: Config): Buffer {
  return Buffer.alloc(32);
}
