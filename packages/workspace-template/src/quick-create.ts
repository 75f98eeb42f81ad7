/**
 * The CloudFormation quick-create link the UI shows: it opens the AWS console in us-east-1
 * on a filled-in "create stack" page for the template, the stack name and the parameters.
 */
import { TEMPLATE_REGION, isConnectionId, isExternalId, stackName as defaultStackName } from "./names";
import { PARAMETERS, TemplateOptionsError } from "./template";

export interface QuickCreateInput {
  /** Where the template JSON is served (CloudFormation reads it from an S3 https URL). */
  templateUrl: string;
  connectionId: string;
  externalId: string;
  /** Default `console-<connectionId>`. */
  stackName?: string;
  /** Other parameters to fill in (e.g. the console's values when the template has no defaults). */
  parameters?: Partial<Record<string, string>>;
}

export function quickCreateUrl(input: QuickCreateInput): string {
  let url: URL;
  try {
    url = new URL(input.templateUrl);
  } catch {
    throw new TemplateOptionsError("templateUrl", "The template URL is not a URL");
  }
  if (url.protocol !== "https:") throw new TemplateOptionsError("templateUrl", "The template URL must use https");
  if (!isConnectionId(input.connectionId)) {
    throw new TemplateOptionsError("connectionId", "The connection id must be 26 lowercase letters or digits");
  }
  if (!isExternalId(input.externalId)) {
    throw new TemplateOptionsError("externalId", "The external id must be 32 to 128 url-safe characters");
  }
  const query = new URLSearchParams();
  query.set("templateURL", url.toString());
  query.set("stackName", input.stackName ?? defaultStackName(input.connectionId));
  query.set(`param_${PARAMETERS.connectionId}`, input.connectionId);
  query.set(`param_${PARAMETERS.externalId}`, input.externalId);
  for (const [name, value] of Object.entries(input.parameters ?? {})) {
    if (value !== undefined) query.set(`param_${name}`, value);
  }
  const region = TEMPLATE_REGION;
  return `https://${region}.console.aws.amazon.com/cloudformation/home?region=${region}#/stacks/quickcreate?${query.toString()}`;
}
