/** Readiness follows the start-up planning: not ready while it runs, ready once done, not ready (with the reason) if it failed. */
import { describe, expect, it } from 'vitest';
import { createStartupGate } from '../../../src/boot/startup-gate.js';

const WHAT = "loading and planning the config's cadences and rotations";

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('createStartupGate', () => {
  it('is not ready before anything is watched, nor while the work runs; ready once it is done', async () => {
    const gate = createStartupGate(WHAT);
    expect(gate.check.name).toBe('planning');
    await expect(gate.check.check()).rejects.toThrow(`${WHAT}: still in progress`);
    const work = deferred();
    gate.watch(work.promise);
    await expect(gate.check.check()).rejects.toThrow('still in progress');
    work.resolve();
    await work.promise;
    await expect(gate.check.check()).resolves.toBeUndefined();
  });

  it('stays not ready when the work failed, and says why', async () => {
    const gate = createStartupGate(WHAT);
    const work = deferred();
    gate.watch(work.promise);
    work.reject(new Error('READONLY You cannot write against a read only replica.'));
    await work.promise.catch(() => undefined);
    await expect(gate.check.check()).rejects.toThrow(`${WHAT} failed at start (see the log; restart once fixed): READONLY You cannot write against a read only replica.`);
  });
});
