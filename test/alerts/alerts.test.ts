/**
 * Alerts end to end through the API and the in-process bus: rules route issue events
 * by event, app and stage glob to a local webhook receiver (signatures verified with
 * the `standardwebhooks` verifier), to the real `@slack/web-api` client pointed at a
 * local fake of Slack's Web API, and to email through SES on the emulator. Times are
 * a fake clock (vi.setSystemTime, Date only).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { SESv2Client, CreateEmailIdentityCommand } from "@aws-sdk/client-sesv2";
import { startFakeSlack, startWebhookReceiver, type FakeSlack, type WebhookReceiver } from "@console/testkit/alerts";
import { Actor } from "../../packages/core/src/actor";
import { Alert, alertDeliveryTable, setLookup, webhookPolicy } from "../../packages/core/src/alert";
import { appTable, stageTable } from "../../packages/core/src/app/app.sql";
import { AwsConfig } from "../../packages/core/src/aws/config";
import { Database } from "../../packages/core/src/db";
import { Email } from "../../packages/core/src/email";
import { resetEnv } from "../../packages/core/src/env";
import { Bus, type EventEnvelope } from "../../packages/core/src/event";
import { createId } from "../../packages/core/src/id";
import { Issue, issueTable } from "../../packages/core/src/issue";
import { Usage } from "../../packages/core/src/usage";
import { Billing } from "../../packages/core/src/billing";
import { acceptInvitations, call, createWorkspace, expectError, randomEmail, signIn } from "../setup/api";

let slack: FakeSlack;
let hook: WebhookReceiver;
const T0 = new Date("2026-12-01T10:00:00.000Z");

beforeAll(async () => {
  slack = await startFakeSlack();
  hook = await startWebhookReceiver();
  Object.assign(process.env, {
    SLACK_CLIENT_ID: "123.456",
    SLACK_CLIENT_SECRET: "fake-client-secret",
    SLACK_API_URL: slack.apiUrl,
    SLACK_AUTHORIZE_URL: slack.authorizeUrl,
    PUBLIC_URL: "http://console.test",
  });
  resetEnv();
  webhookPolicy.delaysMs = [5, 5];
  webhookPolicy.timeoutMs = 1_000;
});

afterAll(async () => {
  await slack?.close();
  await hook?.close();
});

afterEach(() => {
  vi.useRealTimers();
  setLookup(undefined);
  hook.respond(200);
  delete process.env.WEBHOOK_PRIVATE_URLS;
  resetEnv();
});

function at(time: Date) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(time);
}

interface Setup {
  token: string;
  ws: { id: string; slug: string };
  stages: Record<string, { id: string; app: string; name: string }>;
}

/** A workspace with apps `api` and `web`, stages production, prod-eu, staging and a personal `alice`. */
async function setup(): Promise<Setup> {
  const { token } = await signIn();
  const ws = await createWorkspace(token);
  const stages: Setup["stages"] = {};
  await Database.use(async (db) => {
    for (const app of ["api", "web"]) {
      const appId = createId();
      await db.insert(appTable).values({ workspaceId: ws.id, id: appId, name: app });
      for (const [name, personal] of [["production", false], ["prod-eu", false], ["staging", false], ["alice", true]] as const) {
        const id = createId();
        await db.insert(stageTable).values({ workspaceId: ws.id, id, appId, connectionId: createId(), region: "us-east-1", name, version: "v3", personal, contentHash: "x", sourceTag: "x" });
        stages[`${app}/${name}`] = { id, app, name };
      }
    }
  });
  return { token, ws, stages };
}

async function makeIssue(s: Setup, stage: string, status: "active" | "ignored" | "resolved" = "active") {
  const id = createId();
  const now = new Date();
  const error = {
    type: "TypeError",
    message: `Cannot read properties of undefined (reading 'total') #${id.slice(-4)}`,
    frames: [{ file: "src/orders.ts", line: 42, function: "handler", inApp: true, raw: "at handler (index.mjs:1:200)", context: { start: 41, pre: [], line: "  const total = order.total;", post: [] } }],
    kind: "invoke" as const,
    phase: "invoke" as const,
    timestamp: now.getTime(),
    eventIds: [],
    runtime: "node" as const,
  };
  await Database.use((db) =>
    db.insert(issueTable).values({
      workspaceId: s.ws.id,
      id,
      stageId: s.stages[stage]!.id,
      type: error.type,
      message: error.message,
      kind: "invoke",
      error,
      functionName: `${stage.replace("/", "-")}-OrderWorker`,
      status,
      count: 3,
      groupingVersion: 1,
      timeFirstSeen: now,
      timeLastSeen: now,
    }),
  );
  return id;
}

function detected(s: Setup, issueId: string, stage: string, reason: "new" | "regression" = "new"): EventEnvelope {
  return {
    id: createId(),
    type: Issue.Events.Detected.type,
    properties: { issueId, stageId: s.stages[stage]!.id, reason },
    metadata: { time: new Date().toISOString(), workspaceId: s.ws.id, actor: { type: "system" } },
  };
}

/** Publishes through the in-process bus (the registered subscribers run) and waits for them. */
async function publish(...events: EventEnvelope[]) {
  await Bus.local()!.publish(events);
  await Bus.idle();
}

async function webhook(s: Setup, name = "hook", url = `${hook.url}/${s.ws.slug}`) {
  const res = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token, body: { type: "webhook", name, url } });
  expect(res.status).toBe(201);
  hook.setSecret(res.body.secret);
  return res.body as { id: string; secret: string };
}

async function rule(s: Setup, body: Record<string, unknown>) {
  const res = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/rules`, { token: s.token, body });
  expect(res.status).toBe(201);
  return res.body as { id: string };
}

/** Deletes the default rule so only the test's own rules route. */
async function withoutDefaults(s: Setup) {
  for (const r of (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/rules`, { token: s.token })).body) {
    await call("DELETE", `/api/workspaces/${s.ws.slug}/alerts/rules/${r.id}`, { token: s.token });
  }
}

const mine = (s: Setup) => hook.verified().filter((r) => r.path === `/${s.ws.slug}`);

describe("destinations and the public contract", () => {
  it("creates a webhook: 201 with a whsec_ secret shown once; rotation gives a new one", async () => {
    const s = await setup();
    const res = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token, body: { type: "webhook", name: "Ops", url: `${hook.url}/x` } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.any(String), type: "webhook", name: "Ops", url: `${hook.url}/x` });
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const got = await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations/${res.body.id}`, { token: s.token });
    expect(got.body.secret).toBeUndefined();
    expect(JSON.stringify((await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token })).body)).not.toContain("whsec_");
    const rotated = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations/${res.body.id}/rotate-secret`, { token: s.token, body: {} });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(res.body.secret);
    // The stored secret is encrypted, never the plain value.
    const rows = await Database.use((db) => db.execute(`select secret from alert_destination where id = '${res.body.id}'`));
    expect(JSON.stringify(rows)).not.toContain(rotated.body.secret.slice(6));
  });

  it("gives a new workspace one default rule: email to all members, new issues and regressions, non-personal stages", async () => {
    const s = await setup();
    const rules = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/rules`, { token: s.token })).body;
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ events: ["issue.new", "issue.regression"], apps: ["*"], stages: ["*"], personalStages: false, enabled: true });
    const dests = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token })).body;
    expect(dests).toEqual([expect.objectContaining({ id: rules[0].destinations[0], type: "email", recipients: { allMembers: true, userIds: [], addresses: [] } })]);

    // It emails every member for a new issue in production, not for a personal stage.
    const { token: other, email } = await signIn();
    await call("POST", `/api/workspaces/${s.ws.slug}/members`, { token: s.token, body: { email, role: "member" } });
    await acceptInvitations(other);
    const personal = await makeIssue(s, "api/alice");
    const prod = await makeIssue(s, "api/production");
    await publish(detected(s, personal, "api/alice"), detected(s, prod, "api/production"));
    const mails = Email.sent(email).filter((m) => m.subject.startsWith("[Console]"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain("(api/production)");
    expect(mails[0]!.text).toContain(`http://console.test/${s.ws.slug}/issues/${prod}`);
    expect(mails[0]!.text).toContain("src/orders.ts:42");
    expect(mails[0]!.html).toContain("Open the issue");
    expect(mails[0]!.headers).toEqual([
      { name: "In-Reply-To", value: `<issue-${prod}@console.alerts>` },
      { name: "References", value: `<issue-${prod}@console.alerts>` },
    ]);
  });

  it("validates input: unknown destination in a rule, bad event, bad URL, empty email recipients", async () => {
    const s = await setup();
    const base = `/api/workspaces/${s.ws.slug}/alerts`;
    expectError(await call("POST", `${base}/rules`, { token: s.token, body: { events: ["issue.new"], destinations: [createId()] } }), 400, "validation");
    expectError(await call("POST", `${base}/rules`, { token: s.token, body: { events: ["issue.other"], destinations: ["x"] } }), 400, "validation");
    expectError(await call("POST", `${base}/destinations`, { token: s.token, body: { type: "webhook", name: "x", url: "ftp://example.com" } }), 400, "validation");
    expectError(await call("POST", `${base}/destinations`, { token: s.token, body: { type: "email", name: "x" } }), 400, "validation");
    expectError(await call("POST", `${base}/destinations`, { token: s.token, body: { type: "pager", name: "x" } }), 400, "validation");
  });
});

describe("delivery", () => {
  it("routes by event and app/stage globs, with the documented webhook body, signed", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    await rule(s, { events: ["issue.new"], apps: ["api"], stages: ["prod*"], destinations: [d.id] });
    const issues = {
      apiProd: await makeIssue(s, "api/production"),
      apiEu: await makeIssue(s, "api/prod-eu"),
      apiStaging: await makeIssue(s, "api/staging"),
      webProd: await makeIssue(s, "web/production"),
      apiRegression: await makeIssue(s, "api/production"),
      apiPersonal: await makeIssue(s, "api/alice"),
    };
    await publish(
      detected(s, issues.apiProd, "api/production"),
      detected(s, issues.apiEu, "api/prod-eu"),
      detected(s, issues.apiStaging, "api/staging"),
      detected(s, issues.webProd, "web/production"),
      detected(s, issues.apiRegression, "api/production", "regression"),
      detected(s, issues.apiPersonal, "api/alice"),
    );
    const got = mine(s);
    expect(got.map((r) => r.payload.data.issue.id).sort()).toEqual([issues.apiProd, issues.apiEu].sort());
    const body = got.find((r) => r.payload.data.issue.id === issues.apiProd)!.payload;
    expect(Object.keys(body).sort()).toEqual(["data", "timestamp", "type"]);
    expect(body.type).toBe("issue.new");
    expect(body.data.workspace).toEqual({ id: s.ws.id, slug: s.ws.slug });
    expect(Object.keys(body.data.issue).sort()).toEqual(["app", "count", "functionName", "id", "message", "stage", "timeFirstSeen", "timeLastSeen", "type", "url"]);
    expect(body.data.issue).toMatchObject({ type: "TypeError", app: "api", stage: "production", count: 3, functionName: "api-production-OrderWorker", url: `http://console.test/${s.ws.slug}/issues/${issues.apiProd}` });
    expect(got[0]!.signature).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    // A rule for regressions only, personal stages included.
    await rule(s, { events: ["issue.regression"], apps: ["*"], stages: ["*"], personalStages: true, destinations: [d.id] });
    const reg = await makeIssue(s, "web/alice");
    await publish(detected(s, reg, "web/alice", "regression"));
    expect(mine(s).at(-1)!.payload).toMatchObject({ type: "issue.regression", data: { issue: { id: reg, app: "web", stage: "alice" } } });

    // Delivery history shows each, sent.
    const history = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/deliveries?destination=${d.id}`, { token: s.token })).body;
    expect(history).toHaveLength(3);
    expect(history.every((h: { status: string }) => h.status === "sent")).toBe(true);
  });

  it("sends at most one alert per issue per 30 minutes (fake clock)", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    await rule(s, { events: ["issue.new", "issue.regression"], destinations: [d.id] });
    const id = await makeIssue(s, "api/production");
    at(T0);
    await publish(detected(s, id, "api/production"));
    at(new Date(T0.getTime() + 10 * 60_000));
    await publish(detected(s, id, "api/production", "regression"));
    at(new Date(T0.getTime() + 29 * 60_000 + 59_000));
    await publish(detected(s, id, "api/production", "regression"));
    expect(mine(s)).toHaveLength(1);
    at(new Date(T0.getTime() + 30 * 60_000));
    await publish(detected(s, id, "api/production", "regression"));
    expect(mine(s).map((r) => r.payload.type)).toEqual(["issue.new", "issue.regression"]);
    // Another issue is not held by the first one's window.
    const other = await makeIssue(s, "api/production");
    await publish(detected(s, other, "api/production"));
    expect(mine(s)).toHaveLength(3);
  });

  it("never alerts for an ignored issue", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    await rule(s, { events: ["issue.new", "issue.regression"], destinations: [d.id] });
    const ignored = await makeIssue(s, "api/production", "ignored");
    await publish(detected(s, ignored, "api/production"), detected(s, ignored, "api/production", "regression"));
    expect(mine(s)).toHaveLength(0);
    expect((await call("GET", `/api/workspaces/${s.ws.slug}/alerts/deliveries`, { token: s.token })).body).toHaveLength(0);
  });

  it("sends nothing twice for a replayed event, even replayed concurrently", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    await rule(s, { events: ["issue.new"], destinations: [d.id] });
    const id = await makeIssue(s, "api/production");
    const event = detected(s, id, "api/production");
    await publish(event, event, event);
    await publish(event);
    expect(mine(s)).toHaveLength(1);
    expect(await Database.use((db) => db.select().from(alertDeliveryTable).where(and(eq(alertDeliveryTable.workspaceId, s.ws.id), eq(alertDeliveryTable.eventId, event.id))))).toHaveLength(1);
  });

  it("a rate-limited workspace gets one rate-limit alert", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    await rule(s, { events: ["issue.rate_limited"], destinations: [d.id] });
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    // The usage domain announces the crossing (a warning and the event); announced twice, one alert.
    await Usage.announceLimited(s.ws.id, hour);
    await Usage.announceLimited(s.ws.id, hour);
    await Bus.idle();
    const got = mine(s);
    expect(got).toHaveLength(1);
    expect(got[0]!.payload).toMatchObject({ type: "issue.rate_limited", data: { workspace: { id: s.ws.id, slug: s.ws.slug }, rateLimit: { hour: hour.toISOString(), limit: 10_000 } } });
  });

  it("a subscription warning from billing reaches the rules that ask for it, once", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    await rule(s, { events: ["subscription.warning"], destinations: [d.id] });
    const warning = (): EventEnvelope => ({
      id: createId(),
      type: Billing.Events.Warning.type,
      properties: { reason: "past_due", status: "past_due", invocations: "1200000" },
      metadata: { time: new Date().toISOString(), workspaceId: s.ws.id, actor: { type: "system" } },
    });
    await publish(warning(), warning());
    const got = mine(s);
    expect(got).toHaveLength(1);
    expect(got[0]!.payload).toMatchObject({
      type: "subscription.warning",
      data: { workspace: { id: s.ws.id, slug: s.ws.slug }, subscription: { reason: "past_due", status: "past_due", invocations: "1200000" } },
    });
  });

  it("a failing webhook is retried with backoff, becomes a warning, is retried later and recovers", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    await rule(s, { events: ["issue.new"], destinations: [d.id] });
    const id = await makeIssue(s, "api/production");
    hook.respond(503);
    at(T0);
    const before = mine(s).length;
    await publish(detected(s, id, "api/production"));
    // Three attempts, each signed, with the same webhook-id.
    const tries = mine(s).slice(before);
    expect(tries).toHaveLength(3);
    expect(new Set(tries.map((t) => t.id)).size).toBe(1);
    let dest = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}`, { token: s.token })).body;
    expect(dest.warning).toMatchObject({ code: "http_503", message: expect.stringContaining("503") });
    let [delivery] = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/deliveries`, { token: s.token })).body;
    expect(delivery).toMatchObject({ status: "retrying", attempts: 1 });

    // The cron retries only once the backoff has passed.
    hook.respond(200);
    expect(await Alert.retryDue(new Date(T0.getTime() + 30_000))).toEqual({ tried: 0, sent: 0 });
    expect((await Alert.retryDue(new Date(T0.getTime() + 61_000))).sent).toBeGreaterThanOrEqual(1);
    expect(mine(s).slice(before).at(-1)!.id).toBe(tries[0]!.id);
    dest = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}`, { token: s.token })).body;
    expect(dest.warning).toBeNull();
    expect(dest.timeLastSuccess).toBeTruthy();
    [delivery] = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/deliveries`, { token: s.token })).body;
    expect(delivery).toMatchObject({ status: "sent", attempts: 2, error: null });
  });

  it("a webhook that times out is a warning; 4xx is not retried", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const d = await webhook(s);
    hook.respond("hang");
    const timedOut = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}/test`, { token: s.token, body: {} });
    expect(timedOut.body).toMatchObject({ ok: false, error: { code: "timeout" } });
    expect((await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}`, { token: s.token })).body.warning.code).toBe("timeout");
    hook.respond(410);
    const before = mine(s).length;
    const gone = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}/test`, { token: s.token, body: {} });
    expect(gone.body).toMatchObject({ ok: false, error: { code: "http_410" } });
    expect(mine(s).length - before).toBe(1);
    hook.respond(200);
    const ok = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}/test`, { token: s.token, body: {} });
    expect(ok.body).toMatchObject({ ok: true, error: null, delivery: { status: "sent", event: "test" } });
    expect(mine(s).at(-1)!.payload).toMatchObject({ type: "test", data: { workspace: { id: s.ws.id, slug: s.ws.slug }, test: true } });
    expect((await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}`, { token: s.token })).body.warning).toBeNull();
  });
});

describe("email through SES (emulator)", () => {
  it("an SES rejection becomes a warning; once the sender is verified, the retry succeeds", async () => {
    const s = await setup();
    const from = `alerts-${createId().toLowerCase()}@unverified.example`;
    Object.assign(process.env, { EMAIL_TRANSPORT: "ses", EMAIL_FROM: from });
    resetEnv();
    try {
      const id = await makeIssue(s, "api/production");
      at(T0);
      await publish(detected(s, id, "api/production"));
      const [dest] = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token })).body;
      expect(dest.warning).toMatchObject({ code: "email_rejected" });
      expect(dest.warning.message).toMatch(/rejected/i);
      const ses = new SESv2Client(AwsConfig.console());
      await ses.send(new CreateEmailIdentityCommand({ EmailIdentity: from }));
      expect((await Alert.retryDue(new Date(T0.getTime() + 61_000))).sent).toBe(1);
      const [after] = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token })).body;
      expect(after.warning).toBeNull();
    } finally {
      Object.assign(process.env, { EMAIL_TRANSPORT: "memory" });
      delete process.env.EMAIL_FROM;
      resetEnv();
    }
  });
});

describe("Slack", () => {
  async function install(s: Setup) {
    const started = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/slack/install`, { token: s.token, body: {} });
    expect(started.status).toBe(200);
    const url = new URL(started.body.url);
    expect(url.origin + url.pathname).toBe(slack.authorizeUrl);
    expect(url.searchParams.get("scope")).toContain("chat:write");
    expect(url.searchParams.get("redirect_uri")).toBe("http://console.test/api/alerts/slack/callback");
    return url.searchParams.get("state")!;
  }
  const callback = (token: string, state: string, code = "good-code") => call("GET", `/api/alerts/slack/callback?state=${encodeURIComponent(state)}&code=${code}`, { token });

  it("installs with OAuth v2, lists channels, posts blocks; token_revoked and channel_not_found become warnings and recover", async () => {
    const s = await setup();
    await withoutDefaults(s);
    const state = await install(s);
    const done = await callback(s.token, state);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`http://console.test/${s.ws.slug}/settings/alerts?slack=connected`);
    const exchange = slack.callsTo("oauth.v2.access").at(-1)!;
    expect(exchange.args).toMatchObject({ code: "good-code", redirect_uri: "http://console.test/api/alerts/slack/callback" });
    expect((await call("GET", `/api/workspaces/${s.ws.slug}/alerts/slack`, { token: s.token })).body).toEqual({ configured: true, connected: true, team: { id: "T0TEAM", name: "Acme" } });
    // The bot token is stored encrypted.
    const stored = JSON.stringify(await Database.use((db) => db.execute(`select token from alert_slack where workspace_id = '${s.ws.id}'`)));
    expect(stored).not.toContain("xoxb-");

    const channels = (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/slack/channels`, { token: s.token })).body;
    expect(channels.map((c: { name: string }) => c.name)).toEqual(["alerts", "general", "oncall"]);
    const dest = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token, body: { type: "slack", channel: "C0ALERTS" } });
    expect(dest.status).toBe(201);
    expect(dest.body).toMatchObject({ type: "slack", name: "#alerts", channel: { id: "C0ALERTS", name: "alerts" } });
    expect(dest.body.secret).toBeUndefined();
    await rule(s, { events: ["issue.new", "issue.regression"], destinations: [dest.body.id] });

    const posts = () => slack.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0ALERTS");
    const first = await makeIssue(s, "api/production");
    const before = posts().length;
    await publish(detected(s, first, "api/production"));
    const message = posts().at(-1)!;
    expect(posts().length - before).toBe(1);
    expect(message.token).toBe("xoxb-fake-bot-token");
    expect(message.args.text).toContain("New issue: TypeError");
    const blocks = message.args.blocks as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { url: string }[] }[];
    expect(blocks.map((b) => b.type)).toEqual(["header", "section", "section", "section", "actions"]);
    expect(blocks[0]!.text!.text).toBe("New issue in api/production");
    expect(blocks[2]!.text!.text).toContain("src/orders.ts:42");
    expect(blocks[2]!.text!.text).toContain("const total = order.total;");
    expect(blocks[3]!.fields!.map((f) => f.text).join("\n")).toContain("api-production-OrderWorker");
    expect(blocks[4]!.elements![0]!.url).toBe(`http://console.test/${s.ws.slug}/issues/${first}`);
    const out = path.resolve("test/alerts/.output");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "slack-message.json"), JSON.stringify({ channel: message.args.channel, text: message.args.text, blocks }, null, 2));

    const status = async () => (await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations/${dest.body.id}`, { token: s.token })).body.warning;
    for (const error of ["token_revoked", "channel_not_found"]) {
      slack.fail("chat.postMessage", error);
      await publish(detected(s, await makeIssue(s, "api/production"), "api/production"));
      expect(await status()).toMatchObject({ code: error });
      slack.fail("chat.postMessage", undefined);
      const test = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations/${dest.body.id}/test`, { token: s.token, body: {} });
      expect(test.body.ok).toBe(true);
      expect(await status()).toBeNull();
    }

    // Disconnect: the token goes; a send is then a warning, not silence.
    expect((await call("DELETE", `/api/workspaces/${s.ws.slug}/alerts/slack`, { token: s.token })).status).toBe(200);
    expect(slack.callsTo("auth.revoke").length).toBeGreaterThan(0);
    await publish(detected(s, await makeIssue(s, "api/production"), "api/production"));
    expect(await status()).toMatchObject({ code: "slack_not_connected" });
  });

  it("refuses forged, expired, replayed and other users' OAuth states", async () => {
    const s = await setup();
    // Forged: never issued.
    expectError(await callback(s.token, "forged-state-value"), 400, "bad_request");
    expectError(await callback(s.token, ""), 400, "bad_request");
    // Replayed: works once.
    const state = await install(s);
    expect((await callback(s.token, state)).status).toBe(302);
    expectError(await callback(s.token, state), 400, "bad_request");
    // Expired: 10 minutes.
    at(T0);
    const old = await install(s);
    at(new Date(T0.getTime() + 10 * 60_000 + 1));
    const calls = slack.callsTo("oauth.v2.access").length;
    expectError(await callback(s.token, old), 400, "bad_request");
    expect(slack.callsTo("oauth.v2.access").length).toBe(calls);
    vi.useRealTimers();
    // Another admin of the same workspace cannot finish someone else's install.
    const { token: other, email } = await signIn();
    await call("POST", `/api/workspaces/${s.ws.slug}/members`, { token: s.token, body: { email, role: "admin" } });
    await acceptInvitations(other);
    const mineState = await install(s);
    expectError(await callback(other, mineState), 400, "bad_request");
    // And it is spent: its owner cannot use it afterwards either.
    expectError(await callback(s.token, mineState), 400, "bad_request");
    // Without a session: 401, the state stays unspent.
    const fresh = await install(s);
    expectError(await call("GET", `/api/alerts/slack/callback?state=${fresh}&code=x`), 401, "unauthorized");
    expect((await callback(s.token, fresh)).status).toBe(302);
    // Members cannot start an install.
    const { token: member, email: memberEmail } = await signIn();
    await call("POST", `/api/workspaces/${s.ws.slug}/members`, { token: s.token, body: { email: memberEmail, role: "member" } });
    await acceptInvitations(member);
    expectError(await call("POST", `/api/workspaces/${s.ws.slug}/alerts/slack/install`, { token: member, body: {} }), 403, "forbidden");
  });
});

describe("SSRF guard (hosted mode)", () => {
  function hosted() {
    process.env.WEBHOOK_PRIVATE_URLS = "deny";
    resetEnv();
  }

  it("refuses private, loopback, link-local and ULA URLs at save, including names resolving to them", async () => {
    const s = await setup();
    setLookup(async (host) => {
      if (host === "evil.example") return [{ address: "127.0.0.1", family: 4 }];
      if (host === "mixed.example") return [{ address: "93.184.216.34", family: 4 }, { address: "10.0.0.5", family: 4 }];
      if (host === "hooks.example") return [{ address: "93.184.216.34", family: 4 }];
      if (host === "localhost") return [{ address: "127.0.0.1", family: 4 }];
      throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
    });
    hosted();
    const create = (url: string) => call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token, body: { type: "webhook", name: "x", url } });
    for (const url of [
      "http://127.0.0.1:9/",
      "http://localhost/",
      "http://evil.example/hook",
      "http://mixed.example/hook",
      "http://10.1.2.3/",
      "http://172.16.0.1/",
      "http://192.168.1.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://100.64.0.1/",
      "http://0.0.0.0/",
      "http://[::1]/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:a9fe:a9fe]/",
      "http://2130706433/",
      "http://nowhere.invalid/",
    ]) {
      const res = await create(url);
      expect([url, res.status, res.body?.error?.code]).toEqual([url, 400, "validation"]);
    }
    expect((await create("https://hooks.example/hook")).status).toBe(201);
    expect((await create("https://93.184.216.34/hook")).status).toBe(201);
  });

  it("checks again at send time: a name that now resolves to 127.0.0.1 is refused, nothing reaches it", async () => {
    const s = await setup();
    const port = new URL(hook.url).port;
    let target = "93.184.216.34";
    setLookup(async () => [{ address: target, family: 4 }]);
    hosted();
    const d = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations`, { token: s.token, body: { type: "webhook", name: "rebind", url: `http://rebind.example:${port}/${s.ws.slug}` } });
    expect(d.status).toBe(201);
    target = "127.0.0.1";
    const before = hook.received.length;
    const res = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.body.id}/test`, { token: s.token, body: {} });
    expect(res.body).toMatchObject({ ok: false, error: { code: "private_address" } });
    expect(hook.received.length).toBe(before);
    expect((await call("GET", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.body.id}`, { token: s.token })).body.warning.code).toBe("private_address");
  });

  it("local development allows local URLs", async () => {
    const s = await setup();
    const d = await webhook(s);
    const res = await call("POST", `/api/workspaces/${s.ws.slug}/alerts/destinations/${d.id}/test`, { token: s.token, body: {} });
    expect(res.body.ok).toBe(true);
  });
});

describe("roles and tenant isolation", () => {
  it("members read, admins and owners manage, non-members get 404 on every route, ids of another workspace are 404", async () => {
    const a = await setup();
    const b = await setup();
    const d = await webhook(a);
    const r = await rule(a, { events: ["issue.new"], destinations: [d.id] });
    const { token: member, email } = await signIn();
    await call("POST", `/api/workspaces/${a.ws.slug}/members`, { token: a.token, body: { email, role: "member" } });
    await acceptInvitations(member);
    const { token: admin, email: adminEmail } = await signIn();
    await call("POST", `/api/workspaces/${a.ws.slug}/members`, { token: a.token, body: { email: adminEmail, role: "admin" } });
    await acceptInvitations(admin);
    const stranger = (await signIn()).token;

    const base = (slug: string) => `/api/workspaces/${slug}/alerts`;
    const reads: [string, string][] = [
      ["GET", "/destinations"],
      ["GET", `/destinations/${d.id}`],
      ["GET", "/rules"],
      ["GET", `/rules/${r.id}`],
      ["GET", "/deliveries"],
      ["GET", "/slack"],
    ];
    const writes: [string, string, unknown][] = [
      ["POST", "/destinations", { type: "webhook", name: "m", url: `${hook.url}/m` }],
      ["PATCH", `/destinations/${d.id}`, { name: "renamed" }],
      ["POST", `/destinations/${d.id}/test`, {}],
      ["POST", `/destinations/${d.id}/rotate-secret`, {}],
      ["POST", "/rules", { events: ["issue.new"], destinations: [d.id] }],
      ["PATCH", `/rules/${r.id}`, { stages: ["prod*"] }],
      ["POST", "/slack/install", {}],
      ["DELETE", "/slack", undefined],
      ["DELETE", `/rules/${r.id}`, undefined],
      ["DELETE", `/destinations/${d.id}`, undefined],
    ];
    for (const [method, p] of reads) {
      expect([method, p, (await call(method, base(a.ws.slug) + p, { token: member })).status]).toEqual([method, p, 200]);
      expectError(await call(method, base(a.ws.slug) + p, { token: stranger }), 404, "not_found");
    }
    for (const [method, p, body] of writes) {
      const res = await call(method, base(a.ws.slug) + p, { token: member, body });
      expect([method, p, res.status, res.body?.error?.code]).toEqual([method, p, 403, "forbidden"]);
      expectError(await call(method, base(a.ws.slug) + p, { token: stranger, body }), 404, "not_found");
      // Workspace B's owner, with A's ids in B's paths: nothing of A is reachable.
      if (p.includes(d.id) || p.includes(r.id)) expectError(await call(method, base(b.ws.slug) + p, { token: b.token, body }), 404, "not_found");
    }
    // Channels need Slack: a member may read them (400 until connected), a stranger gets 404.
    expectError(await call("GET", `${base(a.ws.slug)}/slack/channels`, { token: member }), 400, "bad_request");
    expectError(await call("GET", `${base(a.ws.slug)}/slack/channels`, { token: stranger }), 404, "not_found");
    // B's rules cannot point at A's destinations.
    expectError(await call("POST", `${base(b.ws.slug)}/rules`, { token: b.token, body: { events: ["issue.new"], destinations: [d.id] } }), 400, "validation");
    // An admin manages everything (the writes, in order, end with deletes).
    for (const [method, p, body] of writes) {
      const res = await call(method, base(a.ws.slug) + p, { token: admin, body });
      expect([method, p, res.status < 300]).toEqual([method, p, true]);
    }
  });
});

describe("events that reach no rule", () => {
  it("an issue of a deleted workspace or an unknown issue sends nothing", async () => {
    const s = await setup();
    const n = await Actor.system("test", { id: s.ws.id, slug: "" }, () => Alert.onIssueDetected(detected(s, createId(), "api/production") as never));
    expect(n).toBe(0);
    expect(randomEmail()).toBeTruthy();
  });
});
