/**
 * A known scenario for the web pages, made through the bot as people would make it (signed Slack
 * slash commands and button clicks on the fake Slack, real Redis and workers): an outage on
 * prod-east with two updates, a Payments rotation with a cover (override) tomorrow and a gap the
 * day after (both members on leave), and a release proposed into a freeze (a conflict). The links
 * come from `/day2 web`, as a person would get them.
 */
import { expect } from 'vitest';
import { addLocalDays, localPartsOf } from '../../src/time/when.js';
import { SLACK_ALICE, SLACK_CHANNEL, startBotRig, type BotRig } from './bot-rig.js';

const ZONE = 'Europe/Berlin';

export interface WebWorld {
  rig: BotRig;
  noticeId: string;
  /** ISO dates (Berlin) of the cover, the gap and the release. */
  coverDay: string;
  gapDay: string;
  releaseDay: string;
  /** Path + query of Alice's link to a page (from `/day2 web`). */
  linkPath(page: 'status' | 'oncall' | 'calendar', id: string): Promise<string>;
  close(): Promise<void>;
}

const iso = (d: { year: number; month: number; day: number }) => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

export async function slackAnswer(rig: BotRig, command: string, text: string, user = SLACK_ALICE): Promise<{ text: string; blocks: unknown[] }> {
  const { status, body } = await rig.slack.commandAnswer({ command, text, user_id: user, channel_id: SLACK_CHANNEL });
  expect(status).toBe(200);
  return { text: JSON.stringify(body), blocks: body.blocks ?? [] };
}

function buttonValue(blocks: unknown[], actionId: string): string {
  for (const b of blocks as { elements?: { action_id?: string; value?: string }[] }[]) {
    const hit = b.elements?.find((e) => e.action_id === actionId);
    if (hit?.value) return hit.value;
  }
  throw new Error(`no ${actionId} button`);
}

async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startWebWorld(): Promise<WebWorld> {
  const today = localPartsOf(new Date(), ZONE);
  const coverDay = iso(addLocalDays(today, 1));
  const gapDay = iso(addLocalDays(today, 2));
  const releaseDay = iso(addLocalDays(today, 4));
  const rig = await startBotRig({
    roles: '{ admin: [alice], rele: [alice] }',
    extraConfig: () => `
environments:
  - { id: prod-east, name: Production East, classification: "UNCLASSIFIED // FOUO", timezone: Europe/Berlin, pres: [alice], components: [api, db, web] }
  - { id: staging, name: Staging, public: true, pres: [alice] }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice], channels: { slack: [${SLACK_CHANNEL}] } }
rotations:
  - { id: payments-tribute, team: payments, timezone: Europe/Berlin, anchor: "2026-11-02 09:00", turn: 1d, members: [alice, bob] }
releases:
  apps:
    - { id: shop, name: Shop, owners: [alice] }
  hours: { days: [mon, tue, wed, thu, fri, sat, sun], from: "09:00", to: "17:00" }
`,
  });
  const preview = await slackAnswer(rig, '/notice', 'outage prod-east sev2 components=api API returns 503');
  const click = await rig.slack.clickButton({ actionId: 'noticeConfirm', value: buttonValue(preview.blocks, 'noticeConfirm'), user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL, message_ts: '1700000000.000100', isEphemeral: true });
  expect(click.status).toBe(200);
  await until('the outage', async () => (await rig.bot.services.notices!.store.open()).length === 1);
  const noticeId = (await rig.bot.services.notices!.store.open())[0]!.id;
  expect((await slackAnswer(rig, '/notice', `update ${noticeId} identified Bad config push; rolling back`)).text).toMatch(/identified/i);
  expect((await slackAnswer(rig, '/notice', `update ${noticeId} monitoring Fix deployed, watching error rates`)).text).toMatch(/monitoring/i);
  expect((await slackAnswer(rig, '/oncall', `override payments @bob "${coverDay} 09:00" "${coverDay} 17:00"`)).text).toMatch(/is on duty for Payments/);
  for (const who of ['@alice', '@bob']) expect((await slackAnswer(rig, '/oncall', `leave ${who} "${gapDay} 00:00" "${iso(addLocalDays(today, 3))} 00:00"`)).text).not.toMatch(/error|usage/i);
  expect((await slackAnswer(rig, '/release', `freeze prod-east "${releaseDay} 08:00" "${releaseDay} 18:00" Quarter-end freeze`)).text).toMatch(/F1/);
  expect((await slackAnswer(rig, '/release', `propose shop 1.0.0 prod-east "${releaseDay} 11:00" 1h`)).text).toMatch(/R1/);
  return {
    rig,
    noticeId,
    coverDay,
    gapDay,
    releaseDay,
    async linkPath(page, id) {
      const a = await slackAnswer(rig, '/day2', `web ${page} ${id}`);
      const m = /https?:\/\/[^/\s"|>]+(\/[a-z]+\/[a-z0-9-]+\?link=[A-Za-z0-9._-]+)/.exec(a.text);
      if (!m) throw new Error(`no link in ${a.text}`);
      return m[1]!;
    },
    close: () => rig.close(),
  };
}
