/**
 * `/notice outage`, `maintenance` and `deploy`, and the Confirm / Discard buttons of their draft:
 * a new notice is a draft first, whose author sees the audience and confirms it.
 */
import { z } from 'zod';
import { countByPlatform } from '../../src/domain/notice/audience.js';
import { SEVERITIES } from '../../src/domain/notice/notice.js';
import { arg, parseDuration, parseWhen } from '../../src/dispatch/args.js';
import { defineButton, defineCommand } from '../../src/dispatch/define.js';
import type { ButtonDecl, CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { InputError, dated } from '../../src/errors.js';
import type { NoticeService } from '../../src/services/notice/service.js';
import { addDuration, resolveWhen } from '../../src/time/when.js';
import { PRE_OR_ADMIN, authorOf, components, componentsArg, preOf, service } from './shared.js';

/** A draft and its preview with Confirm / Discard (also the page's "Declare outage" button). */
export async function preview(ctx: CommandContext, input: Parameters<NoticeService['draft']>[0]) {
  const { draft, counts } = await service(ctx).draft(input, ctx.now());
  return ctx.reply('notices/preview', { ...draft, counts, noAudience: counts.total === 0 });
}


const outage = defineCommand({
  name: 'outage',
  summary: 'Announce an outage in an environment (preview, then confirm)',
  usage: 'outage <env> <sev1|sev2|sev3|sev4> [components=api,db] <summary>',
  examples: ['/notice outage prod-east sev2 API returns 503 for some tenants', '/notice outage prod-east sev1 components=api,db "Database failover in progress"'],
  args: z.object({ env: arg.text({ max: 63 }), severity: arg.enum(SEVERITIES), summary: arg.rest({ max: 1000 }), components: componentsArg }),
  positional: ['env', 'severity', 'summary'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    return preview(ctx, { env: env.id, kind: 'outage', severity: a.severity, summary: a.summary, components: components(a.components), author: authorOf(ctx) });
  },
});

const maintenance = defineCommand({
  name: 'maintenance',
  summary: 'Announce a maintenance window or upgrade (reminders, start and end follow by themselves)',
  usage: 'maintenance <env> <start> <end|duration> [components=api] <summary>',
  examples: ['/notice maintenance prod-east "2030-12-01 09:00" 2h Database upgrade to 16.4', '/notice maintenance staging tomorrow 90m components=api Kernel patching', '/notice maintenance staging "2030-12-01 22:00" "2030-12-02 02:00" Network switch replacement'],
  args: z.object({ env: arg.text({ max: 63 }), start: arg.when(), end: arg.text({ max: 40, hint: 'a duration such as 2h, or an end time such as "2030-12-01 11:00"' }), summary: arg.rest({ max: 1000 }), components: componentsArg }),
  positional: ['env', 'start', 'end', 'summary'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const now = ctx.now();
    const zone = ctx.caller.zone;
    const start = resolveWhen(a.start, zone, now);
    if (start.getTime() < now.getTime() - 60_000) throw new InputError(dated`the start (${start}) is in the past; a maintenance window must start now or later`);
    const d = parseDuration(a.end);
    let end: Date;
    if (d.ok) end = addDuration(start, d.value, zone);
    else {
      const w = parseWhen(a.end);
      if (!w.ok) throw new InputError(`"${a.end}" is neither a duration (2h, 90m) nor an end time ("2030-12-01 11:00")`);
      end = resolveWhen(w.value, zone, now);
    }
    return preview(ctx, { env: env.id, kind: 'maintenance', summary: a.summary, components: components(a.components), start, end, author: authorOf(ctx) });
  },
});

const deploy = defineCommand({
  name: 'deploy',
  summary: 'Announce a new service deployment',
  usage: 'deploy <env> <service> <version> [notes]',
  examples: ['/notice deploy prod-east billing-api 2.14.0', '/notice deploy staging search 1.3.0-rc1 New ranking model behind a flag'],
  args: z.object({ env: arg.text({ max: 63 }), service: arg.text({ max: 100 }), version: arg.text({ max: 100 }), notes: arg.rest({ max: 1000 }).optional() }),
  positional: ['env', 'service', 'version', 'notes'],
  role: PRE_OR_ADMIN,
  mutates: false,
  async handler(ctx, a) {
    const env = preOf(ctx, a.env);
    const input: Parameters<NoticeService['draft']>[0] = { env: env.id, kind: 'deploy', service: a.service, version: a.version, summary: a.notes ?? `${a.service} ${a.version} is being deployed`, components: [a.service], author: authorOf(ctx) };
    if (a.notes) input.notes = a.notes;
    return preview(ctx, input);
  },
});

const confirm = defineButton({
  actionId: 'noticeConfirm',
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, draftId) {
    const s = service(ctx);
    const draft = await s.store.draft(draftId);
    if (!draft) throw new InputError('this draft has expired or was discarded; run the command again');
    preOf(ctx, draft.value.env);
    const n = await s.confirm(draftId, ctx.now());
    // Declared from an alert page: the page links the notice (a second press links it again, harmlessly).
    if (n.alertPage) await ctx.services.alerts?.linkNotice(n.alertPage, n.id).catch((err: unknown) => ctx.log.warn({ err, notice: n.id, page: n.alertPage }, 'could not link the outage notice on its alert page'));
    return ctx.update('notices/sent', { id: n.id, total: n.audience.length, classification: n.classification, counts: countByPlatform(n.audience) });
  },
});

const discard = defineButton({
  actionId: 'noticeDiscard',
  role: PRE_OR_ADMIN,
  mutates: true,
  async handler(ctx, draftId) {
    const s = service(ctx);
    const draft = await s.store.draft(draftId);
    if (draft?.value.noticeId) throw new InputError(`this draft was already sent as notice ${draft.value.noticeId}`);
    if (draft) {
      preOf(ctx, draft.value.env);
      await s.store.deleteDraft(draftId);
    }
    return ctx.update('notices/discarded', {});
  },
});

/** The commands that start a notice, in help order, and the buttons that settle its draft. */
export const draftCommands: CommandDecl<any>[] = [outage, maintenance, deploy];
export const draftButtons: ButtonDecl[] = [confirm, discard];
