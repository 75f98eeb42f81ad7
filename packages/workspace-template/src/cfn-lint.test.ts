/** The template is valid CloudFormation in every variant, as `cfn-lint` sees it. */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { POLICY_VARIANTS, templateJson } from "./index";
import { CONNECTION_ID, EXTERNAL_ID, OPTIONS } from "./test-fixtures";

const dir = mkdtempSync(join(tmpdir(), "console-template-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cfnLint(file: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile("cfn-lint", [file], { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === "ENOENT") {
        reject(new Error("cfn-lint is not installed (pip install cfn-lint)"));
        return;
      }
      const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

const cases = [
  ...POLICY_VARIANTS.map((variant) => ({ name: variant, options: { ...OPTIONS, variant } })),
  { name: "least without custom resource", options: { ...OPTIONS, customResource: false } },
  // The optional autodeploy part is in every template (behind its condition); these are its
  // variants with and without the console role's autodeploy policy.
  { name: "readonly without custom resource", options: { ...OPTIONS, variant: "readonly" as const, customResource: false } },
  {
    name: "least with connection defaults",
    options: { ...OPTIONS, defaults: { connectionId: CONNECTION_ID, externalId: EXTERNAL_ID } },
  },
];

describe("cfn-lint", () => {
  it.each(cases)("passes on the $name template", async ({ name, options }) => {
    const file = join(dir, `${name.replaceAll(" ", "-")}.json`);
    writeFileSync(file, templateJson(options));
    const { code, output } = await cfnLint(file);
    expect(code, output).toBe(0);
  });
});
