/**
 * The Going / Maybe / Not going buttons on an occurrence's announcement: each records the
 * caller's answer for that occurrence (the button value is `<cadence>~<occurrence>`).
 */
import { defineButton } from '../../src/dispatch/define.js';
import type { ButtonDecl } from '../../src/dispatch/types.js';
import type { RsvpChoice } from '../../src/domain/cadence/model.js';
import { load, service } from './shared.js';

function rsvpButton(actionId: string, choice: RsvpChoice) {
  return defineButton({
    actionId,
    role: 'anyone',
    mutates: true,
    async handler(ctx, value) {
      const [cadenceName = '', occurrence = ''] = value.split('~');
      const key = ctx.caller.person ? `person:${ctx.caller.person.id}` : `${ctx.event.platform}:${ctx.event.user.id}`;
      const displayName = ctx.caller.person?.name ?? ctx.event.user.name ?? ctx.event.user.id;
      const state = await service(ctx).rsvp(cadenceName, occurrence, { key, name: displayName, roles: [...ctx.caller.roles], user: { platform: ctx.event.platform, id: ctx.event.user.id } }, choice);
      if (!state) return { ...ctx.info('This occurrence is no longer open for answers.'), changed: false };
      const c = await load(ctx, cadenceName);
      return ctx.reply('cadence/rsvp', { choice: choice.replace('-', ' '), cadence: { title: c.title ?? c.name }, at: new Date(state.at) });
    },
  });
}

export const rsvpButtons: ButtonDecl[] = [rsvpButton('cadenceGoing', 'going'), rsvpButton('cadenceMaybe', 'maybe'), rsvpButton('cadenceNotGoing', 'not-going')];
