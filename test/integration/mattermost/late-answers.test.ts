/**
 * Late answers to clicks: an ephemeral post when the bot may make one, otherwise a DM (Mattermost
 * lets only system admins create ephemeral posts through the API).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../../src/chat/message.js';
import { deferred, eventually, startHarness, type Harness } from './harness.js';

const withButton: OutboundMessage = {
  body: 'Cover needed',
  summary: 'Cover needed',
  buttons: [{ actionId: 'oncallCover', label: 'Take it', value: 'turn-1' }],
};

describe('late answers to a click', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function clickAnsweredLate(botRoles: string): Promise<Harness> {
    const harness = await startHarness({ adapter: { ackBudgetMs: 100 }, fake: { botRoles } });
    const ref = await harness.adapter.post(harness.town.id, withButton);
    const release = deferred();
    harness.handler = async () => {
      await release.promise;
      return { reply: { body: 'You have the turn.', summary: 'You have the turn' } };
    };
    const res = await harness.fake.clickButton(harness.fake.posts.get(ref.messageId)!, 'oncallCover', { user_id: harness.bob.id });
    expect(res.status).toBe(200);
    release.resolve();
    return harness;
  }

  it('come as an ephemeral post when the bot is a system admin', async () => {
    h = await clickAnsweredLate('system_user system_admin');
    const harness = h;
    await eventually(() => harness.fake.ephemerals.some((e) => e.message.includes('You have the turn')), 'ephemeral answer');
  });

  it('come as a direct message when the bot may not post ephemerals', async () => {
    h = await clickAnsweredLate('system_user');
    const harness = h;
    await eventually(() => [...harness.fake.posts.values()].some((p) => p.message.includes('You have the turn') && p.channel_id !== harness.town.id), 'DM answer');
    expect(harness.fake.ephemerals.some((e) => e.message.includes('You have the turn'))).toBe(false);
  });
});
