/**
 * A tour recorded weeks ahead that starts nine hours before the end of its person's turn: they
 * keep the turn, and a cover request for those nine hours goes at once to the next available
 * person (stored in real Redis, delivered through the delivery service's idempotent keys).
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config.js';
import type { DeliveryRequest, DeliveryService } from '../../../src/delivery/service.js';
import { createLogger } from '../../../src/log.js';
import { toConsoleText } from '../../../src/render/console.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { absenceCoverKey, registerAbsenceCover } from '../../../src/services/oncall/absence-cover.js';
import { createOncallService } from '../../../src/services/oncall/service.js';
import { createRotationStore } from '../../../src/store/oncall/rotation-store.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';

const parsed = parseConfig(`
people:
  - { id: d, name: Dana, slack: U0DANA001 }
  - { id: e, name: Eli, slack: U0ELI0001 }
  - { id: f, name: Fay, slack: U0FAY0001 }
teams:
  - { id: home, name: Home, members: [d, e, f], channels: { slack: [C0HOME] } }
rotations:
  - { id: home-tribute, team: home, timezone: Europe/London, anchor: "2025-02-17 09:00", turn: 1w, members: [d, e, f] }
`);

const at = (iso: string) => new Date(iso);

describe('cover requests for partial absences', () => {
  let env: RedisEnv;
  let renderer: Renderer;
  beforeAll(async () => {
    renderer = await createRenderer({ zone: 'UTC' });
  });
  beforeEach(async () => {
    env = await redisEnv();
  });
  afterEach(async () => {
    await env.cleanup();
  });

  function setup() {
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const config = parsed.config;
    const oncall = createOncallService({ store: createRotationStore(env.redis), config: () => config });
    const sent: DeliveryRequest[] = [];
    const deliveries = { enqueue: async (reqs: DeliveryRequest[]) => void sent.push(...reqs) } as unknown as DeliveryService;
    const log = createLogger({ level: 'silent' });
    const cover = registerAbsenceCover({ oncall, deliveries, renderer, platforms: () => new Set(['slack'] as const), log });
    return { oncall, sent, cover };
  }

  it('E keeps the turn of 2025-02-24 and F is asked at once to cover the nine hours away', async () => {
    const { oncall, sent } = setup();
    const now = at('2025-02-10T12:00:00Z');
    // The tour covers the local dates 2025-03-03..2025-03-30 in London.
    await oncall.addLeave('e', at('2025-03-03T00:00:00Z'), at('2025-03-30T23:00:00Z'), 'tour', now);

    const segs = await oncall.segments('home-tribute', at('2025-02-24T09:00:00Z'), at('2025-03-03T09:00:00Z'), now);
    expect(segs.map((s) => [s.person, s.gap ?? null, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['e', null, '2025-02-24T09:00:00.000Z', '2025-03-03T00:00:00.000Z'],
      [null, 'absent', '2025-03-03T00:00:00.000Z', '2025-03-03T09:00:00.000Z'],
    ]);

    const gap = { slot: 'primary', start: at('2025-03-03T00:00:00Z'), end: at('2025-03-03T09:00:00Z') };
    expect(sent.map((r) => [r.key, r.target])).toEqual([[absenceCoverKey('home-tribute', gap), { platform: 'slack', userId: 'U0FAY0001' }]]);
    const message = sent[0]!.message;
    expect(message.buttons).toEqual([expect.objectContaining({ actionId: 'oncallcover', value: `home-tribute|primary|${gap.start.getTime()}|${gap.end.getTime()}` })]);
    const text = toConsoleText({ ...message, zone: 'Europe/London' }, { zone: 'Europe/London', mentions: (ref) => ({ name: ref.replace('person:', '').toUpperCase() }) });
    expect(text).toContain('is away from Mon 3 Mar 2025, 00:00 GMT until Mon 3 Mar 2025, 09:00 GMT (9 hours)');
  });

  it('raising again (more leave recorded) asks under the same key, so nobody is asked twice', async () => {
    const { oncall, sent, cover } = setup();
    const now = at('2025-02-10T12:00:00Z');
    await oncall.addLeave('e', at('2025-03-03T00:00:00Z'), at('2025-03-30T23:00:00Z'), 'tour', now);
    await cover.raise('home-tribute', now);
    expect(new Set(sent.map((r) => r.key)).size).toBe(1);
  });

  it('someone away for whole turns only is skipped and nobody is asked', async () => {
    const { oncall, sent } = setup();
    await oncall.addLeave('e', at('2025-02-24T09:00:00Z'), at('2025-03-03T09:00:00Z'), 'leave', at('2025-02-10T12:00:00Z'));
    const segs = await oncall.segments('home-tribute', at('2025-02-24T09:00:00Z'), at('2025-03-10T09:00:00Z'), at('2025-02-10T12:00:00Z'));
    expect(segs.map((s) => s.person)).toEqual(['f', 'e']);
    expect(sent).toEqual([]);
  });
});
