/**
 * Whether the HTTP port is free, asked before anything else starts, so a second `npm start` while
 * one runs says so in one line instead of failing halfway with a stack.
 */
import { createServer } from 'node:net';

/** Undefined when `port` can be bound; otherwise the one line to print. */
export function portProblem(port: number, host?: string): Promise<string | undefined> {
  if (port === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => {
      resolve(
        err.code === 'EADDRINUSE'
          ? `Day2 cannot start: port ${port} is taken (is another Day2 running?). Set PORT to another port, e.g. PORT=${port + 1} npm start`
          : `Day2 cannot start: cannot listen on port ${port}: ${err.message}. Set PORT to another port.`,
      );
    });
    probe.listen(port, host, () => probe.close(() => resolve(undefined)));
  });
}
