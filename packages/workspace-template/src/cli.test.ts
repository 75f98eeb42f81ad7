/** `npm run cli -- template` (packages/functions/src/cli/template.ts), run as a process. */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      "node_modules/.bin/tsx",
      ["packages/functions/src/cli/index.ts", "template", ...args],
      { cwd: root, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("cli template", () => {
  it("prints the least template by default", async () => {
    const { code, stdout } = await cli([]);
    expect(code).toBe(0);
    const template = JSON.parse(stdout);
    expect(template.AWSTemplateFormatVersion).toBe("2010-09-09");
    expect(template.Resources.Role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(template.Resources.Role.Properties.Policies[0].PolicyName).toBe("console");
    expect(template.Parameters.ConsoleAccountId.Default).toMatch(/^[0-9]{12}$/);
    expect(template.Resources.Connection.Type).toBe("Custom::ConsoleConnection");
  });

  it("prints the admin variant with the console's values", async () => {
    const { code, stdout } = await cli([
      "--variant",
      "admin",
      "--console-account-id=111122223333",
      "--bus-arn",
      "arn:aws:events:us-east-1:111122223333:event-bus/prod",
    ]);
    expect(code).toBe(0);
    const template = JSON.parse(stdout);
    expect(JSON.stringify(template.Resources.Role.Properties.ManagedPolicyArns)).toContain("AdministratorAccess");
    expect(template.Parameters.ConsoleAccountId.Default).toBe("111122223333");
    expect(template.Parameters.ConsoleBusArn.Default).toBe("arn:aws:events:us-east-1:111122223333:event-bus/prod");
  });

  it("rejects a bad variant and bad values on stderr with exit 1", async () => {
    const bad = await cli(["--variant", "root"]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/Unknown variant "root"/);

    const account = await cli(["--console-account-id", "42"]);
    expect(account.code).toBe(1);
    expect(account.stderr).toMatch(/12 digits/);

    const flag = await cli(["--bogus"]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toMatch(/Unknown option/);
  });
});
