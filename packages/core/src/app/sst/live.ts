/**
 * Telling whether a function runs live (`sst dev`), from these signals in SST's
 * source:
 * - v3/v4 `platform/src/components/aws/function.ts`: in dev the Lambda gets description
 *   `live` (or `<first 240 chars of the description> (live)`), runtime `provided.al2023`
 *   (`nodejs24.x` for durable functions), handler `bootstrap` (durable: `index.handler`),
 *   env `SST_FUNCTION_ID`; the component registers `_live` and `_metadata.dev`.
 * - v2 `packages/sst/src/constructs/Function.ts`: the stub runs `bridge.handler` (2.0) or
 *   `live-lambda.handler` (later) with env `SST_FUNCTION_ID`.
 *
 * Runtime + handler alone is ambiguous in v3: deployed Go and Rust functions also run
 * `provided.al2023` with handler `bootstrap`. So it only counts when nothing else is known.
 */
import type { LiveSignal } from "./types";

export const V2_LIVE_HANDLERS = ["live-lambda.handler", "bridge.handler"] as const;

/** True for a Lambda description SST writes in dev. */
export function isLiveDescription(description: unknown): boolean {
  return typeof description === "string" && (description === "live" || description.endsWith(" (live)"));
}

export interface LambdaConfigLike {
  runtime?: string;
  handler?: string;
  description?: string;
  /** Environment variables when readable (in v3 state they are usually a Pulumi secret). */
  environment?: Record<string, unknown>;
}

/**
 * Live signals of a Lambda configuration, as read from state outputs or from the Lambda
 * API (`GetFunctionConfiguration`). `descriptionKnown` (default: a description string is
 * present) turns off the v3 runtime+handler fallback, since SST always writes a description
 * (`""` when the user set none) and marks live stubs there.
 */
export function lambdaLiveSignals(config: LambdaConfigLike, options: { descriptionKnown?: boolean } = {}): LiveSignal[] {
  const signals: LiveSignal[] = [];
  if (isLiveDescription(config.description)) signals.push("description");
  const env = config.environment;
  if (env && typeof env === "object" && typeof env.SST_FUNCTION_ID === "string" && env.SST_FUNCTION_ID !== "") {
    signals.push("environment");
  }
  if (config.handler !== undefined && (V2_LIVE_HANDLERS as readonly string[]).includes(config.handler)) {
    // v2 stubs: these handler names belong to SST's bridge, never to a user's build output.
    signals.push("runtime_handler");
  } else if (signals.length === 0 && config.runtime === "provided.al2023" && config.handler === "bootstrap") {
    // v3 stub, but also any deployed Go/Rust function: counts only when no description is known.
    const descriptionKnown = options.descriptionKnown ?? typeof config.description === "string";
    if (!descriptionKnown) signals.push("runtime_handler");
  }
  return signals;
}
