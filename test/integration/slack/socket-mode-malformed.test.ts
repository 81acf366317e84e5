/**
 * Socket Mode has no door in front of Bolt: in HTTP mode request-gate.ts refuses a malformed
 * body before Bolt sees it, but over the websocket whatever Slack (or anything holding the
 * connection) sends goes straight to @slack/socket-mode and Bolt. Malformed envelopes must not
 * end the process (it runs as a child here, as in production, so a crash is an exit, not a
 * test-runner warning), must be acknowledged when they carry an envelope id (Slack would
 * otherwise redeliver a payload that can never work), must show nobody a stack trace or raw
 * JSON, and must leave the connection working for the next real command.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack.js';
import { startBotProcess, type BotProcess } from '../../support/bot-process.js';
import { REDIS_URL } from '../../support/redis-env.js';

const ALICE = 'U0ALICE001';
const GENERAL = 'C0GENERAL1';

/** What must never reach a person: a stack frame or an error's own words ... */
const TRACE = /\bat \S+ \(|\n\s+at |node_modules|TypeError|ReferenceError|SyntaxError|Cannot read propert|undefined is not/;
/** ... or, in the text of a message, raw JSON. */
const DUMP = /\{"|\[object /;

/*
 * Malformed frames, each: a name, the text sent, and the envelope id it carries (acked) or
 * undefined (nothing to acknowledge: the frame is ignored).
 */
const id = () => randomUUID().replace(/-/g, '');
const frame = (body: Record<string, unknown>): [string, string] => {
  const envelope = id();
  return [JSON.stringify({ envelope_id: envelope, ...body }), envelope];
};
const CASES: [name: string, text: string, envelope: string | undefined][] = [
  ['not JSON', '{"envelope_id": "abc", "type": "slash_commands", ', undefined],
  ['JSON null', 'null', undefined],
  ['a JSON number', '42', undefined],
  ['a JSON string', '"slash_commands"', undefined],
  ['a JSON array', '[{"type":"slash_commands"}]', undefined],
  ['no envelope id', JSON.stringify({ type: 'slash_commands', payload: { command: '/day2', text: 'help', user_id: ALICE, channel_id: GENERAL } }), undefined],
  ['no type', ...frame({ payload: { command: '/day2' } })],
  ['an unknown type', ...frame({ type: 'telepathy', payload: {} })],
  ['events_api without a payload', ...frame({ type: 'events_api' })],
  ['events_api without an event', ...frame({ type: 'events_api', payload: { type: 'event_callback' } })],
  ['events_api with a null event', ...frame({ type: 'events_api', payload: { type: 'event_callback', event: null } })],
  ['slash_commands without a payload', ...frame({ type: 'slash_commands', accepts_response_payload: true })],
  ['slash_commands with a null payload', ...frame({ type: 'slash_commands', payload: null, accepts_response_payload: true })],
  ['slash_commands with an empty payload', ...frame({ type: 'slash_commands', payload: {}, accepts_response_payload: true })],
  ['slash_commands without user or channel', ...frame({ type: 'slash_commands', payload: { command: '/day2', text: 'help' }, accepts_response_payload: true })],
  ['slash_commands with wrong types', ...frame({ type: 'slash_commands', payload: { command: 42, text: { a: 1 }, user_id: [ALICE], channel_id: null, trigger_id: 7 }, accepts_response_payload: true })],
  ['slash_commands whose text is not a string', ...frame({ type: 'slash_commands', payload: { command: '/day2', text: { a: 1 }, user_id: ALICE, channel_id: GENERAL, trigger_id: 7 }, accepts_response_payload: true })],
  ['interactive with a string payload', ...frame({ type: 'interactive', payload: 'garbage', accepts_response_payload: true })],
  ['interactive with a null payload', ...frame({ type: 'interactive', payload: null, accepts_response_payload: true })],
  ['interactive block_actions without actions or user', ...frame({ type: 'interactive', payload: { type: 'block_actions' }, accepts_response_payload: true })],
  ['interactive block_actions with garbage actions', ...frame({ type: 'interactive', payload: { type: 'block_actions', user: 'alice', actions: 'click', container: 5 }, accepts_response_payload: true })],
  ['interactive view_submission without a view', ...frame({ type: 'interactive', payload: { type: 'view_submission', user: { id: ALICE } }, accepts_response_payload: true })],
  ['interactive view_submission with a garbage view', ...frame({ type: 'interactive', payload: { type: 'view_submission', user: { id: ALICE }, view: { state: 'x', blocks: 'y', callback_id: 3 } }, accepts_response_payload: true })],
  ['interactive of an unknown type', ...frame({ type: 'interactive', payload: { type: 'telepathy', user: { id: ALICE } }, accepts_response_payload: true })],
];

let slack: FakeSlack;
let bot: BotProcess;
let prefix: string;

beforeAll(async () => {
  slack = await startFakeSlack();
  slack.addUser({ id: ALICE, name: 'alice', real_name: 'Alice Admin', tz: 'UTC' });
  prefix = `t-sock-${randomUUID().slice(0, 8)}`;
  const configFile = join(await mkdtemp(join(tmpdir(), 'day2-socket-')), 'day2.yaml');
  await writeFile(configFile, `timezone: UTC\nredisPrefix: ${prefix}\npeople:\n  - { id: alice, name: Alice Admin, slack: ${ALICE}, timezone: UTC }\nroles: { admin: [alice] }\n`);
  bot = await startBotProcess({
    name: 'socket-malformed',
    configFile,
    redisUrl: REDIS_URL,
    env: { SLACK_BOT_TOKEN: slack.token, SLACK_APP_TOKEN: slack.appToken, SLACK_API_URL: slack.apiUrl, DAY2_CONSOLE: 'false', DAY2_ACTION_SECRET: 'socket-malformed-secret-0123456789' },
  });
  const deadline = Date.now() + 10_000;
  while (slack.socketCount === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}, 60_000);

afterAll(async () => {
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  await slack?.close();
  const plain = new Redis(REDIS_URL);
  const keys = await plain.keys(`*${prefix}*`);
  if (keys.length) await plain.del(...keys);
  await plain.quit();
});

/** The bot's answer to a real command, proving it is up and its connection still works. */
async function helpStillWorks(): Promise<void> {
  const { ack } = await slack.socketCommand({ command: '/day2', text: 'help', user_id: ALICE, channel_id: GENERAL });
  expect(ack).toMatchObject({ response_type: 'ephemeral' });
  expect(JSON.stringify(ack)).toContain('whoami');
}

describe('Slack Socket Mode: malformed envelopes', () => {
  it('answers a real command before any malformed envelope', async () => {
    await helpStillWorks();
  });

  it.each(CASES)('%s: the bot stays up, acks it only if it names an envelope, and still answers a real command', async (_name, text, envelope) => {
    const sent = slack.socketFrames.length;
    const ack = await slack.socketSendRaw(text, { envelopeId: envelope, waitMs: envelope ? 5000 : 300 });
    // Slack takes an empty ack as "received": nothing is shown to anyone, nothing is redelivered.
    if (envelope) expect(ack).toEqual({});
    await helpStillWorks();
    expect(bot.child.exitCode).toBeNull();
    // Every frame the bot sent is accounted for: that ack, if any, and the help answer.
    const frames = slack.socketFrames.slice(sent);
    expect(frames).toHaveLength(envelope ? 2 : 1);
    if (envelope) expect(JSON.parse(frames[0]!)).toEqual({ envelope_id: envelope, payload: {} });
  });

  it('posted nothing anywhere, leaked nothing, and logged no error for any of them', () => {
    expect(slack.callsTo('chat.postMessage')).toEqual([]);
    expect(slack.callsTo('chat.postEphemeral')).toEqual([]);
    expect(slack.responseUrlPosts).toEqual([]);
    for (const f of slack.socketFrames) {
      const payload = (JSON.parse(f) as { payload?: { text?: unknown } }).payload ?? {};
      expect(JSON.stringify(payload)).not.toMatch(TRACE);
      if (typeof payload.text === 'string') expect(payload.text).not.toMatch(DUMP);
    }
    // Refusals are warnings; an error line would mean a listener or the SDK threw on one.
    const errors = bot
      .output()
      .split('\n')
      .filter((l) => /"level":(50|60)\b|Unhandled|TypeError/.test(l));
    expect(errors).toEqual([]);
  });
});
