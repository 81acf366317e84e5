/**
 * Malformed bodies on the Mattermost endpoints: a slash command with a valid token, a click or a
 * dialog submission whose body is not JSON, a bare `null`, or the wrong shape gets a 400, never a
 * crash, a 500 or a stack trace, and nothing is dispatched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TOKEN, startHarness, type Harness } from './harness.js';

describe('Mattermost malformed requests', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const post = (path: string, body: string, contentType: string, headers: Record<string, string> = {}) =>
    fetch(`${h.appUrl}${path}`, { method: 'POST', headers: { 'Content-Type': contentType, ...headers }, body }).then(async (r) => ({ status: r.status, text: await r.text() }));

  const expect400 = (r: { status: number; text: string }, what: string) => {
    expect(r.status, what).toBe(400);
    expect(r.text, what).not.toMatch(/\bat \S+:\d+|Error:|SyntaxError|node_modules/);
  };

  it('answers 400 to a tokened slash command whose fields are missing or of the wrong type', async () => {
    const form = (fields: Record<string, string | string[]>) => {
      const p = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) p.append(k, one);
      return p.toString();
    };
    const auth = { Authorization: `Token ${COMMAND_TOKEN}` };
    const base = { token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id, command: '/day2', text: 'help' };
    const { user_id: _u, ...noUser } = base;
    expect400(await post('/mattermost/command', form(noUser), 'application/x-www-form-urlencoded', auth), 'no user_id');
    expect400(await post('/mattermost/command', form({ ...base, channel_id: '' }), 'application/x-www-form-urlencoded', auth), 'empty channel_id');
    expect400(await post('/mattermost/command', form({ ...base, text: ['a', 'b'] }), 'application/x-www-form-urlencoded', auth), 'text repeated');
    const query = await fetch(`${h.appUrl}/mattermost/command?${form({ ...base, user_id: [h.alice.id, h.bob.id] })}`, { headers: auth });
    expect(query.status, 'user_id repeated in a GET').toBe(400);
    expect(h.events).toHaveLength(0);
  });

  it('answers 400 to a click or dialog body that is not JSON, a bare null, or the wrong shape', async () => {
    const cases: [string, string, string][] = [
      ['not JSON', '{"user_id": ', 'application/json'],
      ['JSON null', 'null', 'application/json'],
      ['JSON number', '42', 'application/json'],
      ['JSON array', '[]', 'application/json'],
      ['not JSON content', 'user_id=x', 'text/plain'],
      ['empty object', '{}', 'application/json'],
      ['user_id a number', JSON.stringify({ user_id: 5, channel_id: h.town.id, post_id: '', context: {} }), 'application/json'],
      ['context a string', JSON.stringify({ user_id: h.alice.id, channel_id: h.town.id, post_id: '', context: 'x' }), 'application/json'],
      ['context null', JSON.stringify({ user_id: h.alice.id, channel_id: h.town.id, post_id: '', context: null }), 'application/json'],
      ['dialog without state', JSON.stringify({ type: 'dialog_submission', callback_id: 'f', user_id: h.alice.id, submission: {} }), 'application/json'],
      ['dialog submission a string', JSON.stringify({ type: 'dialog_submission', callback_id: 'f', state: 'v2.x.y', user_id: h.alice.id, submission: 'x' }), 'application/json'],
      ['dialog cancelled a string', JSON.stringify({ type: 'dialog_submission', callback_id: 'f', state: 'v2.x.y', user_id: h.alice.id, submission: {}, cancelled: 'yes' }), 'application/json'],
      ['dialog user_id missing', JSON.stringify({ type: 'dialog_submission', callback_id: 'f', state: 'v2.x.y', submission: {} }), 'application/json'],
    ];
    for (const [what, body, type] of cases) expect400(await post('/mattermost/actions', body, type), what);
    expect(h.events).toHaveLength(0);
    // Still up and answering.
    const ok = await h.fake.sendCommand(h.appUrl, { command: '/day2', text: 'help', token: COMMAND_TOKEN, user_id: h.alice.id, channel_id: h.town.id });
    expect(ok.status).toBe(200);
  });
});
