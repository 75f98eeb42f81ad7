/**
 * GitHub, for autodeploy: the console is a GitHub App.
 *
 * - Webhooks: a delivery is taken only when `X-Hub-Signature-256` verifies against the
 *   app's webhook secret (`@octokit/webhooks`), and once: its `X-GitHub-Delivery` id is
 *   recorded, so a replayed delivery (GitHub's redelivery, or someone replaying a captured
 *   one) does nothing again. Pushes and pull requests become git events (../autodeploy).
 * - Acting in a repository: only with an installation token (`@octokit/app`: a JWT of the
 *   app, exchanged for a token of one installation that GitHub expires within the hour).
 *   Tokens are made when needed and never stored.
 *
 * `GITHUB_API_URL` points the clients at a local fake in tests.
 */
import { App } from "@octokit/app";
import { Octokit } from "@octokit/core";
import { Webhooks } from "@octokit/webhooks";
import { lt } from "drizzle-orm";
import { Database } from "../db";
import { env } from "../env";
import { VisibleError } from "../error";
import { gitEventFromGithub, type GitEvent } from "../autodeploy/targets";
import { githubDeliveryTable } from "./github.sql";

export { githubDeliveryTable } from "./github.sql";

export interface Delivery {
  /** `X-GitHub-Delivery`. */
  id: string | undefined;
  /** `X-GitHub-Event`. */
  name: string | undefined;
  /** `X-Hub-Signature-256`. */
  signature: string | undefined;
  /** The raw body, exactly as received (the signature covers its bytes). */
  body: string;
}

export type DeliveryOutcome =
  | { outcome: "accepted"; event: string; installationId: number | null; repository: string | null; git: GitEvent | null }
  | { outcome: "replay"; event: string };

const DELIVERY_ID = /^[0-9a-fA-F-]{8,64}$/;
const EVENT_NAME = /^[a-z_]{1,64}$/;

export namespace Github {
  export function configured(): boolean {
    return !!(env.GITHUB_APP_ID && env.GITHUB_APP_PRIVATE_KEY && env.GITHUB_WEBHOOK_SECRET);
  }

  function required() {
    if (!configured()) throw new VisibleError("unavailable", "GitHub is not configured on this console");
    return { appId: env.GITHUB_APP_ID!, privateKey: env.GITHUB_APP_PRIVATE_KEY!.replace(/\\n/g, "\n"), secret: env.GITHUB_WEBHOOK_SECRET! };
  }

  function app() {
    const { appId, privateKey, secret } = required();
    return new App({ appId, privateKey, webhooks: { secret }, Octokit: Octokit.defaults({ baseUrl: env.GITHUB_API_URL }) });
  }

  /** Verifies and takes one webhook delivery. A wrong or missing signature: 401; a replay: taken, nothing done. */
  export async function receive(delivery: Delivery): Promise<DeliveryOutcome> {
    const { secret } = required();
    if (!delivery.signature || !(await new Webhooks({ secret }).verify(delivery.body, delivery.signature).catch(() => false))) {
      throw new VisibleError("unauthorized", "The webhook signature does not verify");
    }
    if (!delivery.id || !DELIVERY_ID.test(delivery.id) || !delivery.name || !EVENT_NAME.test(delivery.name)) {
      throw new VisibleError("bad_request", "A GitHub delivery names its id and event");
    }
    let payload: unknown;
    try {
      payload = JSON.parse(delivery.body);
    } catch {
      throw new VisibleError("bad_request", "The delivery is not JSON");
    }
    const fresh = await Database.use(async (db) => {
      const res = await db.insert(githubDeliveryTable).ignore().values({ id: delivery.id!, event: delivery.name! });
      return (res as unknown as [{ affectedRows: number }])[0].affectedRows === 1;
    });
    if (!fresh) return { outcome: "replay", event: delivery.name };
    const p = payload as { installation?: { id?: unknown }; repository?: { full_name?: unknown } };
    return {
      outcome: "accepted",
      event: delivery.name,
      installationId: typeof p.installation?.id === "number" ? p.installation.id : null,
      repository: typeof p.repository?.full_name === "string" ? p.repository.full_name : null,
      git: gitEventFromGithub(delivery.name, payload),
    };
  }

  /** How long delivery ids are kept against replays (GitHub redelivers within 3 days). */
  export const KEEP_DELIVERIES_MS = 30 * 86_400_000;

  /** Cron: forgets delivery ids older than `KEEP_DELIVERIES_MS`. */
  export async function pruneDeliveries(now = new Date()) {
    await Database.use((db) => db.delete(githubDeliveryTable).where(lt(githubDeliveryTable.timeCreated, new Date(now.getTime() - KEEP_DELIVERIES_MS))));
  }

  /** A short-lived token of one installation (never stored): what a run checks out and reports with. */
  export async function installationToken(installationId: number): Promise<{ token: string; expiresAt: Date }> {
    const octokit = await app().getInstallationOctokit(installationId);
    const auth = (await octokit.auth({ type: "installation" })) as { token: string; expiresAt: string };
    return { token: auth.token, expiresAt: new Date(auth.expiresAt) };
  }
}
