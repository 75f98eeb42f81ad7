import { describe, expect, it } from "vitest";
import { TemplateOptionsError, quickCreateUrl } from "./index";
import { CONNECTION_ID, EXTERNAL_ID } from "./test-fixtures";

const templateUrl = "https://console-templates.s3.amazonaws.com/v1/template.json";

describe("quickCreateUrl", () => {
  it("opens CloudFormation in us-east-1 with the template, stack name and parameters", () => {
    const url = new URL(quickCreateUrl({ templateUrl, connectionId: CONNECTION_ID, externalId: EXTERNAL_ID }));
    expect(url.origin).toBe("https://us-east-1.console.aws.amazon.com");
    expect(url.pathname).toBe("/cloudformation/home");
    expect(url.searchParams.get("region")).toBe("us-east-1");
    const [route, query] = url.hash.slice(1).split("?");
    expect(route).toBe("/stacks/quickcreate");
    const params = new URLSearchParams(query);
    expect(params.get("templateURL")).toBe(templateUrl);
    expect(params.get("stackName")).toBe(`console-${CONNECTION_ID}`);
    expect(params.get("param_ConnectionId")).toBe(CONNECTION_ID);
    expect(params.get("param_ExternalId")).toBe(EXTERNAL_ID);
    expect([...params.keys()].some((k) => /workspace/i.test(k))).toBe(false);
  });

  it("encodes the template URL and takes extra parameters and a stack name", () => {
    const url = quickCreateUrl({
      templateUrl: "https://bucket.s3.amazonaws.com/t.json?versionId=a&b=c d",
      connectionId: CONNECTION_ID,
      externalId: EXTERNAL_ID,
      stackName: "my-console",
      parameters: { ConsoleAccountId: "111122223333" },
    });
    const params = new URLSearchParams(new URL(url).hash.split("?")[1]);
    expect(params.get("templateURL")).toBe("https://bucket.s3.amazonaws.com/t.json?versionId=a&b=c%20d");
    expect(params.get("stackName")).toBe("my-console");
    expect(params.get("param_ConsoleAccountId")).toBe("111122223333");
  });

  it("rejects bad input", () => {
    const base = { templateUrl, connectionId: CONNECTION_ID, externalId: EXTERNAL_ID };
    expect(() => quickCreateUrl({ ...base, templateUrl: "http://insecure.example.com/t.json" })).toThrow(
      TemplateOptionsError,
    );
    expect(() => quickCreateUrl({ ...base, templateUrl: "not a url" })).toThrow(TemplateOptionsError);
    expect(() => quickCreateUrl({ ...base, connectionId: "ABC" })).toThrow(TemplateOptionsError);
    expect(() => quickCreateUrl({ ...base, externalId: "too-short" })).toThrow(TemplateOptionsError);
  });
});
