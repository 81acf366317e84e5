/**
 * `/cadence` (also `/day2 cadence`): recurring announcements, meetings and resiliency exercises.
 * Creating shows the next five occurrences in the creator's zone and saves nothing until the
 * Confirm button; every change re-plans the cadence's timers (src/services/cadence/service.ts).
 *
 * The declarations live by concern next to this file: drafts.ts (create and its Confirm/Discard
 * buttons), browse.ts (list, show), occurrences.ts (skip, move), manage.ts (pause, resume,
 * delete, edit), agenda.ts, follow-up.ts (notes, action, done) and rsvp.ts; shared.ts holds what
 * they all use. The order below is the order of the help output.
 */
import { defineFamily } from '../../src/dispatch/define.js';
import { agendaCommands } from './agenda.js';
import { browseCommands } from './browse.js';
import { draftButtons, draftCommands } from './drafts.js';
import { followUpCommands } from './follow-up.js';
import { manageCommands } from './manage.js';
import { occurrenceCommands } from './occurrences.js';
import { rsvpButtons } from './rsvp.js';

export const cadenceFamily = defineFamily({
  name: 'cadence',
  aliases: ['/cadence'],
  summary: 'Recurring announcements, meetings and resiliency exercises, DST-safe and holiday-aware',
  commands: [...draftCommands, ...browseCommands, ...occurrenceCommands, ...manageCommands, ...agendaCommands, ...followUpCommands],
  buttons: [...draftButtons, ...rsvpButtons],
});
