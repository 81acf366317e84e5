/**
 * `/oncall …` (also `/day2 oncall …`): who is on duty, the resolved schedule, my turns, covers
 * (overrides) and leave. Every answer reads the resolved schedule (src/domain/oncall/resolve.ts).
 *
 * Who may change what: a team's managers and admins may override anyone in their team; a team
 * member may put themselves on cover. Leave: the person themselves, a manager of one of their
 * teams, or an admin. The declarations let anyone in; the handlers make the scoped check.
 *
 * The declarations live next to this file by concern (schedule, overrides, swaps, queue,
 * reports; shared.ts holds what they all use); this file assembles the family in help order.
 */
import { defineFamily } from '../../src/dispatch/define.js';
import { overrideButtons, overrideCommands } from './overrides.js';
import { queueButtons, queueCommands } from './queue.js';
import { reportCommands } from './reports.js';
import { scheduleCommands } from './schedule.js';
import { swapButtons, swapCommands } from './swaps.js';
import { pageButtons, pageCommands } from './pages.js';

export const oncallFamily = defineFamily({
  name: 'oncall',
  aliases: ['/oncall'],
  summary: 'Tribute / on-call rotations: who is on duty, schedules, covers and leave',
  // who, schedule, me, override, leave, swap, unswap, add, remove, stats, ical
  commands: [...scheduleCommands, ...overrideCommands, ...swapCommands, ...queueCommands, ...reportCommands, ...pageCommands],
  buttons: [...overrideButtons, ...swapButtons, ...queueButtons, ...pageButtons],
});
