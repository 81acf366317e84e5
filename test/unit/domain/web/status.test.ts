import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../../src/domain/notice/notice.js';
import { HISTORY_DAYS, statusView as view, toStatusNotices } from '../../../../src/domain/web/status.js';

const statusView = (notices: Notice[], ...rest: [string[], string, Date, string]) => view(toStatusNotices(notices), ...rest);

const NOW = new Date('2026-12-06T12:00:00Z');
let seq = 0;

function notice(over: Partial<Notice>): Notice {
  seq++;
  const created = over.createdAt ?? '2026-12-06T10:00:00Z';
  return {
    id: String(seq),
    env: 'prod',
    kind: 'outage',
    classification: 'U',
    severity: 'sev2',
    status: 'investigating',
    summary: `Notice ${seq}`,
    components: [],
    zone: 'UTC',
    author: { platform: 'slack', userId: 'U1', name: 'Alice' },
    createdAt: created,
    updatedAt: over.updatedAt ?? created,
    audience: [],
    rootRevision: 1,
    updates: 0,
    reminders: [],
    timeline: [{ at: created, by: 'Alice', event: 'created', status: 'investigating', text: 'Looking' }],
    reports: 0,
    ...over,
  } as Notice;
}

describe('statusView', () => {
  it('marks the components an open outage names with its severity and leaves the others operational', () => {
    const v = statusView([notice({ severity: 'sev1', components: ['api'] })], ['api', 'db'], 'Prod', NOW, 'UTC');
    expect(v.indicator).toBe('critical');
    expect(v.components.map((c) => [c.name, c.status])).toEqual([['api', 'major_outage'], ['db', 'operational']]);
    expect(v.components[0]!.days.at(-1)!.mark).toBe('critical');
    expect(v.components[1]!.days.at(-1)!.mark).toBe('none');
    expect(v.components[0]!.days).toHaveLength(HISTORY_DAYS);
  });

  it('an outage naming no component affects the whole environment; no components at all → one row named after it', () => {
    expect(statusView([notice({ severity: 'sev3' })], ['api', 'db'], 'Prod', NOW, 'UTC').components.map((c) => c.status)).toEqual(['degraded_performance', 'degraded_performance']);
    expect(statusView([], [], 'Prod', NOW, 'UTC').components.map((c) => c.name)).toEqual(['Prod']);
  });

  it('an outage created within the minute shown as now still marks today', () => {
    const v = statusView([notice({ createdAt: '2026-12-06T12:00:30Z', components: ['api'] })], ['api'], 'Prod', NOW, 'UTC');
    expect(v.components[0]!.days.at(-1)!.mark).toBe('major');
  });

  it('sorts maintenance into under way and coming, and a window that has not begun marks no day', () => {
    const running = notice({ kind: 'maintenance', severity: undefined, status: 'in-progress', start: '2026-12-06T11:00:00Z', end: '2026-12-06T13:00:00Z' });
    const coming = notice({ kind: 'maintenance', severity: undefined, status: 'scheduled', start: '2026-12-08T11:00:00Z', end: '2026-12-08T13:00:00Z' });
    const v = statusView([coming, running], ['api'], 'Prod', NOW, 'UTC');
    expect(v.indicator).toBe('maintenance');
    expect(v.maintenanceNow.map((n) => n.id)).toEqual([running.id]);
    expect(v.maintenanceNext.map((n) => n.id)).toEqual([coming.id]);
    expect(v.components[0]!.status).toBe('under_maintenance');
    expect(v.components[0]!.days.at(-1)!.notices).toEqual([running.id]);
  });

  it('keeps ended notices of the last 90 days as history, newest first, and drops older ones', () => {
    const old = notice({ status: 'resolved', createdAt: '2026-08-01T10:00:00Z', updatedAt: '2026-08-01T12:00:00Z' });
    const a = notice({ status: 'resolved', createdAt: '2026-11-01T10:00:00Z', updatedAt: '2026-11-01T12:00:00Z' });
    const b = notice({ status: 'resolved', createdAt: '2026-11-20T10:00:00Z', updatedAt: '2026-11-20T12:00:00Z' });
    const v = statusView([old, a, b], [], 'Prod', NOW, 'UTC');
    expect(v.history.map((n) => n.id)).toEqual([b.id, a.id]);
    expect(v.indicator).toBe('none');
  });

  it('draws days in the viewer zone: an outage late on 5 Dec in New York is 6 Dec in UTC', () => {
    const n = notice({ createdAt: '2026-12-06T03:00:00Z', updatedAt: '2026-12-06T04:00:00Z', status: 'resolved', components: ['api'] });
    const ny = statusView([n], ['api'], 'Prod', NOW, 'America/New_York').components[0]!.days;
    const utc = statusView([n], ['api'], 'Prod', NOW, 'UTC').components[0]!.days;
    expect(ny.find((d) => d.mark !== 'none')?.date).toBe('2026-12-05');
    expect(utc.find((d) => d.mark !== 'none')?.date).toBe('2026-12-06');
  });

  it('shows updates newest first', () => {
    const n = notice({ timeline: [
      { at: '2026-12-06T10:00:00Z', by: 'A', event: 'created', status: 'investigating', text: 'one' },
      { at: '2026-12-06T11:00:00Z', by: 'A', event: 'update', status: 'identified', text: 'two' },
    ] });
    expect(statusView([n], [], 'Prod', NOW, 'UTC').outages[0]!.updates.map((u) => u.text)).toEqual(['two', 'one']);
  });

  it('ends the 90 days on today also just after midnight when a clock change lies within them', () => {
    // 00:30 in Berlin on 30 March 2026, the day after clocks went forward: 89 × 24 h back is 23:30
    // on 30 December, not 00:30 on the 31st, yet the row must still run to today.
    const now = new Date('2026-03-29T22:30:00Z');
    const v = statusView([notice({ createdAt: '2026-03-29T22:20:00Z', components: ['api'] })], ['api'], 'Prod', now, 'Europe/Berlin');
    const days = v.components[0]!.days;
    expect(days).toHaveLength(HISTORY_DAYS);
    expect([days[0]!.date, days.at(-1)!.date]).toEqual(['2025-12-31', '2026-03-30']);
    expect(days.at(-1)!.mark).toBe('major');
  });
});
