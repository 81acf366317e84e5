import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assertCallsMatchSpec } from '../../fakes/mattermost-spec.js';
import { startHarness, type Harness } from './harness.js';

describe('Mattermost userIdOf: configured usernames to user ids', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('looks a username up once (GET /users/username/{username}) and answers from the cache after', async () => {
    expect(await h.adapter.userIdOf('alice')).toBe(h.alice.id);
    expect(await h.adapter.userIdOf('@alice')).toBe(h.alice.id);
    expect(await h.adapter.userIdOf('bob')).toBe(h.bob.id);
    const lookups = h.fake.callsTo('GET', /^\/api\/v4\/users\/username\//);
    expect(lookups.map((c) => c.path)).toEqual(['/api/v4/users/username/alice', '/api/v4/users/username/bob']);
    assertCallsMatchSpec(h.fake.calls);
  });

  it('an unknown username is undefined, not an error, and is asked again later (the user may be added)', async () => {
    expect(await h.adapter.userIdOf('carol')).toBeUndefined();
    const carol = h.fake.addUser({ username: 'carol' });
    expect(await h.adapter.userIdOf('carol')).toBe(carol.id);
    expect(await h.adapter.userIdOf('')).toBeUndefined();
  });

  it('a failing server is an error, not "no such user"', async () => {
    h.fake.failNext(/^\/api\/v4\/users\/username\//, { status: 500 });
    await expect(h.adapter.userIdOf('alice')).rejects.toMatchObject({ code: 'transient' });
  });

  it('the id it gives is one a DM can go to', async () => {
    const id = (await h.adapter.userIdOf('bob'))!;
    const ref = await h.adapter.dm(id, { body: 'hello', summary: 'hello' });
    const channel = h.fake.directChannel(h.fake.bot.id, h.bob.id);
    expect(ref.channelId).toBe(channel.id);
    expect(h.fake.postsIn(channel.id).map((p) => p.message)).toEqual(['hello']);
  });
});
