/**
 * What every part of the on-duty groups shares: their log and sync counter, a rotation's group
 * targets and platforms, and `request`, which plans a sync of a rotation's groups.
 */
import { Counter } from 'prom-client';
import type { RotationEntry } from '../../domain/oncall/config.js';
import { dutyGroupTargets, type DutyGroupTargets } from '../../domain/oncall/duty-group-config.js';
import { KIND, type DutyGroupDeps } from './duty-group-types.js';

export type DutyGroupShared = ReturnType<typeof dutyGroupShared>;

export const timerId = (rotationId: string, at: number) => `${rotationId}.${at}`;
export const platformsOf = (t: DutyGroupTargets) => (['slack', 'mattermost'] as const).filter((p) => t[p] !== undefined);

export function dutyGroupShared(deps: DutyGroupDeps) {
  const { oncall, scheduler } = deps;
  const log = deps.log.child({ part: 'duty-groups' });
  const syncs = new Counter({
    name: 'day2_duty_group_syncs_total',
    help: 'On-duty group syncs by platform and outcome (updated, unchanged, skipped, retried, failed)',
    labelNames: ['platform', 'outcome'],
    registers: deps.metrics ? [deps.metrics.registry] : [],
  });

  const targetsOf = (entry: RotationEntry): DutyGroupTargets => {
    const team = oncall.team(entry.team);
    return team ? dutyGroupTargets(entry.dutyGroup, team) : {};
  };

  async function request(rotationId: string, at: Date): Promise<void> {
    const entry = oncall.entry(rotationId);
    if (!entry?.dutyGroup) return;
    const ms = at.getTime();
    await scheduler.at(KIND, timerId(rotationId, ms), at, { rotationId, at: ms, attempt: 0 });
  }

  return { log, syncs, targetsOf, request };
}
