// The one ID generator: UUIDv7, so IDs sort by creation time (stable default order, index-friendly).
import { createHash, randomBytes } from "node:crypto";
import { v7 } from "uuid";

export function newId(): string {
  return v7();
}

/** A random secret for bearer tokens and reset links: 32 bytes, URL-safe. */
export function newSecret(prefix = ""): string {
  return prefix + randomBytes(32).toString("base64url");
}

/** Secrets are stored only as this digest, so a stolen database holds no usable token. */
export function digest(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}
