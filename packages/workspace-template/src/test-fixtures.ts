/** Values shared by this package's tests. */
import type { TemplateOptions } from "./template";

export const CONSOLE_ACCOUNT = "111122223333";
export const CUSTOMER_ACCOUNT = "444455556666";
export const CONNECTION_ID = "01j9z8y7x6w5v4t3s2r1q0p9n8";
export const EXTERNAL_ID = "kJ3_x9-Qm2ZpL7vR4tW8yB1nC6dF0gH5";

export const OPTIONS: TemplateOptions = {
  consoleAccountId: CONSOLE_ACCOUNT,
  consoleBusArn: `arn:aws:events:us-east-1:${CONSOLE_ACCOUNT}:event-bus/console-production`,
  serviceToken: `arn:aws:lambda:us-east-1:${CONSOLE_ACCOUNT}:function:console-production-connect`,
};

/** Evaluation context of the customer account, in a region (autodeploy on unless told). */
export function ctx(region = "us-east-1", autodeploy = true) {
  return {
    accountId: CUSTOMER_ACCOUNT,
    region,
    parameters: { ConnectionId: CONNECTION_ID, ConsoleAccountId: CONSOLE_ACCOUNT, Autodeploy: String(autodeploy) },
  };
}
