/**
 * Shared test doubles for dispatch unit tests: a renderer that records what it was asked to
 * render, an in-memory run-once guard and audit log, and a small declared family.
 */
import { z } from 'zod';
import type { OutboundMessage } from '../../../src/chat/message.js';
import type { DispatchResult } from '../../../src/chat/port.js';
import type { Config } from '../../../src/config.js';
import { configSchema } from '../../../src/config.js';
import { Directory } from '../../../src/directory.js';
import { arg } from '../../../src/dispatch/args.js';
import { defineButton, defineCommand, defineForm } from '../../../src/dispatch/define.js';
import type { Services } from '../../../src/dispatch/services.js';
import type { FamilyDecl } from '../../../src/dispatch/types.js';
import type { Renderer } from '../../../src/render/renderer.js';
import type { AuditEntry, AuditLog, StoredAuditEntry } from '../../../src/store/audit.js';
import type { Claim, Dedupe } from '../../../src/store/dedupe.js';
import type { RedisClient } from '../../../src/store/redis.js';

/** Renders `{ summary: name, body: JSON of data }` so tests can read both back. */
export function recordingRenderer(): Renderer & { rendered: { name: string; data: Record<string, unknown> }[] } {
  const rendered: { name: string; data: Record<string, unknown> }[] = [];
  return {
    rendered,
    has: () => true,
    render(name, data) {
      rendered.push({ name, data });
      return { summary: name, body: JSON.stringify(data) };
    },
  };
}

/** The template name and data behind a rendered reply. */
export function decode(message: OutboundMessage | undefined): { name: string; data: Record<string, unknown> } {
  if (!message) throw new Error('no message');
  return { name: message.summary, data: JSON.parse(message.body) as Record<string, unknown> };
}

export function memoryDedupe(): Dedupe & { markers: Map<string, { s: 'running'; t: string } | { s: 'done'; r: DispatchResult }> } {
  const markers = new Map<string, { s: 'running'; t: string } | { s: 'done'; r: DispatchResult }>();
  let n = 0;
  return {
    markers,
    async begin(key): Promise<Claim> {
      const m = markers.get(key);
      if (m?.s === 'done') return { state: 'done', result: m.r };
      if (m) return { state: 'running' };
      const token = `t${++n}`;
      markers.set(key, { s: 'running', t: token });
      return { state: 'new', token };
    },
    async finish(key, result) {
      markers.set(key, { s: 'done', r: result });
    },
    async release(key, token) {
      const m = markers.get(key);
      if (m?.s === 'running' && m.t === token) markers.delete(key);
    },
  };
}

export function memoryAudit(): AuditLog & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    async append(entry) {
      entries.push(entry);
      return `${entries.length}-0`;
    },
    async recent(n): Promise<StoredAuditEntry[]> {
      return entries.slice(-n).reverse().map((e, i) => ({ ...e, id: `${entries.length - i}-0` }));
    },
  };
}

export const testConfig: Config = configSchema.parse({
  timezone: 'UTC',
  people: [
    { id: 'alice', name: 'Alice', slack: 'U0ALICE', mattermost: 'alice', timezone: 'Europe/Berlin' },
    { id: 'bob', name: 'Bob', slack: 'U0BOB', mattermost: 'bob' },
  ],
  roles: { admin: ['alice'], pre: ['slack-group:S0PRES'] },
});

export function testServices(overrides: Partial<Services> = {}): Services & { renderer: ReturnType<typeof recordingRenderer>; audit: ReturnType<typeof memoryAudit> } {
  const directory = new Directory(testConfig);
  return {
    config: () => testConfig,
    directory: () => directory,
    // Unit tests pass their own dedupe; nothing may touch Redis here.
    redis: new Proxy({}, { get: () => { throw new Error('unit tests must not use Redis'); } }) as RedisClient,
    renderer: recordingRenderer(),
    audit: memoryAudit(),
    openForm: async () => {},
    ...overrides,
  } as Services & { renderer: ReturnType<typeof recordingRenderer>; audit: ReturnType<typeof memoryAudit> };
}

/** A small family exercising every argument style. `calls` records handler runs. */
export function demoFamily(calls: unknown[] = []): FamilyDecl {
  return {
    name: 'demo',
    aliases: ['/demo'],
    summary: 'Demo family for tests',
    commands: [
      defineCommand({
        name: 'show',
        summary: 'Show something',
        usage: 'show <env> [count]',
        examples: ['/day2 demo show prod', '/demo show staging 3'],
        args: z.object({ env: arg.enum(['prod', 'staging']), count: arg.int({ min: 1, max: 10 }).optional() }),
        positional: ['env', 'count'],
        role: 'anyone',
        mutates: false,
        async handler(ctx, args) {
          calls.push(['show', args]);
          return ctx.ok(`showing ${args.env}`);
        },
      }),
      defineCommand({
        name: 'schedule',
        summary: 'Schedule a note',
        usage: 'schedule <at> <text…> [env=<env>] [--loud]',
        examples: ['/demo schedule tomorrow 14:00 deploy the thing', '/demo schedule env=prod --loud now "quoted text"'],
        args: z.object({ at: arg.when(), text: arg.rest(), env: arg.enum(['prod', 'staging']).optional(), loud: arg.flag() }),
        positional: ['at', 'text'],
        role: ['pre', 'admin'],
        mutates: true,
        async handler(ctx, args) {
          calls.push(['schedule', args]);
          return ctx.ok('scheduled');
        },
      }),
      defineCommand({
        name: 'boom',
        summary: 'Always fails',
        usage: 'boom',
        examples: [],
        args: z.object({}),
        positional: [],
        role: 'anyone',
        mutates: true,
        async handler() {
          calls.push(['boom']);
          throw new Error('secret internal detail');
        },
      }),
    ],
    buttons: [
      defineButton({
        actionId: 'demoAck',
        role: 'admin',
        mutates: true,
        async handler(ctx, value) {
          calls.push(['ack', value]);
          return ctx.update('system/ok', { text: `acked ${value}` });
        },
      }),
    ],
    forms: [
      defineForm({
        formId: 'demoForm',
        role: 'anyone',
        mutates: true,
        schema: z.object({ title: arg.text({ max: 20 }), count: arg.int({ min: 1 }) }),
        async handler(ctx, values, state) {
          calls.push(['form', values, state]);
          if (values.title === 'taken') return { formErrors: { title: 'that title is taken' } };
          return ctx.ok('saved');
        },
      }),
      defineForm({
        formId: 'demoDraft',
        role: 'anyone',
        mutates: true,
        schema: z.object({ title: arg.text({ max: 20 }) }),
        async handler(ctx, values, state) {
          calls.push(['draft-submit', values, state]);
          return ctx.ok('submitted');
        },
        async onClose(ctx, values, state) {
          calls.push(['draft-closed', values, state]);
          return ctx.ok('kept');
        },
      }),
    ],
  };
}
