// The key that encrypts secrets at rest (AES-256-GCM, 32 bytes): BACKEND_SECRETS_KEY when set,
// otherwise a key file `secrets.key` in the data folder, created (mode 0600) on first start. With
// several PostgreSQL nodes every node needs the same key, so set BACKEND_SECRETS_KEY there.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Config, ConfigError } from "../../config/config.js";

export const KEY_BYTES = 32;
export const KEY_FILE = "secrets.key";

const HOW_TO_MAKE = "generate one with: openssl rand -base64 32";

export function loadSecretsKey(config: Pick<Config, "secretsKey" | "dataDir">): Buffer {
  if (config.secretsKey !== undefined) {
    return parseKey(config.secretsKey, "BACKEND_SECRETS_KEY (secretsKey)");
  }
  const file = path.join(config.dataDir, KEY_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  try {
    const key = randomBytes(KEY_BYTES);
    // `wx` fails if the file exists, so two processes starting at once cannot both write a key.
    writeFileSync(file, `${key.toString("base64")}\n`, { flag: "wx", mode: 0o600 });
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return parseKey(readFileSync(file, "utf8"), file);
}

/** 32 bytes as 64 hex digits or as base64 (standard or URL-safe, padding optional). */
export function parseKey(text: string, source: string): Buffer {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const key = Buffer.from(value.replaceAll("-", "+").replaceAll("_", "/"), "base64");
    if (key.length === KEY_BYTES) return key;
  }
  throw new ConfigError(
    `${source} is not a valid secrets key: it must be ${KEY_BYTES} bytes written as 64 hex digits or as base64 ` +
      `(44 characters); ${HOW_TO_MAKE}`,
  );
}
