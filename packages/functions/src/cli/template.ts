/**
 * `npm run --silent cli -- template [--variant least|readonly|admin] [options]`
 *
 * Prints the CloudFormation template a workspace deploys to connect an AWS account. The
 * console's values (account id, bus, custom resource handler) default to placeholders;
 * pass the real ones to print the template a console deployment serves.
 */
import {
  POLICY_VARIANTS,
  TemplateOptionsError,
  isPolicyVariant,
  templateJson,
  type TemplateOptions,
} from "@console/workspace-template";

const PLACEHOLDERS = {
  consoleAccountId: "123456789012",
  consoleBusArn: "arn:aws:events:us-east-1:123456789012:event-bus/console",
  serviceToken: "arn:aws:lambda:us-east-1:123456789012:function:console-connect",
} as const;

const USAGE = `Usage: npm run --silent cli -- template [options]

Options:
  --variant <least|readonly|admin>  the role's policy (default: least)
  --console-account-id <id>         the console's AWS account (default: ${PLACEHOLDERS.consoleAccountId})
  --bus-arn <arn>                   the console's event bus (default: ${PLACEHOLDERS.consoleBusArn})
  --service-token <arn>             the console's custom resource handler (default: ${PLACEHOLDERS.serviceToken})
  --no-custom-resource              leave the custom resource out (for emulators and consoles AWS cannot call)
  -h, --help                        show this help
`;

const VALUE_FLAGS = {
  "--variant": "variant",
  "--console-account-id": "consoleAccountId",
  "--bus-arn": "consoleBusArn",
  "--service-token": "serviceToken",
} as const;

export async function run(args: string[]): Promise<number> {
  const values: Partial<Record<(typeof VALUE_FLAGS)[keyof typeof VALUE_FLAGS], string>> = {};
  let customResource = true;

  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "-h" || arg === "--help") {
      process.stdout.write(USAGE);
      return 0;
    }
    if (arg === "--no-custom-resource") {
      customResource = false;
      continue;
    }
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg];
    if (!(flag in VALUE_FLAGS)) {
      process.stderr.write(`Unknown option: ${arg}\n\n${USAGE}`);
      return 1;
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === "") {
      process.stderr.write(`Missing value for ${flag}\n\n${USAGE}`);
      return 1;
    }
    values[VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS]] = value;
  }

  const variant = values.variant ?? "least";
  if (!isPolicyVariant(variant)) {
    process.stderr.write(`Unknown variant "${variant}": use one of ${POLICY_VARIANTS.join(", ")}\n`);
    return 1;
  }
  const options: TemplateOptions = {
    variant,
    consoleAccountId: values.consoleAccountId ?? PLACEHOLDERS.consoleAccountId,
    consoleBusArn: values.consoleBusArn ?? PLACEHOLDERS.consoleBusArn,
    serviceToken: values.serviceToken ?? PLACEHOLDERS.serviceToken,
    customResource,
  };
  try {
    process.stdout.write(templateJson(options));
    return 0;
  } catch (err) {
    if (err instanceof TemplateOptionsError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
