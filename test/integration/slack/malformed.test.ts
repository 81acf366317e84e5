/**
 * Signed but malformed Slack requests through the real Bolt receiver over loopback: each is a
 * bare 400 (no stack, no crash, nothing dispatched), and the process keeps answering afterwards.
 * Also the timestamp window: more than 5 minutes away in either direction is a 401.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';

const ALICE = 'U0ALICE001';
const GENERAL = 'C0GENERAL1';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const command = (extra: Record<string, string> = {}) => ({ command: '/day2', text: 'help', user_id: ALICE, channel_id: GENERAL, team_id: 'T0FAKE', ...extra });

// [what it is, raw body, content type]
const MALFORMED: [string, string, string][] = [
  ['payload=null', 'payload=null', 'application/x-www-form-urlencoded'],
  ['payload that is not JSON', form({ payload: '{not json' }), 'application/x-www-form-urlencoded'],
  ['payload that is a JSON array', form({ payload: '[1,2]' }), 'application/x-www-form-urlencoded'],
  ['payload that is a JSON number', form({ payload: '42' }), 'application/x-www-form-urlencoded'],
  ['payload that is a JSON string', form({ payload: '"block_actions"' }), 'application/x-www-form-urlencoded'],
  ['payload without a type', form({ payload: '{"user":{"id":"U0ALICE001"}}' }), 'application/x-www-form-urlencoded'],
  ['payload with an empty type', form({ payload: '{"type":""}' }), 'application/x-www-form-urlencoded'],
  ['block_actions without actions', form({ payload: '{"type":"block_actions","user":{"id":"U0ALICE001"}}' }), 'application/x-www-form-urlencoded'],
  ['block_actions with user null', form({ payload: '{"type":"block_actions","user":null,"actions":[]}' }), 'application/x-www-form-urlencoded'],
  ['view_submission with view null', form({ payload: '{"type":"view_submission","user":{"id":"U0ALICE001"},"view":null}' }), 'application/x-www-form-urlencoded'],
  ['view_submission whose view has no state or blocks', form({ payload: '{"type":"view_submission","user":{"id":"U0ALICE001"},"view":{"state":"x","callback_id":3}}' }), 'application/x-www-form-urlencoded'],
  ['two payload fields', 'payload=%7B%22type%22%3A%22shortcut%22%7D&payload=x', 'application/x-www-form-urlencoded'],
  ['JSON null', 'null', 'application/json'],
  ['JSON array', '[]', 'application/json'],
  ['JSON number', '7', 'application/json'],
  ['JSON string', '"url_verification"', 'application/json'],
  ['JSON without a type', '{"challenge":"x"}', 'application/json'],
  ['JSON with a numeric type', '{"type":5}', 'application/json'],
  ['JSON that does not parse', '{"type":', 'application/json'],
  ['an empty JSON body', '', 'application/json'],
  ['url_verification without a challenge', '{"type":"url_verification"}', 'application/json'],
  ['url_verification with challenge null', '{"type":"url_verification","challenge":null}', 'application/json'],
  ['url_verification with an object challenge', '{"type":"url_verification","challenge":{"a":1}}', 'application/json'],
  ['event_callback with event null', '{"type":"event_callback","event":null}', 'application/json'],
  ['event_callback without an event', '{"type":"event_callback"}', 'application/json'],
  ['a command sent as text/plain', form(command()), 'text/plain'],
  ['a command with no content type', form(command()), ''],
  ['JSON sent as a form', '{"type":"event_callback","event":{"type":"message"}}', 'application/x-www-form-urlencoded'],
  ['garbage form fields', form({ foo: 'bar', baz: '1' }), 'application/x-www-form-urlencoded'],
  ['an empty form', '', 'application/x-www-form-urlencoded'],
  ['a command name without a slash', form(command({ command: 'day2' })), 'application/x-www-form-urlencoded'],
  ['a command without user_id', form({ command: '/day2', channel_id: GENERAL }), 'application/x-www-form-urlencoded'],
  ['a command field given twice', `${form(command())}&command=%2Fother`, 'application/x-www-form-urlencoded'],
  ['percent-garbage', '%%%=%ZZ&&=&payload', 'application/x-www-form-urlencoded'],
];

describe('signed but malformed Slack requests', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    h.fake.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Example', tz: 'Europe/Berlin' });
  });
  afterEach(async () => {
    await h.close();
  });

  it.each(MALFORMED)('answers %s with a bare 400, dispatches nothing and keeps serving', async (_what, raw, contentType) => {
    // A content type of '' means the header is absent (fetch would add text/plain for a string).
    const res = contentType === '' ? await signedWithoutContentType(h, raw) : await h.fake.signedRequest(h.appUrl, '/slack/events', raw, { contentType });
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(/\bat \S+ \(|Error|<html|node_modules/i);
    expect(h.events).toEqual([]);
    // The process is still up and still takes a well-formed command.
    const ok = await h.fake.sendCommand({ command: '/day2', text: 'help', user_id: ALICE, channel_id: GENERAL });
    expect(ok.status).toBe(200);
    expect(h.events).toHaveLength(1);
  });

  it('checks the signature before the shape: an unsigned payload=null is a 401, not a 400', async () => {
    const res = await h.fake.signedRequest(h.appUrl, '/slack/events', 'payload=null', { secret: 'not-the-signing-secret' });
    expect(res.status).toBe(401);
  });

  it('accepts a form content type with a charset parameter (parsed as the form it is)', async () => {
    const res = await h.fake.signedRequest(h.appUrl, '/slack/events', form({ ...command(), trigger_id: h.fake.issueTrigger(), response_url: `${h.fake.url}/response/00` }), {
      contentType: 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(res.status).toBe(200);
    expect(h.events).toHaveLength(1);
  });
});

describe('Slack request timestamp window', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const now = () => Math.floor(Date.now() / 1000);
  const body = () => form({ ...command(), trigger_id: h.fake.issueTrigger(), response_url: `${h.fake.url}/response/00` });

  it('refuses a correctly signed request timestamped more than 5 minutes in the future (401, nothing runs)', async () => {
    const res = await h.fake.signedRequest(h.appUrl, '/slack/events', body(), { timestamp: now() + 6 * 60 });
    expect(res.status).toBe(401);
    expect(h.events).toEqual([]);
  });

  it('refuses one timestamped more than 5 minutes in the past (401, nothing runs)', async () => {
    const res = await h.fake.signedRequest(h.appUrl, '/slack/events', body(), { timestamp: now() - 6 * 60 });
    expect(res.status).toBe(401);
    expect(h.events).toEqual([]);
  });

  it('accepts clock skew inside the window in both directions', async () => {
    expect((await h.fake.signedRequest(h.appUrl, '/slack/events', body(), { timestamp: now() + 4 * 60 })).status).toBe(200);
    expect((await h.fake.signedRequest(h.appUrl, '/slack/events', body(), { timestamp: now() - 4 * 60 })).status).toBe(200);
    expect(h.events).toHaveLength(2);
  });

  it('refuses a non-numeric timestamp with 401', async () => {
    const raw = body();
    const res = await fetch(new URL('/slack/events', h.appUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': 'soon', 'x-slack-signature': h.fake.sign(raw, now()) },
      body: raw,
    });
    expect(res.status).toBe(401);
    expect(h.events).toEqual([]);
  });
});

/** A signed POST with no content-type header at all (fetch always sets one for a string body). */
async function signedWithoutContentType(h: Harness, raw: string): Promise<{ status: number; text: string }> {
  const { request } = await import('node:http');
  const ts = Math.floor(Date.now() / 1000);
  const url = new URL('/slack/events', h.appUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': h.fake.sign(raw, ts), 'content-length': Buffer.byteLength(raw) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(raw);
  });
}
