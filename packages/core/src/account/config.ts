/** The console's own identity as customer accounts see it. */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { env } from "../env";
import { AwsConfig } from "../aws/config";

let cached: Promise<string> | undefined;

export namespace ConsoleIdentity {
  export function accountId(): Promise<string> {
    if (env.CONSOLE_ACCOUNT_ID) return Promise.resolve(env.CONSOLE_ACCOUNT_ID);
    cached ??= new STSClient(AwsConfig.console())
      .send(new GetCallerIdentityCommand({}))
      .then((r) => {
        if (!r.Account) throw new Error("STS did not return the console's account id");
        return r.Account;
      })
      .catch((err) => {
        cached = undefined;
        throw err;
      });
    return cached;
  }

  export async function busArn(): Promise<string> {
    if (env.CONSOLE_BUS_ARN) return env.CONSOLE_BUS_ARN;
    return `arn:aws:events:${env.AWS_REGION}:${await accountId()}:event-bus/${env.BUS_NAME}`;
  }

  export function serviceToken(): string | undefined {
    return env.CONNECT_SERVICE_TOKEN;
  }

  export function templateUrl(variant: string): string | undefined {
    return env.TEMPLATE_BASE_URL ? `${env.TEMPLATE_BASE_URL.replace(/\/$/, "")}/template-${variant}.json` : undefined;
  }
}
