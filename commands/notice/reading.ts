/**
 * `/notice list` and `show`: reading notices. Who may read an environment's notices is scoped
 * to the environment (readableEnvs), not to a role.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineCommand } from '../../src/dispatch/define.js';
import type { CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { envNameOf } from '../../src/domain/notice/notice.js';
import { ForbiddenError, InputError } from '../../src/errors.js';
import { noticeReader } from '../../src/services/notice/readers.js';
import { channelLabel, service } from './shared.js';

/** How many ledger rows /notice show lists before summing up the rest. */
const LEDGER_ROWS = 40;

/** Who may read an environment's notices here (src/services/notice/readers.ts, shared with the status page links). */
async function readableEnvs(ctx: CommandContext): Promise<(env: string) => boolean> {
  const caller = { roles: ctx.caller.roles, channel: ctx.event.channel, ...(ctx.caller.person ? { personId: ctx.caller.person.id } : {}) };
  return noticeReader(ctx.services.config(), await service(ctx).store.subscriptions(), caller);
}

const listCmd = defineCommand({
  name: 'list',
  summary: 'Active and upcoming notices (of the environments this channel follows; PREs and admins: theirs / all)',
  usage: 'list [env]',
  examples: ['/notice list', '/notice list prod-east'],
  args: z.object({ env: arg.text({ max: 63 }).optional() }),
  positional: ['env'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const env = a.env ? service(ctx).environment(a.env) : undefined;
    const may = await readableEnvs(ctx);
    const open = (await service(ctx).store.open()).filter((n) => (!a.env || n.env === a.env) && may(n.env));
    return ctx.reply('notices/list', {
      env: env?.id,
      envName: env?.name,
      notices: open.map((n) => ({ id: n.id, env: n.env, envName: envNameOf(n), classification: n.classification, kind: n.kind, status: n.status, severity: n.severity?.toUpperCase(), start: n.start, end: n.end, summary: n.summary })),
    });
  },
});

const show = defineCommand({
  name: 'show',
  summary: 'A notice: its timeline and delivery ledger (per channel delivered / pending / failed)',
  usage: 'show <id>',
  examples: ['/notice show 42'],
  args: z.object({ id: arg.text({ max: 12 }) }),
  positional: ['id'],
  role: 'anyone',
  mutates: false,
  async handler(ctx, a) {
    const s = service(ctx);
    const n = await s.store.get(a.id);
    if (!n) throw new InputError(`there is no notice ${JSON.stringify(a.id)}; /notice list shows the open ones`);
    if (!(await readableEnvs(ctx))(n.env)) throw new ForbiddenError(`Notice ${n.id} is about ${envNameOf(n)}: its PREs and admins may read it anywhere, others in a channel subscribed to ${n.env}.`);
    const ledger = await s.ledger(n.id);
    const counts = { total: ledger.length, delivered: 0, pending: 0, failed: 0 };
    for (const r of ledger) {
      if (r.state === 'delivered') counts.delivered++;
      else if (r.state === 'failed') counts.failed++;
      else counts.pending++;
    }
    // Failures first: they are what the reader came for.
    const order = { failed: 0, pending: 1, 'not queued': 1, delivered: 2 } as const;
    const rows = [...ledger].sort((x, y) => order[x.state] - order[y.state]).slice(0, LEDGER_ROWS);
    return ctx.reply('notices/show', {
      id: n.id,
      kind: n.kind,
      env: n.env,
      envName: envNameOf(n),
      status: n.status,
      summary: n.summary,
      declaredFrom: n.declaredFrom,
      impact: n.impact,
      postmortem: n.postmortem,
      classification: n.classification,
      rootRevision: n.rootRevision,
      updates: n.updates,
      timeline: n.timeline.map((e) => ({ at: e.at, status: e.status, text: e.text, by: e.by })),
      counts,
      rows: await Promise.all(rows.map(async (r) => ({ platform: r.target.platform, channel: await channelLabel(ctx, r.target.platform, r.target.channelId), state: r.state, revision: r.deliveredRevision, replies: `${r.repliesDelivered}/${n.updates}`, error: r.error }))),
      more: Math.max(0, ledger.length - rows.length),
    });
  },
});

/** The reading commands, in help order. */
export const readingCommands: CommandDecl<any>[] = [listCmd, show];
