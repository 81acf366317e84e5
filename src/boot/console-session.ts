/**
 * How a console session runs: interactive at a terminal (a prompt; Ctrl-D quits), or scripted
 * when stdin is a file, a pipe or a socket (`npm start < examples/tour.txt`): every line is answered in
 * order and, at the end of the input, once the last answer and the deliveries due by then are
 * printed, one summary line, and the process exits 0 (no line failed) or 1.
 *
 * A closed stdin that is neither (a container without a terminal) leaves the bot running.
 */
import { fstatSync } from 'node:fs';
import type { ConsoleAdapter } from '../chat/console/adapter.js';

export type ConsoleMode = 'interactive' | 'scripted' | 'detached';

export function consoleMode(stdin: NodeJS.ReadStream & { fd?: number }): ConsoleMode {
  if (stdin.isTTY) return 'interactive';
  try {
    const stats = fstatSync(stdin.fd ?? 0);
    return stats.isFIFO() || stats.isFile() || stats.isSocket() ? 'scripted' : 'detached';
  } catch {
    return 'detached';
  }
}

/** Work due within this long counts as part of the script (a reply waiting on its root); a reminder days away does not. */
export const DUE_HORIZON_MS = 4000;
/** Quiet polls in a row before the script is taken as finished. */
const QUIET_POLLS = 2;
const POLL_MS = 60;
/** A script waits at most this long after one line, and at its end, for what is due. */
export const LINE_WAIT_MS = 10_000;
const END_WAIT_MS = 60_000;

/** Resolves once no timer or console delivery due within the horizon is left (bounded by `maxMs`). */
export async function settle(pendingWork: ((horizonMs: number) => Promise<number>) | undefined, maxMs = LINE_WAIT_MS): Promise<void> {
  if (!pendingWork) return;
  const until = Date.now() + maxMs;
  let quiet = 0;
  while (quiet < QUIET_POLLS && Date.now() < until) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    quiet = (await pendingWork(DUE_HORIZON_MS).catch(() => 0)) === 0 ? quiet + 1 : 0;
  }
}

/** End of a script: wait for what is due, print the summary, and say the exit code. */
export async function finishScript(adapter: ConsoleAdapter, pendingWork: ((horizonMs: number) => Promise<number>) | undefined, out: NodeJS.WritableStream): Promise<number> {
  await adapter.idle();
  await settle(pendingWork, END_WAIT_MS);
  out.write(`\n${adapter.tally.summary()}\n`);
  return adapter.tally.exitCode;
}
