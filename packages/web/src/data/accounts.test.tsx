/**
 * The account list polls while an account is busy (connecting, scanning, disconnecting)
 * and stops when none is, whatever number of pages show it (one poll, not one per page);
 * as a scan moves on, the stage list reloads. On a fake clock against a scripted API.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Account } from "../lib/api";
import { ACCOUNTS_POLL_MS, useAccounts, useRescan } from "./accounts";
import { useStages } from "./stages";
import { deferred, failure, fakeApi } from "./testing/fake-api";
import { renderData } from "./testing/render";

const WS = "ws_1";
const base = `/api/workspaces/${WS}`;

function account(status: Account["status"], progress: Account["progress"] = null): Account {
  return {
    id: "acc_1",
    accountId: "123456789012",
    status,
    method: "stack",
    reason: null,
    progress,
    roleArn: "arn:aws:iam::123456789012:role/console",
    timeCreated: "2026-01-10T11:00:00.000Z",
    timeConnected: "2026-01-10T11:01:00.000Z",
    timeScanned: status === "connected" ? "2026-01-10T12:00:00.000Z" : null,
    timeStackDeleted: null,
  };
}

const progress = (regionsDone: number) => ({ regionsTotal: 17, regionsDone, current: ["eu-west-1"], stagesFound: regionsDone, startedAt: "2026-01-10T11:59:00.000Z" });

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function setup(initial: Account) {
  const api = fakeApi();
  let current = initial;
  api.on("GET", `${base}/accounts`, () => ({ body: [current] }));
  api.on("GET", `${base}/stages`, () => ({ body: [] }));
  vi.stubGlobal("fetch", api.fetch);
  const ws = () => WS;
  // Two pages showing the accounts at once (the overview and the settings page use the same query).
  const rendered = renderData(() => ({ overview: useAccounts(ws), settings: useAccounts(ws), stages: useStages(ws), rescan: useRescan(ws) }));
  return { api, rendered, set: (next: Account) => (current = next), gets: () => api.calls("GET", `${base}/accounts`).length };
}

describe("the account list", () => {
  it("polls while an account scans, once for every page showing it, and stops when the scan ends", async () => {
    const t = setup(account("scanning", progress(3)));
    await tick(1);
    expect(t.gets()).toBe(1);
    expect(t.rendered.result.overview.data?.[0]?.status).toBe("scanning");

    await tick(ACCOUNTS_POLL_MS);
    expect(t.gets()).toBe(2);
    await tick(ACCOUNTS_POLL_MS);
    expect(t.gets()).toBe(3);

    t.set(account("connected"));
    await tick(ACCOUNTS_POLL_MS);
    expect(t.gets()).toBe(4);
    expect(t.rendered.result.settings.data?.[0]?.status).toBe("connected");

    // Nothing busy: no more requests, however long the page stays open.
    await tick(ACCOUNTS_POLL_MS * 10);
    expect(t.gets()).toBe(4);
  });

  it("does not poll when no account is busy", async () => {
    const t = setup(account("connected"));
    await tick(1);
    await tick(ACCOUNTS_POLL_MS * 10);
    expect(t.gets()).toBe(1);
  });

  it("reloads the stages as a scan finds them", async () => {
    const t = setup(account("scanning", progress(3)));
    await tick(1);
    const stageGets = () => t.api.calls("GET", `${base}/stages`).length;
    expect(stageGets()).toBe(1);

    // Same progress: the stages stay as they are.
    await tick(ACCOUNTS_POLL_MS);
    expect(stageGets()).toBe(1);

    t.set(account("scanning", progress(4)));
    await tick(ACCOUNTS_POLL_MS);
    await tick(1);
    expect(stageGets()).toBe(2);
  });

  it("shows a rescan at once and goes back when the server refuses it", async () => {
    const t = setup(account("connected"));
    const refused = deferred<{ status?: number; body?: unknown }>();
    t.api.on("POST", `${base}/accounts/:account/scan`, () => refused.promise);
    await tick(1);
    const done = t.rendered.result.rescan.mutateAsync(t.rendered.result.overview.data![0]!).catch((err: unknown) => err);
    await tick(1);
    expect(t.rendered.result.overview.data?.[0]?.status).toBe("scanning");
    // The reload that follows is held: the screen is back as it was by the rollback alone.
    const reload = deferred();
    t.api.on("GET", `${base}/accounts`, async () => {
      await reload.promise;
      return failure(503, "unavailable", "held");
    });
    refused.resolve(failure(403, "forbidden", "You do not have permission to do this"));
    await tick(1);
    expect(t.rendered.result.overview.data?.[0]?.status).toBe("connected");
    reload.resolve();
    expect(((await done) as { code?: string }).code).toBe("forbidden");
  });
});
