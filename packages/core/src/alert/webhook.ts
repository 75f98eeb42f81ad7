/**
 * Webhooks the Standard Webhooks way (standardwebhooks.com): a `whsec_<base64>` secret
 * per destination; every delivery carries `webhook-id` (the delivery's id, the same on
 * every retry), `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">`. 5xx, 429, network errors and timeouts are retried with
 * backoff; other answers are final.
 */
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { post, RefusedAddressError, checkUrl } from "./net";

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** How hard a delivery tries before it counts as failed (tests shorten the delays). */
export const webhookPolicy = { attempts: 3, delaysMs: [1_000, 4_000], timeoutMs: 10_000 };

export interface SendOutcome {
  ok: boolean;
  /** A short reason when not ok: `http_500`, `timeout`, `private_address`, `network`. */
  code?: string;
  message?: string;
  attempts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function sendWebhook(input: { url: string; secret: string; messageId: string; body: string }): Promise<SendOutcome> {
  let url: URL;
  try {
    // Checked again at send time: what the name resolves to may have changed since it was saved.
    url = await checkUrl(input.url);
  } catch (err) {
    return { ok: false, code: "private_address", message: (err as Error).message.replace(/^url: /, ""), attempts: 0 };
  }
  const signer = new Webhook(input.secret);
  let last: SendOutcome = { ok: false, code: "network", message: "not sent", attempts: 0 };
  for (let attempt = 1; attempt <= webhookPolicy.attempts; attempt++) {
    const timestamp = new Date();
    const headers = {
      "content-type": "application/json",
      "user-agent": "Console-Webhooks/1",
      "webhook-id": input.messageId,
      "webhook-timestamp": Math.floor(timestamp.getTime() / 1000).toString(),
      "webhook-signature": signer.sign(input.messageId, timestamp, input.body),
    };
    let retry = false;
    try {
      const res = await post(url, input.body, headers, webhookPolicy.timeoutMs);
      if (res.status >= 200 && res.status < 300) return { ok: true, attempts: attempt };
      last = { ok: false, code: `http_${res.status}`, message: `The endpoint answered ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ""}`, attempts: attempt };
      retry = res.status >= 500 || res.status === 429;
    } catch (err) {
      if (err instanceof RefusedAddressError) return { ok: false, code: "private_address", message: err.message, attempts: attempt };
      const e = err as { code?: string; message?: string };
      last = e.code === "timeout"
        ? { ok: false, code: "timeout", message: e.message, attempts: attempt }
        : { ok: false, code: "network", message: `Could not reach the endpoint (${e.code ?? e.message ?? "error"})`, attempts: attempt };
      retry = true;
    }
    if (!retry || attempt === webhookPolicy.attempts) break;
    await sleep(webhookPolicy.delaysMs[attempt - 1] ?? webhookPolicy.delaysMs.at(-1) ?? 0);
  }
  return last;
}
