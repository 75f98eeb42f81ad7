/**
 * Discovery benchmark: an emulated account with SST stages spread over 17 regions
 * (200 stages), connected and scanned once, then rescanned with nothing changed.
 * Prints wall time, AWS calls (and per stage), SQL statements, and the floor: the
 * same state objects listed and fetched with plain SDK calls, no parsing, no DB.
 */
import { ListObjectsV2Command, GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { benchWorld, ms, progress } from "./setup";
import { barChart } from "./chart";

const REGIONS = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
  "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
];
const STAGES = Number(process.env.BENCH_STAGES ?? 200);
const ACCOUNT = "555566667777";

const world = await benchWorld("discovery");
try {
  const { seedManyStages } = await import("@console/testkit/seed");
  const { actAsAccount } = await import("@console/testkit/aws");
  const { deployConnectionStack } = await import("../../packages/functions/src/local/stack");
  const { Actor } = await import("../../packages/core/src/actor");
  const { User } = await import("../../packages/core/src/user");
  const { Workspace } = await import("../../packages/core/src/workspace");
  const { Account } = await import("../../packages/core/src/account");
  const { Scan } = await import("../../packages/core/src/account/scan");
  const { AwsCalls } = await import("../../packages/core/src/aws/customer");
  const { Database } = await import("../../packages/core/src/db");
  const { mapLimit } = await import("../../packages/core/src/util/pool");

  progress(`seeding ${STAGES} stages over ${REGIONS.length} regions in the emulator...`);
  const seedStarted = performance.now();
  const seed = await seedManyStages({ endpoint: world.moto.url, accountId: ACCOUNT, regions: REGIONS, total: STAGES, functionsPerStage: 3 });
  progress(`seeded in ${ms((performance.now() - seedStarted) / 1000)} s`);

  const user = await User.upsert("bench@example.com");
  const measured = await Actor.provide({ type: "user", properties: { userId: user.id, email: user.email } }, async () => {
    const ws = await Workspace.create({ name: "Bench" });
    return Actor.withWorkspace({ id: ws.id, slug: ws.slug, role: "owner" }, async () => {
      const { account, connect } = await Account.create({ method: "demo" });
      await deployConnectionStack({ endpoint: world.moto.url, accountId: ACCOUNT, info: connect });
      await Account.attachDemo(account.id, ACCOUNT);

      const measure = async (label: string) => {
        const calls: string[] = [];
        const statements: string[] = [];
        const stopCalls = AwsCalls.listen((c) => calls.push(`${c.service}.${c.operation}`));
        const stopSql = Database.onQuery((q) => statements.push(q));
        const started = performance.now();
        const result = await Scan.run(account.id, {
          onProgress: (p) => progress(`  ${label}: ${p.regionsDone}/${p.regionsTotal} regions, ${p.stagesFound ?? 0} stages`),
        });
        const wall = performance.now() - started;
        stopCalls();
        stopSql();
        const writes = statements.filter((q) => /^\s*(insert|update|delete)/i.test(q));
        const dataWrites = writes.filter((q) => /`(app|stage|function|resource)`/.test(q));
        const byOperation: Record<string, number> = {};
        for (const c of calls) byOperation[c] = (byOperation[c] ?? 0) + 1;
        return { result, wall, calls: calls.length, byOperation, statements: statements.length, writes: writes.length, dataWrites: dataWrites.length };
      };

      const first = await measure("first scan");
      const second = await measure("rescan");

      // The floor: list and fetch the same state objects with plain SDK calls.
      const floorStarted = performance.now();
      let floorCalls = 0;
      await mapLimit(REGIONS, 6, async (region) => {
        const cfg = { region, endpoint: world.moto.url, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } };
        const ssm = actAsAccount(new SSMClient(cfg), ACCOUNT);
        const s3 = actAsAccount(new S3Client(cfg), ACCOUNT);
        const param = await ssm.send(new GetParameterCommand({ Name: "/sst/bootstrap" })).catch(() => undefined);
        floorCalls++;
        if (!param?.Parameter?.Value) return;
        const bucket = JSON.parse(param.Parameter.Value).state as string;
        let token: string | undefined;
        const keys: string[] = [];
        do {
          const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: "app/", ContinuationToken: token }));
          floorCalls++;
          keys.push(...(page.Contents ?? []).map((o) => o.Key!));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        await mapLimit(keys, 8, async (key) => {
          const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          await res.Body?.transformToByteArray();
          floorCalls++;
        });
      });
      const floorWall = performance.now() - floorStarted;
      return { first, second, floorWall, floorCalls };
    });
  });

  const stages = seed.stages.length;
  const { first, second, floorWall, floorCalls } = measured;
  const row = (label: string, m: typeof first) =>
    `${label.padEnd(12)} ${String(ms(m.wall)).padStart(8)} ms  ${String(m.calls).padStart(6)} calls  ${String(ms(m.calls / stages)).padStart(5)} calls/stage  ${String(m.statements).padStart(6)} SQL  ${String(m.dataWrites).padStart(5)} data writes  (created ${m.result.created}, unchanged ${m.result.unchanged}, fetched ${m.result.objectsFetched})`;
  console.log(`\nDiscovery: ${stages} stages in ${REGIONS.length} regions (${first.result.regions} regions scanned, ${first.result.regionsWithSst} with SST)`);
  console.log(row("first scan", first));
  console.log(row("rescan", second));
  console.log(`${"floor".padEnd(12)} ${String(ms(floorWall)).padStart(8)} ms  ${String(floorCalls).padStart(6)} calls  (GetParameter + list + fetch of the same state objects, no parsing, no database)`);
  console.log(
    `\n${barChart([
      { label: "first scan", value: first.wall, unit: "ms" },
      { label: "rescan", value: second.wall, unit: "ms" },
      { label: "floor", value: floorWall, unit: "ms" },
    ])}\n`,
  );
  console.log(`first scan calls by operation: ${JSON.stringify(first.byOperation)}`);
  console.log(`rescan calls by operation:     ${JSON.stringify(second.byOperation)}`);
  console.log(
    JSON.stringify({
      stages,
      regions: REGIONS.length,
      regionsScanned: first.result.regions,
      wallMs: ms(first.wall),
      awsCalls: first.calls,
      callsPerStage: ms(first.calls / stages),
      sqlStatements: first.statements,
      rescanWallMs: ms(second.wall),
      rescanAwsCalls: second.calls,
      rescanCallsPerStage: ms(second.calls / stages),
      rescanObjectsFetched: second.result.objectsFetched,
      rescanDataWrites: second.dataWrites,
      floorWallMs: ms(floorWall),
      floorAwsCalls: floorCalls,
    }),
  );
} finally {
  await world.close();
}
