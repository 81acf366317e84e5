/**
 * Role-gated dialogs and buttons on Mattermost through the real dispatcher, directory, templates
 * and Redis: the submitter's and clicker's names (which role grants use) come from Mattermost by
 * user id, so an admin's form goes through, a non-admin's is refused, and a forged `user_name`
 * grants nothing.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { configSchema } from '../../../src/config.js';
import { Directory } from '../../../src/directory.js';
import { createDispatcher } from '../../../src/dispatch/dispatcher.js';
import { defineButton, defineCommand, defineFamily, defineForm } from '../../../src/dispatch/define.js';
import type { Services } from '../../../src/dispatch/services.js';
import { silentLogger } from '../../../src/log.js';
import { createMetrics } from '../../../src/metrics.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';
import { createAuditLog } from '../../../src/store/audit.js';
import { redisEnv, type RedisEnv } from '../../support/redis-env.js';
import { COMMAND_TOKEN, eventually, startHarness, type Harness } from './harness.js';

const config = configSchema.parse({
  people: [
    { id: 'alice', name: 'Alice', mattermost: 'alice' },
    { id: 'bob', name: 'Bob', mattermost: 'bob' },
  ],
  roles: { admin: ['alice'] },
});

/** `/gate open` (anyone) opens an admin-only form; `gateWipe` is an admin-only button. */
function gateFamily(ran: string[]) {
  return defineFamily({
    name: 'gate',
    aliases: ['/gate'],
    summary: 'Role gate test family',
    commands: [
      defineCommand({
        name: 'open',
        summary: 'Open the admin form',
        usage: 'open',
        examples: ['/gate open'],
        args: z.object({}),
        positional: [],
        role: 'anyone',
        mutates: false,
        async handler(ctx) {
          await ctx.openForm({ formId: 'gateForm', title: 'Admin form', submitLabel: 'Go', state: 'st', fields: [{ name: 'note', label: 'Note', type: 'text', required: true }] });
          return {};
        },
      }),
    ],
    buttons: [
      defineButton({
        actionId: 'gateWipe',
        role: 'admin',
        mutates: true,
        async handler(ctx, value) {
          ran.push(`button ${value} by ${ctx.caller.person?.id}`);
          return ctx.ok('wiped');
        },
      }),
    ],
    forms: [
      defineForm({
        formId: 'gateForm',
        role: 'admin',
        mutates: true,
        schema: z.object({ note: z.string() }),
        async handler(ctx, values) {
          ran.push(`form ${values.note} by ${ctx.caller.person?.id}`);
          return ctx.ok('saved');
        },
      }),
    ],
  });
}

describe('Mattermost role gates with identity from the API', () => {
  let renderer: Renderer;
  let h: Harness;
  let env: RedisEnv;
  let ran: string[];

  beforeAll(async () => {
    renderer = await createRenderer();
  });
  beforeEach(async () => {
    h = await startHarness();
    env = await redisEnv();
    ran = [];
    const directory = new Directory(config);
    const services: Services = {
      config: () => config,
      directory: () => directory,
      redis: env.redis,
      renderer,
      audit: createAuditLog(env.redis),
      openForm: (event, form) => h.adapter.openForm(event.triggerId!, form, { channelId: event.channel.id, userId: event.user.id }),
    };
    h.handler = createDispatcher({ families: [gateFamily(ran)], services, metrics: createMetrics({ defaultMetrics: false }), log: silentLogger });
  });
  afterEach(async () => {
    await h.close();
    await env.cleanup();
  });

  async function submitAs(userId: string) {
    await h.fake.sendCommand(h.appUrl, { command: '/gate', text: 'open', token: COMMAND_TOKEN, user_id: userId, channel_id: h.town.id });
    const dialog = h.fake.dialogs.find((d) => d.user_id === userId)!;
    return h.fake.submitDialog(dialog, { submission: { note: 'hello' } });
  }

  it('runs a role-gated form submitted by an admin', async () => {
    const res = await submitAs(h.alice.id);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
    expect(ran).toEqual(['form hello by alice']);
  });

  it('refuses a role-gated form submitted by a non-admin, and runs nothing', async () => {
    await submitAs(h.bob.id);
    const note = await eventually(() => h.fake.ephemerals.find((e) => e.user_id === h.bob.id && /admin/i.test(e.message)), 'the refusal');
    expect(note.message).toMatch(/role/i);
    expect(ran).toEqual([]);
  });

  it('grants nothing to a click whose body claims the admin user_name', async () => {
    const ref = await h.adapter.post(h.town.id, { body: 'Danger', summary: 'Danger', key: 'gate-1', buttons: [{ actionId: 'gateWipe', label: 'Wipe', value: 'all' }] });
    const post = h.fake.posts.get(ref.messageId)!;
    const forged = await h.fake.clickButton(post, 'gateWipe', { user_id: h.bob.id, user_name: 'alice' });
    expect((forged.body as { ephemeral_text?: string }).ephemeral_text).toMatch(/role/i);
    expect(ran).toEqual([]);
    await h.fake.clickButton(h.fake.posts.get(ref.messageId)!, 'gateWipe', { user_id: h.alice.id });
    expect(ran).toEqual(['button all by alice']);
  });
});
