// Encryption of one secret value: AES-256-GCM with a fresh 12-byte IV, stored as
// base64(iv | tag | ciphertext). The secret's name is the additional authenticated data, so a
// ciphertext copied onto another name does not decrypt.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "../../core/errors.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A stored secret the server cannot decrypt: the key changed, or nodes use different keys. */
export class SecretsKeyError extends AppError {
  constructor(name: string) {
    super(
      500,
      "secrets_key_mismatch",
      `The secret ${name} cannot be decrypted with this server's key. It was stored with another key: ` +
        "restore the old BACKEND_SECRETS_KEY (or secrets.key file), or set the secret again. " +
        "With several PostgreSQL nodes, every node needs the same BACKEND_SECRETS_KEY.",
    );
  }
}

export function encryptSecret(key: Buffer, name: string, value: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(name, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
}

export function decryptSecret(key: Buffer, name: string, stored: string): string {
  const bytes = Buffer.from(stored, "base64");
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretsKeyError(name);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(name, "utf8"));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      "utf8",
    );
  } catch {
    throw new SecretsKeyError(name);
  }
}
