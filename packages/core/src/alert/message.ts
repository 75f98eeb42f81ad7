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

/** The webhook body. */
export interface AlertBody {
  type: AlertEvent | "test";
  timestamp: string;
  data: {
    workspace: { id: string; slug: string };
    issue?: IssueAlert;
    rateLimit?: { hour: string; limit: number; resumes: string };
    subscription?: { reason: "over_free_tier" | "past_due"; status: string | null; invocations: string };
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
