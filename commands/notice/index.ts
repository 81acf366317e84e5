/**
 * `/notice …` (also `/day2 notice …`): outage, maintenance and deploy notices for an
 * environment, sent to every channel subscribed to it on Slack and Mattermost.
 *
 * Posting and changing a notice, and (un)subscribing a channel, take a PRE *of that
 * environment* or an admin: the declaration lets PREs in, the handler checks the environment.
 * A new notice is a draft first: its author sees the audience and confirms with a button.
 *
 * The declarations live next to this file by concern (drafts, changes, reading, following;
 * shared.ts holds what they all use); this file assembles the family in help order.
 */
import { defineFamily } from '../../src/dispatch/define.js';
import { changeButtons, changeCommands, changeForms } from './changes.js';
import { draftButtons, draftCommands } from './drafts.js';
import { followingCommands } from './following.js';
import { readingCommands } from './reading.js';

export const noticeFamily = defineFamily({
  name: 'notice',
  aliases: ['/notice'],
  summary: 'Outage, maintenance and deploy notices to every channel subscribed to an environment',
  // outage, maintenance, deploy, update, extend, complete, cancel, list, show, subscribe, unsubscribe, subscriptions, ical
  commands: [...draftCommands, ...changeCommands, ...readingCommands, ...followingCommands],
  buttons: [...draftButtons, ...changeButtons],
  forms: [...changeForms],
});
