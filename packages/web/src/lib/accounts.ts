/** AWS account connections: what their states mean to people (data: src/data/accounts.ts). */
import type { Account, AccountMethod, AccountStatus } from "./api";
import { plural } from "./format";

export const STATUS_LABEL: Record<AccountStatus, string> = {
  connecting: "Connecting",
  connected: "Connected",
  scanning: "Scanning",
  failed: "Failed",
  disconnecting: "Disconnecting",
};

export const METHOD_LABEL: Record<AccountMethod, string> = {
  stack: "Stack",
  manual: "Manual",
  demo: "Demo",
};

/** States that change on their own: lists poll while an account is in one of them. */
export function isBusy(status: AccountStatus): boolean {
  return status === "connecting" || status === "scanning" || status === "disconnecting";
}

export function anyBusy(accounts: Account[] | undefined): boolean {
  return !!accounts?.some((a) => isBusy(a.status));
}

/** "Scanning eu-west-1 · 12 of 17 regions" (or "Starting the scan…" before regions are known). */
export function scanProgressText(account: Account): string {
  const p = account.progress;
  if (!p || p.regionsTotal === 0) return "Scanning · listing the regions…";
  const current = p.current ?? [];
  const where =
    current.length === 0 ? "" : current.length === 1 ? ` ${current[0]}` : ` ${current[0]} +${current.length - 1}`;
  return `Scanning${where} · ${p.regionsDone} of ${plural(p.regionsTotal, "region")}`;
}

/** 0..1, or null while the number of regions is not known. */
export function scanFraction(account: Account): number | null {
  const p = account.progress;
  if (!p || p.regionsTotal === 0) return null;
  return Math.min(1, p.regionsDone / p.regionsTotal);
}

/** How to name an account in sentences and labels. */
export function accountLabel(account: Pick<Account, "accountId" | "method">): string {
  if (account.accountId) return account.method === "demo" ? `demo account ${account.accountId}` : `account ${account.accountId}`;
  return "pending connection";
}

/** A connection whose AWS side is not set up yet (the connect dialog can be reopened). */
export function isPending(account: Account): boolean {
  return !account.accountId && (account.status === "connecting" || account.status === "failed");
}

/** The demo account, connected or on its way (a second one would fail as a duplicate). */
export function hasDemoAccount(accounts: Account[] | undefined): boolean {
  return !!accounts?.some((a) => a.method === "demo" && a.status !== "failed");
}
