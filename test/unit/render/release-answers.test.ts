/**
 * Release answers as a reader sees them: a reschedule says sign-offs were reset only when there
 * were some, and counts them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toConsoleText } from '../../../src/render/console.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';

let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ zone: 'UTC' });
});
const read = (name: string, data: Record<string, unknown>) => toConsoleText(renderer.render(name, data), { zone: 'Europe/Berlin', mentions: () => ({ name: 'Rex Release' }) });

const moved = {
  release: { id: 'R1', appName: 'Payments API', version: '2.0.0', envName: 'Production', classification: 'UNCLASSIFIED', start: new Date('2026-12-09T11:00:00Z'), end: new Date('2026-12-09T13:00:00Z') },
  from: new Date('2026-12-09T09:00:00Z'),
  by: 'person:rex',
  conflicts: [],
  suggestions: [],
};

describe('release rescheduled', () => {
  it('says sign-offs were reset only when there were some', () => {
    expect(read('release/rescheduled', { ...moved, signoffsReset: 0 })).not.toMatch(/reset/);
    expect(read('release/rescheduled', { ...moved, signoffsReset: 1 })).toContain('1 sign-off was reset for the new date.');
    expect(read('release/rescheduled', { ...moved, signoffsReset: 3 })).toContain('3 sign-offs were reset for the new date.');
  });
});

describe('a refusal naming a person and an instant', () => {
  it('shows the name and the reader-zone time, never the reference or ISO text', () => {
    const message = ['"Release artifacts verified" was already ticked by ', { mention: 'person:rex' }, ', ', new Date('2026-12-06T04:22:05Z'), '.'];
    const text = read('errors/invalid-input', { message });
    expect(text).toContain('was already ticked by @Rex Release, Sun 6 Dec 2026, 05:22 CET.');
    expect(text).not.toMatch(/person:|\d{4}-\d\d-\d\dT/);
  });
});
