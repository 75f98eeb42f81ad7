import { Database } from "./index";

const started = Date.now();
await Database.migrate();
await Database.close();
console.log(`Database migrated in ${Date.now() - started} ms`);
