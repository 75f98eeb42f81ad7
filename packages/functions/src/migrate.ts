/** Applies the committed migrations (invoked on each deploy, see infra/migrate.ts). */
import { Database } from "@console/core/db";

export async function handler() {
  const started = Date.now();
  await Database.migrate();
  return { ok: true, ms: Date.now() - started };
}
