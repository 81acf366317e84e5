/**
 * Every command family Day2 loads. Add a family by importing its declaration here; the
 * dispatcher checks all of them at boot and refuses to start on any problem.
 */
import type { SlashCommandSpec } from '../src/chat/port.js';
import { slashCommandsFor } from '../src/dispatch/slash-commands.js';
import type { FamilyDecl } from '../src/dispatch/types.js';
import { cadenceFamily } from './cadence/index.js';
import { helpFamily } from './help.js';
import { noticeFamily } from './notice/index.js';
import { oncallFamily } from './oncall/index.js';
import { supportFamily } from './oncall/support.js';
import { tourFamily } from './tour.js';
import { onboardFamily } from './onboard/index.js';
import { releaseFamily } from './release.js';
// The feature members of the handlers' services container.
import type {} from './services.js';
import { systemFamily } from './system.js';

export const allFamilies: FamilyDecl[] = [helpFamily, systemFamily, noticeFamily, oncallFamily, supportFamily, tourFamily, onboardFamily, cadenceFamily, releaseFamily];

/** The slash commands Day2 registers on Mattermost: derived from the families above. */
export const DAY2_SLASH_COMMANDS: readonly SlashCommandSpec[] = slashCommandsFor(allFamilies);
