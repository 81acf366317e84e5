/**
 * Every command family Day2 loads. Add a family by importing its declaration here; the
 * dispatcher checks all of them at boot and refuses to start on any problem.
 */
import type { FamilyDecl } from '../src/dispatch/types.js';
import { cadenceFamily } from './cadence.js';
import { helpFamily } from './help.js';
import { noticeFamily } from './notice.js';
import { oncallFamily } from './oncall.js';
import { supportFamily } from './support.js';
import { tourFamily } from './tour.js';
import { onboardFamily } from './onboard.js';
import { releaseFamily } from './release.js';
import { systemFamily } from './system.js';

export const allFamilies: FamilyDecl[] = [helpFamily, systemFamily, noticeFamily, oncallFamily, supportFamily, tourFamily, onboardFamily, cadenceFamily, releaseFamily];
