/**
 * End to end in headless Chromium: sign up, create a workspace, invite a second
 * person who follows the email's link, signs in, sees the invitation (and a notice
 * of it elsewhere) and accepts it; remove them: their open session loses access at
 * once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { call, randomEmail } from "../setup/api";
import { Email } from "../../packages/core/src/email";
import { launchBrowser, signInWithBrowser, startConsole, waitForCode } from "../setup/browser";

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
  it("signs up, creates a workspace, invites a teammate who accepts, and removing them ends their access", async () => {
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

    // The teammate follows the link in the invitation email: the sign-in form knows their address.
    const mail = Email.sent(teammate).find((m) => m.subject.startsWith("Join"))!;
    const link = /(http:\/\/\S+\/auth\?\S+)/.exec(mail.text)![1]!;
    expect(new URL(link).searchParams.get("next")).toBe("/invitations");
    const b = await browser.newContext();
    const pageB = await b.newPage();
    await pageB.goto(link.replace(/^http:\/\/[^/]+/, server.url));
    expect(await pageB.getByLabel("Email").inputValue()).toBe(teammate);
    const since = Date.now();
    await pageB.getByRole("button", { name: "Continue with email" }).click();
    await pageB.getByLabel("Sign-in code").fill(await waitForCode(teammate, since));
    await pageB.getByRole("button", { name: "Sign in" }).click();
    await pageB.waitForURL(/\/invitations$/);
    await pageB.getByRole("list", { name: "Pending invitations" }).getByText(name).waitFor();
    const tokenB = (await pageB.evaluate(() => Object.entries(localStorage).find(([k]) => k.includes("token"))?.[1] ?? "")).replace(/^"|"$/g, "");
    expect(tokenB).toBeTruthy();
    // Signing in joined nothing.
    expect((await call("GET", `/api/workspaces/${slug}`, { token: tokenB })).status).toBe(404);

    // Elsewhere in the app a notice says an invitation waits.
    await pageB.goto(`${server.url}/workspace/new`);
    await pageB.getByRole("status", { name: `You are invited to join ${name}` }).waitFor();
    await pageB.getByRole("link", { name: "View invitations" }).click();
    await pageB.waitForURL(/\/invitations$/);
    await pageB.getByRole("button", { name: `Accept the invitation to ${name}` }).click();
    await pageB.waitForURL(new RegExp(`/${slug}$`));
    await pageB.getByText("Connect an AWS account").first().waitFor();
    expect(await pageB.getByRole("status", { name: /invited to join/ }).count()).toBe(0);
    expect((await call("GET", `/api/workspaces/${slug}`, { token: tokenB })).status).toBe(200);

    await pageA.reload();
    await pageA.getByRole("table", { name: "Members" }).getByText(teammate, { exact: true }).waitFor();
    await pageA.getByRole("button", { name: `Remove ${teammate}` }).click();
    await pageA.getByRole("button", { name: "Remove member" }).click();
    await expect.poll(async () => pageA.getByRole("table", { name: "Members" }).getByText(teammate, { exact: true }).count()).toBe(0);

    // At once: the teammate's token no longer reaches the workspace, and their open page says so.
    expect((await call("GET", `/api/workspaces/${slug}`, { token: tokenB })).status).toBe(404);
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
