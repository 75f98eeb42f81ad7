/**
 * The demo account hook. The local runtime, when it runs against the AWS emulator,
 * registers a provider that deploys the connection stack into the emulated demo
 * account (as its owner would) and returns that account's id.
 */
import type { ConnectInfo } from "@console/core/account";

export interface DemoProvider {
  accountId: string;
  deployStack(info: ConnectInfo): Promise<string>;
}

let provider: DemoProvider | undefined;

export function setDemoProvider(p: DemoProvider | undefined) {
  provider = p;
}

export function demoProvider() {
  return provider;
}
