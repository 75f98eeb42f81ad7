/**
 * Pulumi URNs: `urn:pulumi:<stack>::<project>::<parent types joined by $>$<type>::<name>`.
 * In SST the Pulumi stack is the stage and the project is the app, e.g.
 * `urn:pulumi:production::shop::sst:aws:Function$aws:lambda/function:Function::ApiFunction`.
 * The name is everything after the third `::` (it may itself contain `::`).
 */
export interface Urn {
  stage: string;
  app: string;
  /** The full type chain, e.g. `sst:aws:Function$aws:lambda/function:Function`. */
  qualifiedType: string;
  /** The resource's own type, the last link of the chain. */
  type: string;
  /** Types of the ancestors, outermost first (the root stack is not part of the chain). */
  ancestorTypes: string[];
  name: string;
}

const PREFIX = "urn:pulumi:";

export function parseUrn(urn: string): Urn | undefined {
  if (typeof urn !== "string" || !urn.startsWith(PREFIX)) return undefined;
  const rest = urn.slice(PREFIX.length);
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < 3; i++) {
    const at = rest.indexOf("::", from);
    if (at < 0) return undefined;
    parts.push(rest.slice(from, at));
    from = at + 2;
  }
  const [stage, app, qualifiedType] = parts as [string, string, string];
  const name = rest.slice(from);
  if (!stage || !app || !qualifiedType) return undefined;
  const chain = qualifiedType.split("$");
  const type = chain[chain.length - 1]!;
  return { stage, app, qualifiedType, type, ancestorTypes: chain.slice(0, -1), name };
}

export function urnName(urn: string): string {
  return parseUrn(urn)?.name ?? urn.slice(urn.lastIndexOf("::") + 2);
}

export function buildUrn(stage: string, app: string, qualifiedType: string, name: string): string {
  return `${PREFIX}${stage}::${app}::${qualifiedType}::${name}`;
}
