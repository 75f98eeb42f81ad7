/**
 * End to end in headless Chromium: sign up, create a workspace, invite a second
 * person who signs in and sees it, remove them: their open session loses access
 * at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { call, randomEmail } from "../setup/api";
import { launchBrowser, signInWithBrowser, startConsole } from "../setup/browser";

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startConsole();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("the web app", () => {
  it("signs up, creates a workspace, invites a teammate, and removing them ends their access", async () => {
    const owner = randomEmail("owner");
    const teammate = randomEmail("teammate");
    const name = `Acme ${Date.now().toString(36)}`;

    const a = await browser.newContext();
    const pageA = await a.newPage();
    await signInWithBrowser(pageA, server.url, owner);
    await pageA.waitForURL(/\/workspace\/new/);
    await pageA.getByLabel("Name").fill(name);
    await pageA.getByRole("button", { name: "Create workspace" }).click();
    await pageA.getByText("Connect an AWS account").first().waitFor();
    const slug = new URL(pageA.url()).pathname.split("/")[1]!;
    expect(slug).toMatch(/^acme-/);

    await pageA.goto(`${server.url}/${slug}/settings/members`);
    await pageA.getByRole("button", { name: "Invite member" }).click();
    await pageA.getByRole("dialog").getByLabel("Email").fill(teammate);
    await pageA.getByRole("button", { name: "Send invitation" }).click();
    await pageA.getByRole("table", { name: "Pending invitations" }).getByText(teammate).waitFor();

    const b = await browser.newContext();
    const pageB = await b.newPage();
    await signInWithBrowser(pageB, server.url, teammate);
    await pageB.waitForURL(new RegExp(`/${slug}`));
    await pageB.getByText("Connect an AWS account").first().waitFor();
    const tokenB = await pageB.evaluate(() => Object.entries(localStorage).find(([k]) => k.includes("token"))?.[1] ?? "");
    expect(tokenB).toBeTruthy();
    expect((await call("GET", `/api/workspaces/${slug}`, { token: tokenB.replace(/^"|"$/g, "") })).status).toBe(200);

    await pageA.reload();
    await pageA.getByRole("table", { name: "Members" }).getByText(teammate, { exact: true }).waitFor();
    await pageA.getByRole("button", { name: `Remove ${teammate}` }).click();
    await pageA.getByRole("button", { name: "Remove member" }).click();
    await expect.poll(async () => pageA.getByRole("table", { name: "Members" }).getByText(teammate, { exact: true }).count()).toBe(0);

    // At once: the teammate's token no longer reaches the workspace, and their open page says so.
    expect((await call("GET", `/api/workspaces/${slug}`, { token: tokenB.replace(/^"|"$/g, "") })).status).toBe(404);
    await pageB.goto(`${server.url}/${slug}/settings/members`);
    await pageB.getByText("You no longer have access to this workspace").waitFor();

    // Sign out ends the owner's session.
    await pageA.getByRole("button", { name: "Account menu" }).click();
    await pageA.getByRole("menuitem", { name: "Sign out" }).click();
    await pageA.waitForURL(/\/auth/);
    await a.close();
    await b.close();
  });
});
