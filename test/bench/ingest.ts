/**
 * Ingest benchmark: realistic Kinesis batches (gzipped subscription payloads of
 * Lambda error logs: Node.js minified with source maps, Python, text and JSON log
 * formats, timeouts, out-of-memory kills) through
 *   1. decode alone (base64, gunzip, JSON.parse): the floor,
 *   2. decode + detect + source-map + fingerprint, without the database,
 *   3. the whole consumer (Ingest.batch) with the database,
 * on one core (Node runs it on one thread; the database is its own process).
 * Also counts SQL statements per batch, for two batch sizes, to show they grow with
 * the distinct issues of a batch and not with its events.
 */
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { benchWorld, ms, progress } from "./setup";
import { barChart } from "./chart";

const BATCHES = Number(process.env.BENCH_BATCHES ?? 20);
const RECORDS_PER_BATCH = 100;
const EVENTS_PER_RECORD = 20;

const world = await benchWorld("ingest", { emulator: false });
try {
  const { DEMO_HANDLERS, bundleDemo, hasPython, invoke } = await import("@console/testkit/programs");
  const { FILTER_PATTERN, matchesFilterPattern, filterName, Ingest, SourceMaps } = await import("../../packages/core/src/issue");
  const { Pipeline } = await import("../../packages/core/src/issue/pipeline");
  const Extract = await import("../../packages/core/src/issue/extract");
  const { decodeSubscriptionPayload } = Extract;
  const { Actor } = await import("../../packages/core/src/actor");
  const { User } = await import("../../packages/core/src/user");
  const { Workspace } = await import("../../packages/core/src/workspace");
  const { App } = await import("../../packages/core/src/app");
  const { stageHash } = await import("../../packages/core/src/app/sst");
  const { Database } = await import("../../packages/core/src/db");
  const { awsAccountTable } = await import("../../packages/core/src/account/account.sql");
  const { createId } = await import("../../packages/core/src/id");

  // --- real traces, captured once ---------------------------------------------------------
  progress("capturing real traces from the demo programs...");
  const bundle = await bundleDemo();
  const templates: { message: string; offset: number; requestId: string }[][] = [];
  for (const h of DEMO_HANDLERS.filter((x) => x.program === "node" || hasPython())) {
    for (const format of ["text", "json"] as const) {
      const r = await invoke(h.program, h.handler, h.event, {
        format,
        timeoutMs: h.outcome === "timeout" ? 300 : 3000,
        memoryMb: h.outcome === "oom" ? 64 : 128,
        timeoutStyle: "both",
      });
      const t0 = r.events[0]?.timestamp ?? 0;
      // What the subscription filter lets through is what reaches Kinesis.
      const through = r.events.filter((e) => matchesFilterPattern(FILTER_PATTERN, e.message));
      if (through.length) templates.push(through.map((e) => ({ message: e.message, offset: e.timestamp - t0, requestId: r.requestId })));
    }
  }
  progress(`${templates.length} traces captured`);

  // --- the tenant: a workspace, a connected account, 4 stages of 3 functions ----------------
  const accountId = "444455556666";
  const user = await User.upsert("bench-ingest@example.com");
  const setup = await Actor.provide({ type: "user", properties: { userId: user.id, email: user.email } }, async () => {
    const ws = await Workspace.create({ name: "Ingest bench" });
    return Actor.withWorkspace({ id: ws.id, slug: ws.slug, role: "owner" }, async () => {
      const connectionId = createId();
      await Database.use((db) =>
        db.insert(awsAccountTable).values({
          workspaceId: ws.id,
          id: connectionId,
          accountId,
          roleArn: `arn:aws:iam::${accountId}:role/console-${connectionId}`,
          externalIdSealed: "v1.x.x.x",
          method: "manual",
          status: "connected",
        }),
      );
      const functions: { name: string; logGroup: string; region: string }[] = [];
      for (let s = 0; s < 4; s++) {
        const region = s % 2 ? "eu-west-1" : "us-east-1";
        const model = {
          sst: "v3" as const,
          app: "bench",
          stage: `stage-${s}`,
          personal: false,
          resources: [],
          warnings: [],
          functions: [0, 1, 2].map((f) => {
            const name = `bench-stage-${s}-Fn${f}Function-abcdefgh`;
            return {
              key: `urn:pulumi:stage-${s}::bench::sst:aws:Function$aws:lambda/function:Function::Fn${f}Function`,
              component: `Fn${f}`,
              name,
              arn: `arn:aws:lambda:${region}:${accountId}:function:${name}`,
              region,
              accountId,
              runtime: "nodejs20.x",
              handler: "index.handler",
              logGroup: `/aws/lambda/${name}`,
              live: false,
              liveSignals: [],
              internal: false,
            };
          }),
        };
        await App.applyStage({ connectionId, region, model, hash: stageHash(model), sourceTag: "bench" });
        for (const f of model.functions) {
          functions.push({ name: f.name, logGroup: f.logGroup, region });
          await SourceMaps.upload({ functionName: f.name, file: "index.mjs", map: bundle.map });
        }
      }
      return { ws, connectionId, functions };
    });
  });

  // --- batches -----------------------------------------------------------------------------
  let eventSeq = 0;
  function payloadFor(fn: { name: string; logGroup: string; region: string }, start: number) {
    const events: { id: string; timestamp: number; message: string }[] = [];
    while (events.length < EVENTS_PER_RECORD) {
      const t = templates[Math.floor(Math.random() * templates.length)]!;
      const requestId = randomUUID();
      const base = start + events.length * 50;
      for (const e of t) {
        if (events.length >= EVENTS_PER_RECORD) break;
        events.push({ id: String(++eventSeq).padStart(56, "0"), timestamp: base + e.offset, message: e.message.split(e.requestId).join(requestId) });
      }
    }
    return {
      messageType: "DATA_MESSAGE",
      owner: accountId,
      logGroup: fn.logGroup,
      logStream: `2026/11/22/[$LATEST]${randomUUID().replace(/-/g, "")}`,
      subscriptionFilters: [filterName(setup.connectionId, fn.region)],
      logEvents: events,
    };
  }
  function makeBatch(records: number) {
    const start = Date.now();
    return Array.from({ length: records }, (_, i) => {
      const fn = setup.functions[i % setup.functions.length]!;
      return { id: `seq-${eventSeq}-${i}`, data: gzipSync(JSON.stringify(payloadFor(fn, start + i * 1000))).toString("base64") };
    });
  }
  progress(`building ${BATCHES} batches of ${RECORDS_PER_BATCH} records x ${EVENTS_PER_RECORD} events...`);
  const batches = Array.from({ length: BATCHES }, () => makeBatch(RECORDS_PER_BATCH));
  const totalEvents = BATCHES * RECORDS_PER_BATCH * EVENTS_PER_RECORD;
  const bytes = batches.flat().reduce((n, r) => n + r.data.length, 0);

  // Each measurement runs once over a warm-up batch first (JIT, caches), which is not counted:
  // the figures are a warm consumer's, as on a Lambda that has taken a few batches.
  const warmup = makeBatch(RECORDS_PER_BATCH);

  // Floor and pipeline run three times each; the fastest counts (the same rule for both).
  const fastest = async (fn: () => Promise<unknown> | unknown) => {
    let best = Infinity;
    for (let i = 0; i < 3; i++) {
      const start = performance.now();
      await fn();
      best = Math.min(best, (performance.now() - start) / 1000);
    }
    return best;
  };

  // 1. Floor: decode alone.
  for (const r of warmup) decodeSubscriptionPayload(r.data);
  const floorSec = await fastest(() => {
    let n = 0;
    for (const b of batches) for (const r of b) n += decodeSubscriptionPayload(r.data).logEvents.length;
    return n;
  });
  let t: number;

  // 2. Decode + detect + map + fingerprint, no database: the consumer's pipeline (issue/pipeline.ts).
  const pipe = new Pipeline();
  const provider = Extract.memoryProvider({ "index.mjs": bundle.map });
  let errorsFound = 0;
  const pipeline = async (batch: typeof warmup) => {
    let found = 0;
    for (const r of batch) {
      const p = decodeSubscriptionPayload(r.data);
      const stream = pipe.stream({ logGroup: p.logGroup, logStream: p.logStream, functionName: p.logGroup.slice(12), runtime: "nodejs20.x" }, { sourcemaps: { provider } });
      found += (await pipe.run(stream, p.logEvents, true)).length;
    }
    return found;
  };
  await pipeline(warmup);
  const pipelineSec = await fastest(async () => {
    errorsFound = 0;
    for (const b of batches) errorsFound += await pipeline(b);
  });

  // 3. The whole consumer, with the database. Each batch in its own hour (the soft limit is per hour).
  const statements: number[] = [];
  const distinct: number[] = [];
  let stored = 0;
  let consumerErrors = 0;
  const hour0 = Date.now();
  await Ingest.batch(warmup, { now: new Date(hour0 - 3_600_000) });
  t = performance.now();
  for (const [i, b] of batches.entries()) {
    let n = 0;
    const stop = Database.onQuery(() => n++);
    const result = await Ingest.batch(b, { now: new Date(hour0 + i * 3_600_000) });
    stop();
    statements.push(n);
    distinct.push(result.stats.distinctIssues);
    stored += result.stats.stored;
    consumerErrors += result.stats.errors;
    if (result.failed.length) throw new Error(`${result.failed.length} records failed`);
  }
  const consumerSec = (performance.now() - t) / 1000;

  // Statements against batch size: a batch 4x smaller of the same traffic.
  const small = makeBatch(RECORDS_PER_BATCH / 4);
  let smallStatements = 0;
  const stopSmall = Database.onQuery(() => smallStatements++);
  const smallResult = await Ingest.batch(small, { now: new Date(hour0 + (BATCHES + 1) * 3_600_000) });
  stopSmall();

  const mapStats = Ingest.sourceMapStats();
  const eventsPerSec = (sec: number) => Math.round(totalEvents / sec);
  const avg = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
  console.log(`\nIngest: ${BATCHES} batches x ${RECORDS_PER_BATCH} records x ${EVENTS_PER_RECORD} events = ${totalEvents} events (${ms(bytes / 1024 / 1024)} MiB of base64), ${errorsFound} errors`);
  console.log(`floor     decode (base64, gunzip, JSON.parse)           ${String(eventsPerSec(floorSec)).padStart(9)} events/s`);
  console.log(`pipeline  + detect + source-map + fingerprint, no DB    ${String(eventsPerSec(pipelineSec)).padStart(9)} events/s  (${Math.round(errorsFound / pipelineSec)} errors/s; ${ms((eventsPerSec(pipelineSec) / eventsPerSec(floorSec)) * 100)}% of the floor)`);
  console.log(`consumer  Ingest.batch with MariaDB                     ${String(eventsPerSec(consumerSec)).padStart(9)} events/s  (${Math.round(consumerErrors / consumerSec)} error events/s, ${stored} stored)`);
  console.log(
    `\n${barChart([
      { label: "floor", value: eventsPerSec(floorSec), unit: "events/s" },
      { label: "pipeline", value: eventsPerSec(pipelineSec), unit: "events/s" },
      { label: "consumer", value: eventsPerSec(consumerSec), unit: "events/s" },
    ])}\n`,
  );
  console.log(`SQL statements per batch: ${avg(statements)} (distinct issues per batch ${avg(distinct)}); a 4x smaller batch: ${smallStatements} statements for ${smallResult.stats.distinctIssues} issues`);
  console.log(`source maps: ${mapStats.parses} parses, ${mapStats.hits} cache hits (one parse per map, not per event); repeated stacks reused: ${pipe.stats().enrich.hits} of ${pipe.stats().enrich.hits + pipe.stats().enrich.misses} errors`);
  console.log(
    JSON.stringify({
      events: totalEvents,
      errors: errorsFound,
      floorEventsPerSec: eventsPerSec(floorSec),
      pipelineEventsPerSec: eventsPerSec(pipelineSec),
      pipelineErrorsPerSec: Math.round(errorsFound / pipelineSec),
      consumerEventsPerSec: eventsPerSec(consumerSec),
      consumerErrorEventsPerSec: Math.round(consumerErrors / consumerSec),
      statementsPerBatch: avg(statements),
      distinctIssuesPerBatch: avg(distinct),
      statementsSmallBatch: smallStatements,
      distinctIssuesSmallBatch: smallResult.stats.distinctIssues,
      eventsPerBatch: RECORDS_PER_BATCH * EVENTS_PER_RECORD,
      sourceMapParses: mapStats.parses,
    }),
  );
} finally {
  await world.close();
}
