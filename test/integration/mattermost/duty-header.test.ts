/**
 * The on-duty line in a channel header through the real Client4 against the fake Mattermost
 * (calls checked against the v4 spec): the Day2 part is written, the channel's own text kept,
 * nothing written (and no "header changed" post) when the line is unchanged, and coded errors.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DutyGroupSpec } from '../../../src/chat/port.js';
import { assertCallsMatchSpec } from '../../fakes/mattermost-spec.js';
import { startHarness, type Harness } from './harness.js';

const at = new Date('2026-12-07T08:00:00.000Z');
const spec = (target: string, who = '**alice**'): DutyGroupSpec => ({
  target,
  members: [],
  line: { body: `On duty: ${who} (primary) until <!date:${at.toISOString()}|datetime>`, summary: 'On duty' },
  render: { readerZone: 'Europe/Berlin' },
});

describe('Mattermost on-duty channel header', () => {
  let h: Harness;
  afterEach(async () => {
    assertCallsMatchSpec(h.fake.calls);
    await h.close();
  });

  it('writes the line into the Day2 part, keeps the rest, and skips an unchanged header', async () => {
    h = await startHarness();
    expect(h.adapter.capabilities.dutyGroup).toBe('channel-header');
    h.town.header = 'Runbooks: https://wiki.example.com/pay';
    expect(await h.adapter.syncDutyGroup(spec(h.town.id))).toEqual({ changed: true });
    expect(h.town.header).toMatch(/^Runbooks: https:\/\/wiki\.example\.com\/pay \[day2\] On duty: \*\*alice\*\* \(primary\) until .*09:00.* \[\/day2\]$/);
    const changes = () => h.fake.postsIn(h.town.id).filter((p) => p.type === 'system_header_change');
    expect(changes()).toHaveLength(1);
    expect(await h.adapter.syncDutyGroup(spec(h.town.id))).toEqual({ changed: false });
    expect(h.fake.callsTo('PUT', `/api/v4/channels/${h.town.id}/patch`)).toHaveLength(1);
    // The channel's people edit their part; the next line keeps their edit.
    h.town.header = h.town.header.replace('Runbooks', 'Runbooks (new)');
    expect(await h.adapter.syncDutyGroup(spec(h.town.id, '**bob**'))).toEqual({ changed: true });
    expect(h.town.header).toMatch(/^Runbooks \(new\): .* \[day2\] On duty: \*\*bob\*\*/);
    expect(changes()).toHaveLength(2);
  });

  it('fails with not_found for an unknown channel and not_in_channel where the bot may not edit', async () => {
    h = await startHarness({ fake: { botRoles: 'system_user' } });
    await expect(h.adapter.syncDutyGroup(spec('zzzzzzzzzzzzzzzzzzzzzzzzzz'))).rejects.toMatchObject({ code: 'not_found' });
    const outside = h.fake.addChannel({ team: h.team, name: 'private-ops', type: 'P', members: [h.alice.id], withBot: false });
    await expect(h.adapter.syncDutyGroup(spec(outside.id))).rejects.toMatchObject({ code: 'not_in_channel', message: expect.stringMatching(/add the bot to the channel/) });
    h.town.membersMayEdit = false;
    await expect(h.adapter.syncDutyGroup(spec(h.town.id))).rejects.toMatchObject({ code: 'not_in_channel' });
    expect(h.town.header).toBe('');
  });

  it('refuses a header over 1024 characters instead of cutting the channel text', async () => {
    h = await startHarness();
    h.town.header = 'x'.repeat(1000);
    await expect(h.adapter.syncDutyGroup(spec(h.town.id))).rejects.toMatchObject({ code: 'permanent', message: expect.stringMatching(/over Mattermost's 1024: shorten the text outside \[day2\]/) });
    expect(h.town.header).toBe('x'.repeat(1000));
  });

  it('reports a 429 as rate limited', async () => {
    h = await startHarness();
    h.fake.failNext(`/channels/${h.town.id}/patch`, { status: 429, retryAfter: 3 });
    await expect(h.adapter.syncDutyGroup(spec(h.town.id))).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 3000 });
  });
});
