/**
 * Creating a cadence: `/cadence create` parses the spec and shows the next five occurrences as a
 * draft; the Confirm button saves it (Discard drops it). Nothing is saved before Confirm.
 */
import { z } from 'zod';
import { arg } from '../../src/dispatch/args.js';
import { defineButton, defineCommand } from '../../src/dispatch/define.js';
import type { ButtonDecl, CommandContext, CommandDecl } from '../../src/dispatch/types.js';
import { InputError } from '../../src/errors.js';
import { formatTime, type Cadence } from '../../src/domain/cadence/model.js';
import { isoDate } from '../../src/domain/cadence/occurrences.js';
import { parseCreateSpec } from './spec.js';
import { RecordConflictError } from '../../src/store/record.js';
import { localPartsOf } from '../../src/time/when.js';
import { applyOptions, callerId, channelLabels, formatIn, MANAGERS, name, noteOf, requireOccurs, rules, service } from './shared.js';

/** A new cadence with the defaults a create starts from, before its options are applied. */
function defaultCadence(ctx: CommandContext, cadenceName: string, spec: { schedule: string; rule: string; time: Cadence['time']; zone?: string }): Cadence {
  const cfg = ctx.services.config();
  const zone = spec.zone ?? ctx.caller.zone;
  const now = ctx.now();
  return {
    name: cadenceName,
    kind: 'announcement',
    schedule: spec.schedule,
    rule: spec.rule,
    time: spec.time,
    zone,
    start: isoDate(localPartsOf(now, zone)),
    channels: [{ platform: ctx.event.platform, channelId: ctx.event.channel.id }],
    reminders: cfg.cadence.reminders,
    duration: '1h',
    blocking: false,
    environments: [],
    invite: [],
    paused: false,
    skips: [],
    moves: {},
    source: 'chat',
    createdBy: callerId(ctx),
    createdAt: now.toISOString(),
    agenda: [],
  };
}

const create = defineCommand({
  name: 'create',
  summary: 'Create a cadence; shows the next five occurrences before saving',
  usage: 'create <name> <schedule> <HH:MM> [zone] [channels…] [kind=meeting|announcement|exercise] [title="…"] [holidays=<calendar>:skip|shift] [reminders=1d,1h] [blocking=yes] [env=…] [invite=pre,rele] [template=…]',
  examples: [
    '/cadence create platform-sync monthly 2nd tue 10:00 Europe/Berlin here kind=meeting',
    '/cadence create upgrade-window RRULE:FREQ=MONTHLY;BYDAY=-1FR 18:00 UTC blocking=yes',
  ],
  args: z.object({ name, spec: arg.rest({ hint: 'the schedule, time, zone, channels and options' }) }),
  positional: ['name', 'spec'],
  role: MANAGERS,
  mutates: true,
  async handler(ctx, args) {
    const svc = service(ctx);
    if (await svc.store.cadences.get(args.name)) throw new InputError(`a cadence named "${args.name}" already exists; pick another name or /cadence edit it`);
    const spec = parseCreateSpec(args.spec, rules(ctx));
    if (!spec.ok) throw new InputError(spec.problem);
    const draft = applyOptions(defaultCadence(ctx, args.name, spec.value), spec.value);
    const next = requireOccurs(ctx, draft);
    const id = await svc.store.saveDraft(draft);
    return {
      ...ctx.reply('cadence/preview', {
        cadence: { name: draft.name, title: draft.title ?? draft.name, kind: draft.kind, schedule: draft.schedule, time: formatTime(draft.time), zone: draft.zone },
        holidays: draft.holidays,
        zone: ctx.caller.zone,
        next: next.map((o) => ({ when: formatIn(o.at, ctx.caller.zone), note: noteOf(o, draft) })),
        channels: await channelLabels(ctx, draft.channels),
        reminders: draft.reminders,
        draft: id,
      }),
      // Nothing is saved until Confirm; the confirmation is what gets audited.
      changed: false,
    };
  },
});

const confirm = defineButton({
  actionId: 'cadenceConfirm',
  role: MANAGERS,
  mutates: true,
  async handler(ctx, value) {
    const svc = service(ctx);
    const draft = await svc.store.takeDraft(value);
    if (!draft) return { ...ctx.update('system/ok', { text: 'This preview has expired or was already used. Run /cadence create again.' }), changed: false };
    try {
      await svc.create(draft);
    } catch (e) {
      if (e instanceof RecordConflictError) return { ...ctx.update('system/ok', { text: `A cadence named "${draft.name}" was created meanwhile; nothing was saved.` }), changed: false };
      throw e;
    }
    const next = svc.upcoming(draft, 1, ctx.now())[0];
    // The preview was an answer to the caller alone, so its replacement is in their zone too.
    const created = ctx.render('cadence/created', { cadence: { name: draft.name, title: draft.title ?? draft.name }, next: next?.at ?? new Date(draft.createdAt) });
    return { updateMessage: { ...created, zone: ctx.caller.zone } };
  },
});

const discard = defineButton({
  actionId: 'cadenceDiscard',
  role: MANAGERS,
  mutates: false,
  async handler(ctx, value) {
    await service(ctx).store.takeDraft(value);
    return ctx.update('system/ok', { text: 'Discarded; nothing was saved.' });
  },
});

export const draftCommands: CommandDecl<any>[] = [create];
export const draftButtons: ButtonDecl[] = [confirm, discard];
