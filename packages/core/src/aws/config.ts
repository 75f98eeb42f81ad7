/**
 * SDK client configuration for the console's own account (its bus, Kinesis, SES,
 * STS for assuming customer roles). With AWS_ENDPOINT_URL set (the local emulator),
 * every client talks to it.
 */
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { env } from "../env";

export interface ClientConfig {
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  requestHandler?: NodeHttpHandler;
  maxAttempts?: number;
}

export namespace AwsConfig {
  export function endpoint(): string | undefined {
    return env.AWS_ENDPOINT_URL;
  }

  /** Options for a client acting as the console itself. */
  export function console(region = env.AWS_REGION): ClientConfig {
    const endpoint = env.AWS_ENDPOINT_URL;
    return {
      region,
      ...(endpoint
        ? {
            endpoint,
            forcePathStyle: true,
            credentials: {
              accessKeyId: env.AWS_ACCESS_KEY_ID ?? "testing",
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? "testing",
            },
          }
        : {}),
      requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
    };
  }
}
