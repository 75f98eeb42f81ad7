/**
 * Where the connect custom resource may send its answer. CloudFormation's ResponseURL
 * is a presigned URL of its own S3 bucket in the stack's region,
 * `cloudformation-custom-resource-response-<region without dashes>` (the name AWS
 * documents for VPC endpoint policies), in one of S3's virtual-hosted forms:
 *
 *   <bucket>.s3.amazonaws.com                 (global endpoint)
 *   <bucket>.s3.<region>.amazonaws.com        (regional, dot)
 *   <bucket>.s3-<region>.amazonaws.com        (regional, legacy dash)
 *   <bucket>.s3.<region>.amazonaws.com.cn     (China regions, dot or dash)
 *
 * Anything else (http, another host, a lookalike such as
 * `<bucket>.s3.amazonaws.com.evil.example`, user info, a port, a bucket whose region
 * differs from the host's) is refused. The URL is read with the WHATWG parser that
 * fetch itself uses, so the host checked is the host fetched.
 */

const BUCKET_PREFIX = "cloudformation-custom-resource-response-";
/** us-east-1, us-gov-west-1, cn-northwest-1, ap-southeast-2, il-central-1, … */
const REGION = /^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/;
const MAX_LENGTH = 8192;

const HOST = new RegExp(
  `^${BUCKET_PREFIX}([a-z0-9]+)\\.(?:s3|s3[.-]([a-z0-9-]+))\\.(amazonaws\\.com|amazonaws\\.com\\.cn)$`,
);

/** Why `value` is not a CloudFormation response URL, or undefined when it is one. */
export function responseUrlProblem(value: unknown): string | undefined {
  if (typeof value !== "string" || !value) return "no ResponseURL";
  if (value.length > MAX_LENGTH) return "the ResponseURL is too long";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "the ResponseURL is not a URL";
  }
  if (url.protocol !== "https:") return "the ResponseURL is not https";
  if (url.username || url.password) return "the ResponseURL has user info";
  if (url.port) return "the ResponseURL names a port";
  const match = HOST.exec(url.hostname);
  if (!match) return "the ResponseURL's host is not a CloudFormation response bucket";
  const [, compact, region, domain] = match as unknown as [string, string, string | undefined, string];
  const china = domain === "amazonaws.com.cn";
  if (region === undefined) {
    // The global endpoint exists in the aws partition only.
    if (china) return "the ResponseURL's host is not a CloudFormation response bucket";
    if (!/^[a-z]{2}(?:gov|iso[a-z]?)?[a-z]+\d{1,2}$/.test(compact)) return "the ResponseURL's bucket names no region";
    return undefined;
  }
  if (!REGION.test(region)) return "the ResponseURL's host names no region";
  if (region.replaceAll("-", "") !== compact) return "the ResponseURL's bucket is not the one of its host's region";
  if (china !== region.startsWith("cn-")) return "the ResponseURL's domain does not match its region";
  return undefined;
}

export function isResponseUrl(value: unknown): value is string {
  return responseUrlProblem(value) === undefined;
}
