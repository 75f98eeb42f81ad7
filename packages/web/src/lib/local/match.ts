/**
 * Joining what `sst dev` says to what the console knows, in the browser: which stage of
 * which workspace the local app and stage are, and which function an invocation's
 * `source` names (v3: the function's URN, `urn:pulumi:<stage>::<app>::<type>::<name>`,
 * socket.go; v2: the function's construct address, `SST_FUNCTION_ID`).
 */

export interface Named {
  id: string;
  app: string;
  name: string;
}

/** The stages, of every workspace the person belongs to, that are this app and stage. */
export function stagesOf<W, S extends Named>(lists: { workspace: W; stages: S[] }[], app: string, stage: string): { workspace: W; stage: S; all: S[] }[] {
  return lists.flatMap((l) => l.stages.filter((s) => s.app === app && s.name === stage).map((s) => ({ workspace: l.workspace, stage: s, all: l.stages })));
}

export interface Source {
  /** The function's component (v3) or construct (v2) name, as the console lists it. */
  name: string;
  /** v3 URN: its stage and app (an invocation of another stage is not this stage's). */
  stage?: string;
  app?: string;
}

/** Reads an invocation's `source`; `resources` (key, name) resolve v2 construct addresses. */
export function parseSource(source: string, resources: { key: string; name: string }[] = []): Source {
  const m = /^urn:pulumi:([^:]*)::([^:]*)::.*::([^:]+)$/.exec(source);
  if (m) return { stage: m[1], app: m[2], name: m[3]! };
  const byKey = resources.find((r) => r.key === source);
  return { name: byKey?.name ?? source };
}
