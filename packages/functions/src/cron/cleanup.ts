/** Daily housekeeping (a cron on AWS, an interval in the local runtime). */
import { Account } from "@console/core/account";
import { Alert } from "@console/core/alert";
import { Auth, RateLimit } from "@console/core/auth";
import { Github } from "@console/core/github";
import { DeadLetters, Issue } from "@console/core/issue";
import { Lambda } from "@console/core/lambda";
import { Member } from "@console/core/member";
import { Warning } from "@console/core/warning";
import { log } from "@console/core/util/log";

export async function cleanup(now = new Date()) {
  const issues = await Issue.cleanup(now);
  await Warning.pruneExpired();
  await DeadLetters.prune(now);
  await RateLimit.prune();
  await Auth.pruneCodes();
  await Member.pruneInvitations();
  await Account.prunePending(now);
  await Alert.prune(now);
  await Lambda.prune(now);
  await Github.prune(now);
  log.info("cleanup finished", issues);
  return issues;
}

export async function handler() {
  const { setupRuntime } = await import("../runtime");
  await setupRuntime();
  return cleanup();
}
