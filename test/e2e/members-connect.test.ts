/**
 * End to end in headless Chromium: connecting and members.
 * - Opening "Connect an AWS account" creates no connection; choosing a method does.
 * - The sole owner is told on the Members page, before pressing Leave, that they cannot.
 * - The invitation email's link opens the sign-in page with the invited email filled in,
 *   and signing in from it leads to the invitation.
 * - A connection that failed is shown to owners and admins with the action that fixes it,
 *   and not to members.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import type { LocalServer } from "../../packages/functions/src/local/server";
import { Email } from "../../packages/core/src/email";
import { acceptInvitations, call, createWorkspace, randomEmail, signIn } from "../setup/api";
import { browserToken, launchBrowser, signInWithBrowser, startConsole, waitForCode } from "../setup/browser";

let server: LocalServer;
let browser: Browser;

beforeAll(async () => {
  server = await startConsole();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("connecting and members", () => {
  it("creates a connection only once a method is chosen; warns the sole owner before Leave; the invite link fills the email", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInWithBrowser(page, server.url, randomEmail("owner"));
    await page.waitForURL(/\/workspace\/new/);
    const token = await browserToken(page);
    const ws = await createWorkspace(token, `Members ${Date.now().toString(36)}`);
    const accounts = async () => (await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body as { status: string }[];

    // Opening the dialog creates nothing.
    await page.goto(`${server.url}/${ws.slug}/settings/accounts`);
    await page.getByRole("button", { name: "Connect an AWS account" }).first().click();
    const dialog = page.getByRole("dialog", { name: "Connect an AWS account" });
    await dialog.getByRole("button", { name: "Create the stack myself" }).waitFor();
    expect(await accounts()).toEqual([]);
    // Choosing a method does.
    await dialog.getByRole("button", { name: "Create the stack myself" }).click();
    await dialog.getByRole("term").filter({ hasText: "ExternalId" }).waitFor();
    expect((await accounts()).map((a) => a.status)).toEqual(["connecting"]);
    await dialog.getByRole("button", { name: "Close" }).first().click();

    // The sole owner sees why they cannot leave before pressing Leave.
    await page.goto(`${server.url}/${ws.slug}/settings/members`);
    const leave = page.getByRole("table", { name: "Members" }).getByRole("button", { name: "Leave" });
    await leave.waitFor();
    expect(await leave.isDisabled()).toBe(true);
    expect(await page.locator("#sole-owner-note").innerText()).toContain("only owner");

    // The invitation's link fills in the invited email.
    const invitee = randomEmail("invitee");
    expect((await call("POST", `/api/workspaces/${ws.slug}/members`, { token, body: { email: invitee } })).status).toBe(201);
    const mail = Email.sent(invitee).find((m) => m.subject.includes("Join"))!;
    const link = new URL(/https?:\/\/\S+\/auth\?\S+/.exec(mail.text)![0]);
    expect(link.searchParams.get("email")).toBe(invitee);
    const guest = await browser.newContext();
    const other = await guest.newPage();
    other.setDefaultTimeout(15_000);
    await other.goto(`${server.url}${link.pathname}${link.search}`);
    expect(await other.getByLabel("Email").inputValue()).toBe(invitee);
    const since = Date.now();
    await other.getByRole("button", { name: "Continue with email" }).click();
    await other.getByLabel("Sign-in code").fill(await waitForCode(invitee, since));
    await other.getByRole("button", { name: "Sign in" }).click();
    await other.waitForURL(/\/invitations/);
    await other.getByText(ws.name).first().waitFor();
    await guest.close();

    // The pending connection fails its check: the owner sees it with the action that fixes it...
    const [pending] = (await call("GET", `/api/workspaces/${ws.slug}/accounts`, { token })).body as { id: string }[];
    const checked = await call("POST", `/api/workspaces/${ws.slug}/accounts/${pending!.id}/check`, { token, body: { accountId: "123456789012" } });
    expect(checked.status).toBeGreaterThanOrEqual(400);
    expect((await accounts()).map((a) => a.status)).toEqual(["failed"]);
    await page.goto(`${server.url}/${ws.slug}`);
    const banner = page.getByRole("region", { name: "A connection failed" });
    await banner.waitFor();
    await banner.getByRole("link", { name: "Continue setup" }).click();
    await page.getByRole("dialog", { name: "Connect an AWS account" }).getByRole("form", { name: "Check the account" }).waitFor();
    expect((await accounts()).length).toBe(1);

    // ...and a member does not.
    const memberEmail = randomEmail("member");
    expect((await call("POST", `/api/workspaces/${ws.slug}/members`, { token, body: { email: memberEmail } })).status).toBe(201);
    await acceptInvitations((await signIn(memberEmail)).token);
    const memberContext = await browser.newContext();
    const memberPage = await memberContext.newPage();
    memberPage.setDefaultTimeout(15_000);
    await signInWithBrowser(memberPage, server.url, memberEmail);
    await memberPage.waitForURL((u) => !u.pathname.startsWith("/auth"));
    await memberPage.goto(`${server.url}/${ws.slug}`);
    await memberPage.getByRole("heading", { name: "Overview" }).waitFor();
    await memberPage.getByText("An AWS account is being connected").waitFor();
    expect(await memberPage.getByRole("region", { name: "A connection failed" }).count()).toBe(0);
    await memberContext.close();
    await context.close();
  }, 150_000);
});
