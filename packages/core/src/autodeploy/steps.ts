/**
 * The steps of an autodeploy build, written once and run two ways: as the buildspec of
 * the CodeBuild project in the customer's account (`codebuild.ts`), and by the local
 * executor in a temporary folder (`local.ts`, because the emulator runs no builds).
 *
 * 1. checkout: fetch exactly the commit (a shallow fetch of its sha), authenticated by the
 *    installation token through a git credential helper that reads it from the
 *    environment: the token is never in a URL, a command line or the project.
 * 2. install: the package manager the lockfile names (pnpm, yarn, bun, else npm ci).
 * 3. deploy (or remove): the repository's own `console:deploy` (`console:remove`) script of
 *    its root package.json when it has one, else `npx sst deploy --stage <stage>`
 *    (`npx sst remove --stage <stage>`). The script gets `CONSOLE_STAGE`,
 *    `CONSOLE_ACTION`, `CONSOLE_COMMIT`, `SST_STAGE` and `SST_RUN_ID` (the console's run id,
 *    which SST writes into the deploy's `update/` record, so the deploy links to its run).
 */
import type { BuildSpec } from "./executor";

export type StepName = "checkout" | "install" | "deploy" | "remove";

export interface BuildStep {
  name: StepName;
  /** One bash command (run with `set -eo pipefail` semantics by both runners). */
  command: string;
}

/** The variables every build gets besides the stage's own (none of them secret). */
export function buildVariables(spec: Pick<BuildSpec, "runId" | "stage" | "action" | "commit" | "repository">): Record<string, string> {
  return {
    CI: "true",
    CONSOLE_RUN_ID: spec.runId,
    CONSOLE_STAGE: spec.stage,
    CONSOLE_ACTION: spec.action,
    CONSOLE_COMMIT: spec.commit,
    CONSOLE_REPOSITORY: spec.repository.fullName,
    CONSOLE_REPOSITORY_URL: spec.repository.cloneUrl,
    SST_STAGE: spec.stage,
    SST_RUN_ID: spec.runId,
  };
}

/** A git credential helper that answers with the token in `CONSOLE_GIT_TOKEN` (GitHub's installation-token user is `x-access-token`). */
const CREDENTIAL_HELPER = `!f() { test "$1" = get && echo username=x-access-token && echo "password=$CONSOLE_GIT_TOKEN"; }; f`;

/**
 * Checks out `CONSOLE_COMMIT` of `CONSOLE_REPOSITORY_URL` into the current folder. The token
 * is a shell variable (`CONSOLE_TOKEN`, not exported, see `TAKE_SECRETS`) handed to the git
 * fetch alone (as `CONSOLE_GIT_TOKEN`, for its credential helper), then forgotten.
 */
export const CHECKOUT_REMOTE =
  `git init -q . && git remote add origin "$CONSOLE_REPOSITORY_URL" && ` +
  `CONSOLE_GIT_TOKEN="$CONSOLE_TOKEN" git -c credential.helper= -c credential.helper='${CREDENTIAL_HELPER}' fetch -q --depth 1 origin "$CONSOLE_COMMIT" && ` +
  `unset CONSOLE_TOKEN && git checkout -q --detach FETCH_HEAD && echo "Checked out $CONSOLE_COMMIT of $CONSOLE_REPOSITORY"`;

export const CHECKOUT_LOCAL =
  `git clone -q --no-checkout "$CONSOLE_REPOSITORY_URL" . && git checkout -q --detach "$CONSOLE_COMMIT" && ` +
  `echo "Checked out $CONSOLE_COMMIT of $CONSOLE_REPOSITORY"`;

export const INSTALL = [
  `if [ ! -f package.json ]; then echo "No package.json at the repository's root: nothing to install";`,
  `elif [ -f pnpm-lock.yaml ]; then corepack enable && pnpm install --frozen-lockfile;`,
  `elif [ -f yarn.lock ]; then corepack enable && yarn install --frozen-lockfile;`,
  `elif [ -f bun.lockb ] || [ -f bun.lock ]; then npm install -g bun && bun install --frozen-lockfile;`,
  `elif [ -f package-lock.json ]; then npm ci --no-audit --no-fund;`,
  `else npm install --no-audit --no-fund; fi`,
].join(" ");

/** The package.json script that replaces `sst deploy` / `sst remove` when a repository has it. */
export function scriptName(action: BuildSpec["action"]): string {
  return action === "remove" ? "console:remove" : "console:deploy";
}

export function deployCommand(action: BuildSpec["action"]): string {
  const script = scriptName(action);
  const hasScript = `node -e 'const s=require("./package.json").scripts||{};process.exit(s[${JSON.stringify(script)}]?0:1)' 2>/dev/null`;
  return `if ${hasScript}; then npm run --silent ${script}; else npx --yes sst ${action} --stage "$CONSOLE_STAGE"; fi`;
}

/** Prints the value of one key of the JSON on stdin (`token`), or `export` lines for the stage's variables (`env`), single-quoted for the shell. */
const READ_SECRETS = (what: "token" | "env") =>
  `node -e 'let t="";process.stdin.on("data",(c)=>t+=c).on("end",()=>{const s=JSON.parse(t||"{}");` +
  (what === "token"
    ? `process.stdout.write(String(s.token||""));`
    : `const q=(v)=>"\\x27"+String(v).split("\\x27").join("\\x27\\\\\\x27\\x27")+"\\x27";` +
      `for(const [k,v] of Object.entries(s.env||{}))if(/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))console.log("export "+k+"="+q(v));`) +
  `})'`;

/**
 * The build's secret (`CONSOLE_BUILD_SECRETS`: `{"token": ..., "env": {...}}`, read by CodeBuild
 * from the SSM SecureString the buildspec names) moves into shell variables that are not
 * exported, and leaves the environment: the install step (which runs the dependencies' own
 * scripts) sees neither the token nor the stage's variables. The token goes to the checkout's
 * git fetch only; the stage's variables are exported just before the deploy (`EXPORT_ENV`).
 */
export const TAKE_SECRETS =
  `CONSOLE_SECRETS_JSON="$CONSOLE_BUILD_SECRETS" && unset CONSOLE_BUILD_SECRETS && ` +
  `CONSOLE_TOKEN="$(printf '%s' "$CONSOLE_SECRETS_JSON" | ${READ_SECRETS("token")})"`;

export const EXPORT_ENV = `eval "$(printf '%s' "$CONSOLE_SECRETS_JSON" | ${READ_SECRETS("env")})" && unset CONSOLE_SECRETS_JSON`;

/** The steps of a build, in order. */
export function buildSteps(action: BuildSpec["action"], checkout: "remote" | "local"): BuildStep[] {
  return [
    { name: "checkout", command: checkout === "remote" ? CHECKOUT_REMOTE : CHECKOUT_LOCAL },
    { name: "install", command: INSTALL },
    { name: action, command: deployCommand(action) },
  ];
}

/**
 * The buildspec of one build (CodeBuild's `buildspecOverride`), as JSON (which YAML reads
 * as is, so no value needs YAML quoting). The secrets are named, never included: CodeBuild
 * reads the SecureString with the runner role and masks its value in the logs.
 */
export function buildspec(spec: Pick<BuildSpec, "runId" | "stage" | "action" | "commit" | "repository">, secretName: string): string {
  const steps = buildSteps(spec.action, "remote");
  return JSON.stringify({
    version: 0.2,
    env: {
      shell: "bash",
      variables: buildVariables(spec),
      "parameter-store": { CONSOLE_BUILD_SECRETS: secretName },
    },
    phases: {
      install: { "runtime-versions": { nodejs: 22 } },
      // One phase, so every command shares one shell (its variables and folder); a failure
      // names its command, which `stepOf` maps back to a step.
      build: {
        commands: [
          TAKE_SECRETS,
          "mkdir -p /tmp/console-build && cd /tmp/console-build",
          steps[0]!.command,
          steps[1]!.command,
          EXPORT_ENV,
          steps[2]!.command,
        ],
      },
    },
  });
}

/** The step a failing command of the buildspec was (CodeBuild names the command in the phase's message). */
export function stepOf(message: string): StepName | "secrets" | undefined {
  if (message.includes("CONSOLE_BUILD_SECRETS") || message.includes("CONSOLE_SECRETS_JSON")) return "secrets";
  const steps = [...buildSteps("deploy", "remote"), ...buildSteps("remove", "remote").slice(2)];
  return (
    steps.find((step) => message.includes(step.command)) ?? steps.find((step) => message.includes(step.command.slice(0, 60)))
  )?.name;
}
