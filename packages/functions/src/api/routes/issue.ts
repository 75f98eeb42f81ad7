import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { Actor } from "@console/core/actor";
import { DeadLetters, Issue, SourceMaps, Subscriptions } from "@console/core/issue";
import { Warning } from "@console/core/warning";
import type { AppEnv } from "../context";
import { errorBody } from "../error";
import { id, json, optional, param, query } from "../validate";

const list = Issue.list.schema.shape;
/** `?stage=` of the lists and counts: a stage id, or empty for every stage. */
const stageQuery = query(z.object({ stage: optional(list.stageId) }));
const issue = param(z.object({ issue: id }));

const upload = SourceMaps.upload.schema;

/** Issues, their triage, fingerprint rules, source maps and warnings (under /workspaces/:workspace). */
export const issueRoutes = new Hono<AppEnv>()
  .get(
    "/issues",
    query(
      z.object({
        status: list.status,
        stage: optional(list.stageId),
        function: optional(list.functionName),
        limit: list.limit,
        before: optional(list.before),
        q: optional(list.q),
        sort: list.sort,
      }),
    ),
    async (c) => {
      const q = c.req.valid("query");
      return c.json(
        await Issue.list({ status: q.status, stageId: q.stage, functionName: q.function, limit: q.limit, before: q.before, q: q.q, sort: q.sort }),
      );
    },
  )
  .get("/issues/counts", stageQuery, async (c) => c.json(await Issue.counts({ stageId: c.req.valid("query").stage })))
  .post("/issues/resolve", json(Issue.resolve.schema), async (c) => c.json(await Issue.resolve(c.req.valid("json"))))
  .post("/issues/ignore", json(Issue.ignore.schema), async (c) => c.json(await Issue.ignore(c.req.valid("json"))))
  .post("/issues/reopen", json(Issue.reopen.schema), async (c) => c.json(await Issue.reopen(c.req.valid("json"))))
  .post("/issues/merge", json(Issue.merge.schema), async (c) => c.json(await Issue.merge(c.req.valid("json"))))
  .get("/issues/:issue", issue, async (c) => c.json(await Issue.get(c.req.valid("param").issue)))
  .get("/issues/:issue/occurrences/:occurrence/logs", param(z.object({ issue: id, occurrence: id })), async (c) => {
    const p = c.req.valid("param");
    return c.json(await Issue.occurrenceLogs(p.issue, p.occurrence));
  })
  .get("/fingerprint-rules", async (c) => c.json(await Issue.rules.list()))
  .post("/fingerprint-rules", json(Issue.rules.create.schema), async (c) => c.json(await Issue.rules.create(c.req.valid("json")), 201))
  .delete("/fingerprint-rules/:rule", param(z.object({ rule: Issue.rules.remove.schema })), async (c) => {
    await Issue.rules.remove(c.req.valid("param").rule);
    return c.json({ ok: true as const });
  })
  .get("/sourcemaps", async (c) => c.json(await SourceMaps.list()))
  .post(
    "/sourcemaps",
    bodyLimit({
      maxSize: 60 * 1024 * 1024,
      onError: (c) => c.json(errorBody("payload_too_large", "A source map upload may be at most 50 MiB"), 413),
    }),
    // `file` is checked here and shortened to its base name by the domain (once).
    json(upload.extend({ file: upload.shape.file.in })),
    async (c) => c.json(await SourceMaps.upload(c.req.valid("json")), 201),
  )
  // Maps larger than a request through the router may carry: a presigned PUT, then complete.
  .post("/sourcemaps/uploads", json(SourceMaps.startUpload.schema), async (c) => c.json(await SourceMaps.startUpload(c.req.valid("json")), 201))
  .post(
    "/sourcemaps/uploads/:upload/complete",
    param(z.object({ upload: id })),
    json(SourceMaps.completeUpload.schema.omit({ upload: true }).extend({ file: z.string().min(1).max(255) })),
    async (c) => c.json(await SourceMaps.completeUpload({ ...c.req.valid("json"), upload: c.req.valid("param").upload }), 201),
  )
  .get("/dead-letters", async (c) => c.json(await DeadLetters.list()))
  .get("/subscriptions", stageQuery, async (c) => c.json(await Subscriptions.list(c.req.valid("query").stage)))
  .get("/warnings", stageQuery, async (c) => c.json(await Warning.list({ stageId: c.req.valid("query").stage })))
  .post("/warnings/:warning/retry", param(z.object({ warning: id })), async (c) => {
    Actor.workspace();
    return c.json(await Subscriptions.retry(c.req.valid("param").warning));
  });
