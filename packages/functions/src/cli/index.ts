/**
 * `npm run --silent cli -- <command> [args]`. Each command lives in its own file
 * and exports `run(args: string[]): Promise<number>` (the exit code).
 */
const commands: Record<string, { describe: string; load: () => Promise<{ run(args: string[]): Promise<number> }> }> = {
  template: {
    describe: "print the CloudFormation template a workspace deploys (--variant least|readonly|admin)",
    load: () => import("./template"),
  },
  sourcemaps: {
    describe: "upload source maps: sourcemaps upload --function NAME [--file BUNDLE] MAP... (CONSOLE_URL, CONSOLE_TOKEN, CONSOLE_WORKSPACE)",
    load: () => import("./sourcemaps"),
  },
  extract: {
    describe: "detect errors in Lambda log events (FILE or stdin) and print one JSON object per error",
    load: () => import("./extract"),
  },
  price: {
    describe: "print the month's cost of N invocations as one JSON line: price N",
    load: () => import("./price"),
  },
};

function usage() {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(12)} ${c.describe}`);
  return `Usage: npm run --silent cli -- <command> [options]\n\nCommands:\n${lines.join("\n")}\n`;
}

// Piping into `head` closes stdout early: stop quietly.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

const [name, ...args] = process.argv.slice(2);
if (!name || name === "--help" || name === "-h") {
  process.stdout.write(usage());
  process.exit(name ? 0 : 1);
}
const command = commands[name];
if (!command) {
  process.stderr.write(`Unknown command: ${name}\n\n${usage()}`);
  process.exit(1);
}
try {
  const mod = await command.load();
  process.exitCode = await mod.run(args);
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n`);
  process.exitCode = 1;
}

export {};
