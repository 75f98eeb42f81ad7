/**
 * A benchmark's own world: a fresh database (dropped at the end) and its own AWS
 * emulator, configured through the same environment variables the console reads.
 */
import mysql from "mysql2/promise";
import { randomBytes } from "node:crypto";
import { resetEnv } from "../../packages/core/src/env";
import { startMoto, type Moto } from "../../packages/functions/src/local/moto";

export interface BenchWorld {
  moto: Moto;
  databaseUrl: string;
  close(): Promise<void>;
}

export async function benchWorld(name: string, options: { emulator?: boolean } = {}): Promise<BenchWorld> {
  const base = process.env.BENCH_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/";
  const db = `console_bench_${name}_${randomBytes(3).toString("hex")}`;
  const url = new URL(base);
  url.pathname = `/${db}`;
  const moto = options.emulator === false ? undefined : await startMoto();
  Object.assign(process.env, {
    DATABASE_URL: url.toString(),
    NODE_ENV: process.env.NODE_ENV ?? "test",
    EMAIL_TRANSPORT: "memory",
    LOG_LEVEL: "silent",
    ...(moto ? { AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing", AWS_REGION: "us-east-1" } : {}),
  });
  resetEnv();
  const { Database } = await import("../../packages/core/src/db");
  await Database.migrate();
  return {
    moto: moto!,
    databaseUrl: url.toString(),
    async close() {
      await Database.close();
      await moto?.stop();
      const admin = await mysql.createConnection({ uri: base });
      await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await admin.end();
    },
  };
}

export function ms(n: number) {
  return Math.round(n * 10) / 10;
}

export function progress(line: string) {
  process.stderr.write(`${line}\n`);
}
