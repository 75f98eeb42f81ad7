/** What a `deploy.failed` alert says in each destination: the webhook body's summary, Slack blocks, an email. */
import { describe, expect, it } from "vitest";
import { emailMessage, slackMessage, summary, type StoredPayload } from "./message";

const payload: StoredPayload = {
  body: {
    type: "deploy.failed",
    timestamp: "2026-12-01T10:00:00.000Z",
    data: {
      workspace: { id: "w1", slug: "acme" },
      deploy: {
        id: "d1",
        updateId: "fe6cf2a8b4c1a9d2e83f07b1",
        url: "https://console.test/acme/app/api/production/deploys?id=s1&deploy=d1",
        app: "api",
        stage: "production",
        command: "deploy",
        source: "autodeploy",
        timeStarted: "2026-12-01T09:58:00.000Z",
        timeCompleted: "2026-12-01T10:00:00.000Z",
        errors: [{ resource: "ReportsFunction", message: "The role defined for the function cannot be assumed by Lambda <arn>." }],
        errorCount: 2,
      },
    },
  },
  extra: {},
};

describe("deploy.failed messages", () => {
  it("summarise the stage, the command and the first error", () => {
    expect(summary(payload.body)).toBe(
      "Deploy failed: api/production (deploy, autodeploy): ReportsFunction: The role defined for the function cannot be assumed by Lambda <arn>.",
    );
  });

  it("Slack: a header for the stage, each error (escaped), the facts and a button to the deploy", () => {
    const m = slackMessage(payload);
    expect(m.blocks[0]).toMatchObject({ type: "header", text: { text: "Deploy failed in api/production" } });
    const text = JSON.stringify(m.blocks);
    expect(text).toContain("*ReportsFunction*: The role defined for the function cannot be assumed by Lambda &lt;arn&gt;.");
    expect(text).toContain("deploy (autodeploy)");
    expect(m.blocks.at(-1)).toMatchObject({ type: "actions", elements: [{ url: payload.body.data.deploy!.url, text: { text: "Open deploy" } }] });
  });

  it("email: a subject naming the stage, the errors and the link, HTML escaped", () => {
    const m = emailMessage(payload);
    expect(m.subject).toBe("[Console] Deploy failed: api/production");
    expect(m.text).toContain("ReportsFunction: The role defined for the function cannot be assumed by Lambda <arn>.");
    expect(m.text).toContain(`Open the deploy: ${payload.body.data.deploy!.url}`);
    expect(m.html).toContain("&lt;arn&gt;");
    expect(m.html).not.toContain("<arn>");
  });
});
