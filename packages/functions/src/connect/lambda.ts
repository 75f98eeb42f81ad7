/** Lambda entry for the connect custom resource (ServiceToken of the workspace template). */
import { handleCustomResource } from "./handler";
import { setupRuntime } from "../runtime";

await setupRuntime();

export async function handler(event: unknown) {
  // SNS-backed service tokens wrap the request in a record.
  const records = (event as { Records?: { Sns?: { Message?: string } }[] })?.Records;
  if (Array.isArray(records)) {
    for (const r of records) await handleCustomResource(r.Sns?.Message);
    return;
  }
  await handleCustomResource(event);
}
