/**
 * What the whole bot's HTTP server answers when it should not serve anything: every unknown
 * path, unknown feed, unknown environment or team and wrong or missing token is the one 404
 * (same status, headers and bytes: nothing tells a prober which names exist), and an error in
 * any route, the Mattermost ones included, is a plain JSON error without a stack trace in every
 * NODE_ENV. A signed `payload=null` to Slack's raw route is a 400 and the bot keeps serving.
 */
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIcalTokens } from '../../../src/store/notice/feed-tokens.js';
import { createOncallIcalTokens } from '../../../src/store/oncall/feed-tokens.js';
import { SLACK_ALICE, SLACK_CHANNEL, startBotRig, type BotRig } from '../../support/bot-rig.js';

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig({
    extraConfig: () => `
teams:
  - id: payments
    name: Payments
    members: [alice, bob]
    channels: { slack: [C0PAYMENTS] }
rotations:
  - id: payments-tribute
    team: payments
    anchor: "2026-11-02 09:00"
    turn: 1w
    members: [alice, bob]
environments:
  - id: staging
    name: Staging
    classification: UNCLASSIFIED
    channels: { slack: [C0STAGING1] }
`,
  });
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

/** Status, body bytes and every header but the ones that vary per response. */
async function answer(path: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Record<string, string> }> {
  const res = await fetch(new URL(path, rig.appUrl), init);
  const headers = Object.fromEntries([...res.headers].filter(([k]) => !['date', 'connection', 'keep-alive'].includes(k)));
  return { status: res.status, body: await res.text(), headers };
}

const STACK = /\bat \S+ \(|at [\w.<>]+ \(\/|node_modules|<pre>|<html|Error:/i;

describe('404s', () => {
  const unknown = [
    '/nope',
    '/ical/nope/staging.ics?token=x',
    '/ical/cadence.ics?token=x',
    '/ical/cadence.ics',
    '/ical/maintenance/staging.ics',
    '/ical/maintenance/staging.ics?token=wrong-token-wrong-token-wrong-to',
    '/ical/maintenance/unknown.ics?token=wrong',
    '/ical/maintenance/BAD%20NAME?token=x',
    '/ical/oncall/payments.ics',
    '/ical/oncall/payments.ics?token=wrong',
    '/ical/oncall/unknown.ics?token=wrong',
    '/ical/releases/staging.ics?token=wrong',
    '/ical/releases/unknown.ics?token=wrong',
    '/ical/releases/staging.ics',
  ];

  it.each(unknown)('%s answers exactly like an unknown path (same status, headers and bytes)', async (path) => {
    const reference = await answer('/no-such-path');
    expect(reference.status).toBe(404);
    expect(await answer(path)).toEqual(reference);
  });

  it('the right tokens open the private feeds (so the 404s above are about the token, not the route)', async () => {
    const config = () => rig.bot.services.config();
    const maint = await createIcalTokens(rig.redis, config).tokenFor('staging');
    expect((await answer(`/ical/maintenance/staging.ics?token=${maint}`)).status).toBe(200);
    const oncall = await createOncallIcalTokens(rig.redis).tokenFor('payments');
    expect((await answer(`/ical/oncall/payments.ics?token=${oncall}`)).status).toBe(200);
  });
});

describe('errors never show a stack trace', () => {
  it.each(['development', 'test', undefined])('a Mattermost action with a body that does not parse is a plain JSON 400 (NODE_ENV=%s)', async (mode) => {
    const saved = process.env.NODE_ENV;
    rig.bot.http.app.set('env', mode ?? 'development');
    try {
      const res = await answer('/mattermost/actions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user_id": ' });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(JSON.parse(res.body)).toMatchObject({ error: expect.any(String) });
      expect(res.body).not.toMatch(STACK);
    } finally {
      rig.bot.http.app.set('env', saved);
    }
  });

  it('a platform route whose body parser fails is answered by the server: a plain JSON 400', async () => {
    rig.bot.http.app.set('env', 'development');
    // Mounted the way adapters mount theirs, with nothing of its own to catch the parse error.
    rig.bot.http.platformRouter.post('/test-only/json', express.json(), (_req, res) => void res.json({ ok: true }));
    const res = await answer('/test-only/json', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken":' });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ error: 'Bad Request' });
    expect(res.body).not.toMatch(STACK);
  });

  it('a route that throws answers a plain JSON 500', async () => {
    rig.bot.http.app.set('env', 'development');
    rig.bot.http.app.get('/test-only/throws', () => {
      throw new Error('boom with a secret path /srv/day2');
    });
    const res = await answer('/test-only/throws');
    expect(res.status).toBe(500);
    expect(JSON.parse(res.body)).toEqual({ error: 'Internal Server Error' });
    expect(res.body).not.toMatch(STACK);
    expect(res.body).not.toContain('/srv/day2');
  });
});

describe("Slack's raw route on the real server", () => {
  it('answers a signed payload=null with 400 and keeps serving', async () => {
    const res = await rig.slack.signedRequest(rig.appUrl, '/slack/events', 'payload=null');
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(STACK);
    const ok = await rig.slack.sendCommand({ command: '/day2', text: 'help', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(ok.status).toBe(200);
  });
});
