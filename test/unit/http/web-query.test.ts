import { describe, expect, it } from 'vitest';
import { parseWebQuery, viewerZone } from '../../../src/http/web/query.js';

describe('web page queries', () => {
  it('takes only known parameters, once each, of the right form', () => {
    expect(parseWebQuery('tz=Europe%2FBerlin&view=week&date=2026-12-07', ['tz', 'view', 'date'])).toEqual({ ok: true, query: { tz: 'Europe/Berlin', view: 'week', date: '2026-12-07' } });
    expect(parseWebQuery('view=year', ['view'])).toMatchObject({ ok: false, problem: 'view: view is "month" or "week"' });
    expect(parseWebQuery('date=2026-02-29', ['date'])).toMatchObject({ ok: false });
    expect(parseWebQuery('date=2028-02-29', ['date'])).toMatchObject({ ok: true });
    expect(parseWebQuery('view=month', ['tz'])).toMatchObject({ ok: false, problem: expect.stringContaining('unknown parameter "view"') });
    expect(parseWebQuery('tz=UTC&tz=UTC', ['tz'])).toMatchObject({ ok: false, problem: '"tz" is given twice' });
    expect(parseWebQuery(`tz=${'x'.repeat(2000)}`, ['tz'])).toMatchObject({ ok: false, problem: expect.stringContaining('longer than') });
  });

  it('an unknown zone falls back with the zone named for the note', () => {
    expect(viewerZone({ tz: 'Not/AZone' }, 'Europe/Berlin')).toEqual({ zone: 'Europe/Berlin', badZone: 'Not/AZone' });
    expect(viewerZone({ tz: 'Asia/Singapore' }, 'UTC')).toEqual({ zone: 'Asia/Singapore' });
    expect(viewerZone({}, 'UTC')).toEqual({ zone: 'UTC' });
  });

  it('names a zone typed in any letter case by its own spelling, so each zone is one zone to every cache', () => {
    // Intl takes "europe/berlin" too: left as typed, every spelling would be a new zone to the
    // page's ETag, the zone caches and date-fns' formatter cache (one Intl formatter each, kept).
    for (const tz of ['europe/berlin', 'EUROPE/BERLIN', 'eUrOpE/bErLiN']) expect(viewerZone({ tz }, 'UTC')).toEqual({ zone: 'Europe/Berlin' });
  });

  it('keeps a link name as asked (an older ICU would call Asia/Kolkata "Asia/Calcutta"), one spelling for every letter case', () => {
    expect(viewerZone({ tz: 'Asia/Kolkata' }, 'UTC')).toEqual({ zone: 'Asia/Kolkata' });
    expect(viewerZone({ tz: 'ASIA/KOLKATA' }, 'UTC')).toEqual({ zone: 'Asia/Kolkata' });
    expect(viewerZone({ tz: 'Europe/Kyiv' }, 'UTC')).toEqual({ zone: 'Europe/Kyiv' });
  });
});
