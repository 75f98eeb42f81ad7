/**
 * Encryption at rest for secrets the console must read back (a connection's
 * external id): AES-256-GCM with a key derived from SECRET_KEY by HKDF, one key per
 * purpose. Stored as `v1.<iv>.<tag>.<ciphertext>` in base64url.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env";

const keys = new Map<string, Buffer>();

function key(purpose: string) {
  const cacheKey = `${env.SECRET_KEY}\u0000${purpose}`;
  let k = keys.get(cacheKey);
  if (!k) {
    k = Buffer.from(hkdfSync("sha256", env.SECRET_KEY, "console", purpose, 32));
    keys.set(cacheKey, k);
  }
  return k;
}

export function encrypt(plaintext: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function decrypt(sealed: string, purpose: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new Error("Unreadable sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key(purpose), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
