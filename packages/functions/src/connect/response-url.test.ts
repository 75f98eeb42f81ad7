/** The connect custom resource answers only CloudFormation's S3 response hosts (./response-url.ts). */
import { describe, expect, it } from "vitest";
import { responseUrlProblem } from "./response-url";

const B = "cloudformation-custom-resource-response";
const signed = "/arn%3Aaws%3Acloudformation%3Aus-east-1%3A111122223333%3Astack/console-x/abc%7CConnection%7Cid?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00ff";

describe("responseUrlProblem", () => {
  it.each([
    `https://${B}-useast1.s3.amazonaws.com${signed}`,
    `https://${B}-useast1.s3.us-east-1.amazonaws.com${signed}`,
    `https://${B}-euwest1.s3-eu-west-1.amazonaws.com${signed}`,
    `https://${B}-apnortheast1.s3-ap-northeast-1.amazonaws.com/x`,
    `https://${B}-uswest2.s3.us-west-2.amazonaws.com/x`,
    `https://${B}-usgovwest1.s3.us-gov-west-1.amazonaws.com/x`,
    `https://${B}-cnnorth1.s3.cn-north-1.amazonaws.com.cn/x`,
    `https://${B}-cnnorthwest1.s3-cn-northwest-1.amazonaws.com.cn/x`,
    `HTTPS://${B.toUpperCase()}-USEAST1.S3.AMAZONAWS.COM/x`,
    `https://${B}-useast1.s3.amazonaws.com:443/x`,
  ])("accepts %s", (url) => {
    expect(responseUrlProblem(url)).toBeUndefined();
  });

  it.each([
    undefined,
    "",
    42,
    "not a url",
    `http://${B}-useast1.s3.amazonaws.com/x`,
    `ftp://${B}-useast1.s3.amazonaws.com/x`,
    `https://${B}-useast1.s3.amazonaws.com.evil.example/x`,
    `https://${B}-useast1.s3.amazonaws.com./x`,
    `https://${B}-useast1.s3.amazonaws.com@evil.example/x`,
    `https://evil.example@${B}-useast1.s3.amazonaws.com/x`,
    `https://user:pass@${B}-useast1.s3.amazonaws.com/x`,
    `https://evil.example\\@${B}-useast1.s3.amazonaws.com/x`,
    `https://evil.example#@${B}-useast1.s3.amazonaws.com/x`,
    `https://evil.example?@${B}-useast1.s3.amazonaws.com/x`,
    `https://${B}-useast1.s3.amazonaws.com:8443/x`,
    `https://x${B}-useast1.s3.amazonaws.com/x`,
    `https://${B}-useast1.evil.s3.amazonaws.com/x`,
    `https://${B}.s3.amazonaws.com/x`,
    `https://${B}-useast1.s3.eu-west-1.amazonaws.com/x`,
    `https://${B}-useast1.s3-website-us-east-1.amazonaws.com/x`,
    `https://${B}-useast1.s3.us-east-1.amazonaws.com.cn/x`,
    `https://${B}-cnnorth1.s3.amazonaws.com.cn/x`,
    `https://${B}-cnnorth1.s3.cn-north-1.amazonaws.com/x`,
    `https://s3.amazonaws.com/${B}-useast1/x`,
    `https://attacker.s3.amazonaws.com/x`,
    `https://169.254.169.254/latest/meta-data/`,
    `https://[::1]/x`,
    `https://${B}-useast1.s3.amazonaws.com/${"x".repeat(9000)}`,
  ])("refuses %s", (url) => {
    expect(responseUrlProblem(url)).toEqual(expect.any(String));
  });
});
