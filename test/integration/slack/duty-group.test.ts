/**
 * The on-duty user group through the real WebClient against the fake Slack (calls checked against
 * Slack's spec, scopes from the app manifest): members set to exactly the people on duty, nothing
 * written when they already are, disabled when nobody is, and coded errors an operator can act on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DutyGroupSpec } from '../../../src/chat/port.js';
import { validateSlackResponse } from '../../fakes/slack-spec.js';
import { startHarness, type Harness } from './harness.js';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';
const line = { body: 'On duty', summary: 'On duty' };
const spec = (members: string[], extra: Partial<DutyGroupSpec> = {}): DutyGroupSpec => ({ target: 'pay-tribute', members, line, ...extra });
const writes = (h: Harness) => h.fake.calls.filter((c) => c.method.startsWith('usergroups.') && c.method !== 'usergroups.list').map((c) => c.method);

describe('Slack on-duty user group', () => {
  let h: Harness;
  afterEach(async () => {
    // Every user group answer (success or error) has the shape Slack's spec gives it.
    const answers = h.fake.calls.filter((c) => c.method.startsWith('usergroups.') && c.response);
    expect(answers.flatMap((c) => validateSlackResponse(c.method, c.response))).toEqual([]);
    await h.close();
  });

  async function start(opts: Parameters<typeof startHarness>[0] = {}) {
    h = await startHarness({ start: false, ...opts });
    h.fake.addUser({ id: ALICE, name: 'alice' });
    h.fake.addUser({ id: BOB, name: 'bob' });
    h.fake.addUsergroup({ id: 'S0PAY0001', handle: 'pay-tribute', name: 'Payments tribute', users: [ALICE] });
  }

  it('declares user groups as its way to show who is on duty', async () => {
    await start();
    expect(h.adapter.capabilities.dutyGroup).toBe('usergroup');
  });

  it('sets the members by handle or id, and writes nothing when they already match', async () => {
    await start();
    expect(await h.adapter.syncDutyGroup(spec([BOB, ALICE]))).toEqual({ changed: true });
    expect(h.fake.usergroupByHandle('pay-tribute')!.users.sort()).toEqual([ALICE, BOB]);
    expect(await h.adapter.syncDutyGroup(spec([ALICE, BOB], { target: 'S0PAY0001' }))).toEqual({ changed: false });
    expect(writes(h)).toEqual(['usergroups.users.update']);
    const update = h.fake.callsTo('usergroups.users.update')[0]!;
    expect(update.args).toMatchObject({ usergroup: 'S0PAY0001', users: `${ALICE},${BOB}` });
  });

  it('disables the group when nobody is on duty and enables it for the next person', async () => {
    await start();
    expect(await h.adapter.syncDutyGroup(spec([]))).toEqual({ changed: true });
    expect(h.fake.usergroupByHandle('pay-tribute')!.disabled).toBe(true);
    expect(await h.adapter.syncDutyGroup(spec([]))).toEqual({ changed: false });
    expect(await h.adapter.syncDutyGroup(spec([BOB]))).toEqual({ changed: true });
    expect(h.fake.usergroupByHandle('pay-tribute')).toMatchObject({ disabled: false, users: [BOB] });
    expect(writes(h)).toEqual(['usergroups.disable', 'usergroups.enable', 'usergroups.users.update']);
  });

  it('creates a missing group only when asked to', async () => {
    await start();
    await expect(h.adapter.syncDutyGroup(spec([ALICE], { target: 'core-tribute' }))).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no user group with handle @core-tribute/) });
    expect(await h.adapter.syncDutyGroup(spec([ALICE], { target: 'core-tribute', create: { name: 'Core tribute' } }))).toEqual({ changed: true });
    expect(h.fake.usergroupByHandle('core-tribute')).toMatchObject({ name: 'Core tribute', users: [ALICE] });
    expect(writes(h)).toEqual(['usergroups.create', 'usergroups.users.update']);
  });

  it('says which scope is missing when the token lacks usergroups:write', async () => {
    await start({ fake: { scopes: ['chat:write', 'usergroups:read', 'users:read', 'im:write'] } });
    await expect(h.adapter.syncDutyGroup(spec([BOB]))).rejects.toMatchObject({ code: 'auth', message: expect.stringMatching(/missing_scope .*lacks the usergroups:write scope: add it \(slack-app-manifest.yaml\) and reinstall/) });
    expect(h.fake.usergroupByHandle('pay-tribute')!.users).toEqual([ALICE]);
  });

  it('explains a workspace that keeps user groups to admins, and a bot as member', async () => {
    await start();
    h.fake.usergroupsEditable = false;
    await expect(h.adapter.syncDutyGroup(spec([BOB]))).rejects.toMatchObject({ code: 'permanent', message: expect.stringMatching(/permission_denied .*Workspace settings → Permissions → User Groups/) });
    h.fake.usergroupsEditable = true;
    await expect(h.adapter.syncDutyGroup(spec([h.fake.botUserId]))).rejects.toMatchObject({ message: expect.stringMatching(/invalid_user .*guests and bots cannot join/) });
  });

  it('reports a 429 as rate limited with its Retry-After', async () => {
    await start();
    h.fake.failNext('usergroups.users.update', { status: 429, retryAfter: 7 });
    await expect(h.adapter.syncDutyGroup(spec([BOB]))).rejects.toMatchObject({ code: 'rate_limited', retryAfterMs: 7000 });
    expect(await h.adapter.syncDutyGroup(spec([BOB]))).toEqual({ changed: true });
  });
});
