/**
 * Outgoing email. The transport is chosen once from configuration:
 * - console: prints every email in full to the terminal (local dev),
 * - memory: keeps them in this process for tests,
 * - ses: sends through Amazon SES (v2 API).
 */
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { env } from "../env";
import { AwsConfig } from "../aws/config";

export interface Message {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (threading: In-Reply-To, References). */
  headers?: { name: string; value: string }[];
}

export interface SentMessage extends Message {
  from: string;
  time: Date;
}

type Listener = (message: SentMessage) => void;

const outbox: SentMessage[] = [];
const listeners = new Set<Listener>();
let ses: SESv2Client | undefined;

function printToTerminal(m: SentMessage) {
  const rule = "─".repeat(64);
  process.stdout.write(
    `\n${rule}\n✉  Email (not sent: local development)\nFrom:    ${m.from}\nTo:      ${m.to}\nSubject: ${m.subject}\n\n${m.text}\n${rule}\n\n`,
  );
}

export namespace Email {
  export async function send(message: Message) {
    const sent: SentMessage = { ...message, from: env.EMAIL_FROM, time: new Date() };
    switch (env.EMAIL_TRANSPORT) {
      case "console":
        printToTerminal(sent);
        break;
      case "memory":
        outbox.push(sent);
        if (outbox.length > 1000) outbox.shift();
        break;
      case "ses":
        ses ??= new SESv2Client(AwsConfig.console());
        await ses.send(
          new SendEmailCommand({
            FromEmailAddress: sent.from,
            Destination: { ToAddresses: [sent.to] },
            Content: {
              Simple: {
                Subject: { Data: sent.subject, Charset: "UTF-8" },
                Body: {
                  Text: { Data: sent.text, Charset: "UTF-8" },
                  ...(sent.html ? { Html: { Data: sent.html, Charset: "UTF-8" } } : {}),
                },
                ...(sent.headers?.length ? { Headers: sent.headers.map((h) => ({ Name: h.name, Value: h.value })) } : {}),
              },
            },
          }),
        );
        break;
    }
    for (const l of listeners) l(sent);
  }

  /** Messages kept by the memory transport (tests), newest last. */
  export function sent(to?: string): SentMessage[] {
    return to ? outbox.filter((m) => m.to === to.toLowerCase()) : [...outbox];
  }

  export function onSend(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }
}
