/** What an alert says: the webhook body (the public contract), Slack blocks, an email. */
import type { AlertEvent } from "./alert.sql";

export interface IssueAlert {
  id: string;
  type: string;
  message: string;
  url: string;
  app: string;
  stage: string;
  functionName: string | null;
  count: number;
  timeFirstSeen: string;
  timeLastSeen: string;
}

export interface DeployAlert {
  id: string;
  updateId: string;
  url: string;
  app: string;
  stage: string;
  command: string;
  source: "cli" | "autodeploy";
  timeStarted: string | null;
  timeCompleted: string | null;
  /** The first errors (resource name, message), at most five. */
  errors: { resource: string | null; message: string }[];
  errorCount: number;
}

/** The webhook body. */
export interface AlertBody {
  type: AlertEvent | "test";
  timestamp: string;
  data: {
    workspace: { id: string; slug: string };
    issue?: IssueAlert;
    rateLimit?: { hour: string; limit: number; resumes: string };
    subscription?: { reason: "over_free_tier" | "past_due"; status: string | null; invocations: string };
    deploy?: DeployAlert;
    test?: boolean;
  };
}

/** Beside the body, what Slack and email show and the body does not carry. */
export interface AlertExtra {
  source?: { file: string; line?: number; text: string };
  settingsUrl?: string;
}

export interface StoredPayload {
  body: AlertBody;
  extra: AlertExtra;
}

const titles: Record<AlertBody["type"], string> = {
  "issue.new": "New issue",
  "issue.regression": "Regression",
  "issue.rate_limited": "Issues paused: rate limit",
  "subscription.warning": "Subscription warning",
  "deploy.failed": "Deploy failed",
  test: "Test alert",
};

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** Slack mrkdwn escapes (&, <, >). */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function summary(body: AlertBody): string {
  const title = titles[body.type];
  const i = body.data.issue;
  if (i) return `${title}: ${clip(`${i.type}: ${i.message}`, 200)} (${i.app}/${i.stage})`;
  if (body.data.rateLimit) return `${title}: more than ${body.data.rateLimit.limit.toLocaleString("en-US")} issue events this hour; ingestion resumes at ${body.data.rateLimit.resumes.slice(11, 16)} UTC`;
  const d = body.data.deploy;
  if (d) {
    const first = d.errors[0];
    return `${title}: ${d.app}/${d.stage} (${d.command}${d.source === "autodeploy" ? ", autodeploy" : ""})${first ? `: ${clip(`${first.resource ? `${first.resource}: ` : ""}${first.message}`, 200)}` : ""}`;
  }
  const sub = body.data.subscription;
  if (sub) {
    return sub.reason === "past_due"
      ? `${title}: the last payment failed; issues and logs are paused until it is paid`
      : `${title}: ${Number(sub.invocations).toLocaleString("en-US")} invocations this month, over the free tier; subscribe to keep issues and logs`;
  }
  return `${title} from Console`;
}

export function slackMessage(payload: StoredPayload): { text: string; blocks: Record<string, unknown>[] } {
  const { body, extra } = payload;
  const text = summary(body);
  const i = body.data.issue;
  const blocks: Record<string, unknown>[] = [{ type: "header", text: { type: "plain_text", text: clip(i ? `${titles[body.type]} in ${i.app}/${i.stage}` : titles[body.type], 150), emoji: true } }];
  if (i) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`*${esc(i.type)}*: ${esc(i.message)}`, 2900) } });
    if (extra.source) {
      const where = `${extra.source.file}${extra.source.line ? `:${extra.source.line}` : ""}`;
      blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`\`${esc(where)}\`\n\`\`\`${esc(extra.source.text)}\`\`\``, 2900) } });
    }
    blocks.push({
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Function*\n${esc(i.functionName ?? "—")}` },
        { type: "mrkdwn", text: `*App / stage*\n${esc(i.app)} / ${esc(i.stage)}` },
        { type: "mrkdwn", text: `*Occurrences*\n${i.count.toLocaleString("en-US")}` },
        { type: "mrkdwn", text: `*First seen*\n<!date^${Math.floor(Date.parse(i.timeFirstSeen) / 1000)}^{date_short_pretty} {time}|${i.timeFirstSeen}>` },
      ],
    });
    blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open issue" }, url: i.url, action_id: "open_issue" }] });
  } else if (body.data.deploy) {
    const d = body.data.deploy;
    blocks[0] = { type: "header", text: { type: "plain_text", text: clip(`${titles[body.type]} in ${d.app}/${d.stage}`, 150), emoji: true } };
    for (const e of d.errors) {
      blocks.push({ type: "section", text: { type: "mrkdwn", text: clip(`${e.resource ? `*${esc(e.resource)}*: ` : ""}${esc(e.message)}`, 2900) } });
    }
    blocks.push({
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*App / stage*\n${esc(d.app)} / ${esc(d.stage)}` },
        { type: "mrkdwn", text: `*Command*\n${esc(d.command)} (${d.source === "autodeploy" ? "autodeploy" : "CLI"})` },
        { type: "mrkdwn", text: `*Errors*\n${d.errorCount}` },
      ],
    });
    blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open deploy" }, url: d.url, action_id: "open_deploy" }] });
  } else {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: esc(text) } });
    if (extra.settingsUrl) blocks.push({ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Open Console" }, url: extra.settingsUrl, action_id: "open_console" }] });
  }
  return { text, blocks };
}

export function emailMessage(payload: StoredPayload): { subject: string; text: string; html: string; threadId?: string } {
  const { body, extra } = payload;
  const i = body.data.issue;
  const h = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const d = body.data.deploy;
  if (d) {
    const subject = `[Console] Deploy failed: ${d.app}/${d.stage}`;
    const lines = [
      `${titles[body.type]} in ${d.app}/${d.stage}`,
      "",
      ...d.errors.flatMap((e) => [`${e.resource ?? "Deploy"}: ${e.message}`, ""]),
      `Command:  ${d.command} (${d.source === "autodeploy" ? "autodeploy" : "CLI"})`,
      `Started:  ${d.timeStarted ?? "-"}`,
      `Errors:   ${d.errorCount}`,
      "",
      `Open the deploy: ${d.url}`,
    ];
    const html = `<p><strong>${h(titles[body.type])}</strong> in ${h(d.app)}/${h(d.stage)}</p>${d.errors
      .map((e) => `<p>${e.resource ? `<code>${h(e.resource)}</code>: ` : ""}${h(e.message)}</p>`)
      .join("")}<p>Command: ${h(d.command)} (${d.source === "autodeploy" ? "autodeploy" : "CLI"})<br>Errors: ${d.errorCount}</p><p><a href="${h(d.url)}">Open the deploy</a></p>`;
    return { subject, text: `${lines.join("\n")}\n`, html };
  }
  if (!i) {
    const text = `${summary(body)}\n${extra.settingsUrl ? `\n${extra.settingsUrl}\n` : ""}`;
    return { subject: `[Console] ${titles[body.type]}`, text, html: `<p>${h(summary(body))}</p>` };
  }
  // One thread per issue: a stable subject, and References to the issue's own id (SES rewrites Message-ID).
  const subject = `[Console] ${clip(`${i.type}: ${i.message}`.replace(/[\r\n]+/g, " "), 120)} (${i.app}/${i.stage})`;
  const lines = [
    `${titles[body.type]} in ${i.app}/${i.stage}`,
    "",
    `${i.type}: ${i.message}`,
    ...(extra.source ? ["", `${extra.source.file}${extra.source.line ? `:${extra.source.line}` : ""}`, `    ${extra.source.text}`] : []),
    "",
    `Function:     ${i.functionName ?? "-"}`,
    `Occurrences:  ${i.count}`,
    `First seen:   ${i.timeFirstSeen}`,
    `Last seen:    ${i.timeLastSeen}`,
    "",
    `Open the issue: ${i.url}`,
  ];
  const html = `<p><strong>${h(titles[body.type])}</strong> in ${h(i.app)}/${h(i.stage)}</p><p><code>${h(i.type)}</code>: ${h(i.message)}</p>${
    extra.source ? `<pre>${h(extra.source.file)}${extra.source.line ? `:${extra.source.line}` : ""}\n${h(extra.source.text)}</pre>` : ""
  }<p>Function: ${h(i.functionName ?? "-")}<br>Occurrences: ${i.count}<br>First seen: ${h(i.timeFirstSeen)}</p><p><a href="${h(i.url)}">Open the issue</a></p>`;
  return { subject, text: `${lines.join("\n")}\n`, html, threadId: `<issue-${i.id}@console.alerts>` };
}
