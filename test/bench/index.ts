/**
 * `npm run bench -- <name>`: runs one benchmark script. Each prints its figures, the
 * floor it is compared against, and a last line with one JSON object.
 */
export {};

const benches: Record<string, string> = {
  discovery: "scan an emulated account with 17 regions and 200 stages; then rescan it unchanged",
  extract: "the extract CLI on 200,000 realistic events (70% ordinary lines), with and without source maps, against reading and parsing the file",
  hostile: "256 KB pathological log events through the parsers, each against a plain event of the same size",
  ingest: "Kinesis batches of Lambda error logs through decode, detect, map, fingerprint and the database",
  logs: "rebuild invocations from 1,000,000 Lambda log lines; the live tail's added delay through SSE",
  sourcemap: "source-map libraries on our bundles: parse time, lookups per second, memory",
};

const name = process.argv[2];
if (!name || !(name in benches)) {
  process.stderr.write(
    `Usage: npm run bench -- <name>\n\n${Object.entries(benches)
      .map(([n, d]) => `  ${n.padEnd(10)} ${d}`)
      .join("\n")}\n`,
  );
  process.exit(1);
}
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
await import(`./${name}.ts`);
