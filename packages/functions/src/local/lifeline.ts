/**
 * `npm run dev` runs as npm -> sh -> tsx -> node, and npm does not always pass signals
 * on (a SIGTERM or SIGHUP to npm, or npm killed outright, can leave this process
 * running with nobody to stop it). So the console also watches the processes it was
 * started from, and stops when one of them is gone.
 *
 * On Linux the chain is read from /proc (with each process's start time, so a reused
 * pid does not count as alive); elsewhere only the direct parent is watched.
 */
import { readFileSync } from "node:fs";

interface Proc {
  pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  start: string;
}

/** pid, state, ppid and start time of a process, or undefined when it is gone. */
function stat(pid: number): { state: string; ppid: number; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces: read after its last ")".
    const rest = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state: rest[0]!, ppid: Number(rest[1]), start: rest[19]! };
  } catch {
    return undefined;
  }
}

/** The processes this one was started from, nearest first, up to (not including) init. */
export function ancestors(pid = process.pid, limit = 8): Proc[] {
  const out: Proc[] = [];
  let current = stat(pid)?.ppid;
  while (current && current > 1 && out.length < limit) {
    const s = stat(current);
    if (!s) break;
    out.push({ pid: current, start: s.start });
    current = s.ppid;
  }
  return out;
}

function alive(p: Proc): boolean {
  const s = stat(p.pid);
  return !!s && s.start === p.start && s.state !== "Z" && s.state !== "X";
}

/**
 * Calls `onGone` once, when a process this one was started from has exited (checked
 * every `intervalMs`). Only the chain up to the first process that is not ours to
 * follow is watched: the npm process and what it started, not the user's shell.
 */
export function watchParents(onGone: (pid: number) => void, intervalMs = 500): () => void {
  const chain = ancestors();
  // Up to and including the npm process (when started by npm); otherwise the direct parent.
  const npmAt = chain.findIndex((p) => isNpm(p.pid));
  const watched = chain.length ? chain.slice(0, npmAt >= 0 ? npmAt + 1 : 1) : [];
  const parent = process.ppid;
  const timer = setInterval(() => {
    const gone = watched.find((p) => !alive(p));
    if (gone) return stop(gone.pid);
    // Without /proc: the direct parent changed (we were re-parented).
    if (!watched.length && process.ppid !== parent) stop(parent);
  }, intervalMs);
  timer.unref();
  let done = false;
  function stop(pid: number) {
    if (done) return;
    done = true;
    clearInterval(timer);
    onGone(pid);
  }
  return () => clearInterval(timer);
}

/** Whether a process is npm (`npm ...`, `npm run dev` as npm titles itself, or `node .../npm-cli.js ...`). */
function isNpm(pid: number): boolean {
  try {
    // npm sets its title ("npm run dev"), which replaces the command line with one string.
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split(/[\0 ]/).filter(Boolean).slice(0, 2);
    return argv.some((a) => /(^|\/)(npm|npm-cli\.js)$/.test(a));
  } catch {
    return false;
  }
}
