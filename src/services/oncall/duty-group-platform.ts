/**
 * One platform's part of an on-duty group sync: what the group should show (members for a Slack
 * user group, a line for a Mattermost channel header), skipped when its fingerprint equals what
 * the platform was last made to show, and the outcome recorded: done, or the wait before trying
 * a rate-limited or transient failure again.
 */
import { createHash } from 'node:crypto';
import type { ChatAdapter, DutyGroupSpec } from '../../chat/port.js';
import type { RotationEntry } from '../../domain/oncall/config.js';
import type { DutyGroupTargets } from '../../domain/oncall/duty-group-config.js';
import { Day2Error, RateLimitedError } from '../../errors.js';
import type { DutyGroupShared } from './duty-group-shared.js';
import { BACKOFF_MS, MAX_ATTEMPTS, SYNCED_TTL_MS, type DutyGroupDeps, type DutyNow } from './duty-group-types.js';

/** Outcome of one platform: done (any outcome but "try again"), or the wait before trying again. */
export type Outcome = { retryMs?: number };

type GroupPlatform = 'slack' | 'mattermost';
type GroupTarget = NonNullable<DutyGroupTargets['slack']>;

/** One platform's sync of one rotation's group, as the timer asked for it. */
export interface PlatformSync {
  entry: RotationEntry;
  platform: GroupPlatform;
  target: GroupTarget;
  now: DutyNow;
  at: Date;
  attempt: number;
}

/** What the group should show, the fingerprint of it, and the people with no account to add. */
async function groupSpec(deps: DutyGroupDeps, adapter: ChatAdapter, job: PlatformSync): Promise<{ spec: DutyGroupSpec; fingerprint: string; missing: string[] }> {
  const { entry, platform, target, now } = job;
  const kind = adapter.capabilities.dutyGroup;
  const members: string[] = [];
  const missing: string[] = [];
  if (kind === 'usergroup') {
    for (const personId of now.people) {
      const handle = deps.config().people.find((p) => p.id === personId)?.[platform];
      const id = handle ? await adapter.userIdOf(handle) : undefined;
      if (id) members.push(id);
      else missing.push(personId);
    }
  }
  const zone = entry.timezone ?? deps.config().timezone;
  const line = deps.renderer.render('oncall/duty-line', {
    team: deps.oncall.team(entry.team)?.name ?? entry.team,
    slots: now.slots.map((s) => ({ slot: s.slot, person: s.person === null ? null : `person:${s.person}` })),
    until: now.nextChange ?? null,
  });
  const spec: DutyGroupSpec = { target: target.target, ...(target.create ? { create: target.create } : {}), members, line, render: { readerZone: zone } };
  // A user group shows members only; a header shows the line (whose "until" moves every handoff).
  const fingerprint = createHash('sha256')
    .update(JSON.stringify(kind === 'usergroup' ? { kind, target: spec.target, create: spec.create ?? null, members: [...members].sort() } : { kind, target: spec.target, line: line.body, zone }))
    .digest('hex');
  return { spec, fingerprint, missing };
}

export async function syncPlatform(deps: DutyGroupDeps, shared: DutyGroupShared, job: PlatformSync): Promise<Outcome> {
  const { entry, platform } = job;
  const adapter = deps.adapters.get(platform);
  if (!adapter || adapter.capabilities.dutyGroup === 'none') return {};
  const { spec, fingerprint, missing } = await groupSpec(deps, adapter, job);
  if ((await deps.store.synced(entry.id, platform)) === fingerprint) {
    shared.syncs.inc({ platform, outcome: 'skipped' });
    return {};
  }
  try {
    const result = await adapter.syncDutyGroup(spec);
    await recordSynced(deps, shared, job, fingerprint, missing, result.changed);
    return {};
  } catch (err) {
    return recordFailure(deps, shared, job, err);
  }
}

/** Remember what the platform shows now, and whether anyone was left out. */
async function recordSynced(deps: DutyGroupDeps, shared: DutyGroupShared, job: PlatformSync, fingerprint: string, missing: string[], changed: boolean): Promise<void> {
  const { entry, platform, target, now, at } = job;
  const rlog = shared.log.child({ rotation: entry.id, platform, group: target.target });
  await deps.store.markSynced(entry.id, platform, fingerprint, SYNCED_TTL_MS);
  const reason = missing.length > 0 ? `no ${platform} account in people: for ${missing.join(', ')}, so they are not in the group` : undefined;
  await deps.store.setStatus(entry.id, platform, { ok: reason === undefined, at: at.toISOString(), target: target.target, ...(reason ? { reason } : {}) });
  if (reason) rlog.warn({ missing }, `on-call: on-duty group of ${entry.id} on ${platform} left people out: ${reason}`);
  shared.syncs.inc({ platform, outcome: changed ? 'updated' : 'unchanged' });
  if (changed) rlog.info({ people: now.people }, `on-call: on-duty group of ${entry.id} on ${platform} updated`);
}

/** A failure: tried again later when it may pass, else recorded for `/oncall who`. */
async function recordFailure(deps: DutyGroupDeps, shared: DutyGroupShared, job: PlatformSync, err: unknown): Promise<Outcome> {
  const { entry, platform, target, at, attempt } = job;
  const rlog = shared.log.child({ rotation: entry.id, platform, group: target.target });
  const e = err instanceof Day2Error ? err : undefined;
  if (e?.retryable && attempt + 1 < MAX_ATTEMPTS) {
    shared.syncs.inc({ platform, outcome: 'retried' });
    const retryMs = e instanceof RateLimitedError ? e.retryAfterMs : BACKOFF_MS * 2 ** attempt;
    rlog.info({ err: e.message, retryMs, attempt: attempt + 1 }, `on-call: on-duty group of ${entry.id} on ${platform} not updated yet; trying again`);
    return { retryMs };
  }
  const reason = err instanceof Error ? err.message : String(err);
  await deps.store.setStatus(entry.id, platform, { ok: false, at: at.toISOString(), target: target.target, reason });
  shared.syncs.inc({ platform, outcome: 'failed' });
  rlog.warn({ reason, code: e?.code }, `on-call: could not update the on-duty group of ${entry.id} on ${platform}: ${reason}`);
  return {};
}
