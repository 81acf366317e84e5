/**
 * Keeps each rotation's on-duty group current (`rotations[].dutyGroup`): a Slack user group whose
 * members are the people on duty, a line in a Mattermost channel header. What counts as on duty
 * is the resolved schedule (overrides, swaps, leave, member edits), never the raw rotation.
 *
 *   oncall-duty-sync   timer id `<rotation>.<instant>`: make every platform show who is on duty
 *                      at that instant (or now, when the worker is late). Requested by the handoff
 *                      timer, by every change to a rotation, at start-up and by the hourly re-plan;
 *                      each run plans the next instant the people on duty change, so a restricted
 *                      rotation going off duty for the night empties the group too.
 *
 * A sync is idempotent and cheap when nothing changed: the fingerprint of what each platform was
 * last made to show is kept in Redis, and an equal one skips the platform call. A rotation is
 * synced by one worker at a time (a Redis lock), so a slower, older run never overwrites a newer
 * one. Failures never reach the handoff: a 429 or a transient error is tried again (after
 * Retry-After, or with backoff) by moving the same timer; anything else is logged with its reason,
 * counted, and shown under `/oncall who` until a later sync succeeds.
 */
import { createHash } from 'node:crypto';
import { Counter } from 'prom-client';
import { z } from 'zod';
import type { ChatAdapter, DutyGroupSpec, Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import type { RotationEntry } from '../../domain/oncall/config.js';
import { dutyGroupTargets, type DutyGroupTargets } from '../../domain/oncall/duty-group-config.js';
import { Day2Error, RateLimitedError } from '../../errors.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { DutyGroupStore } from '../../store/oncall/duty-group-store.js';
import type { OncallService } from './service.js';
import type { Scheduler } from '../../delivery/scheduler.js';

const KIND = 'oncall-duty-sync';
/** Longest a sync may hold its rotation's lock (a few platform calls, each with its own timeout). */
const LOCK_MS = 60_000;
/** How soon a sync that found the lock taken looks again. */
const LOCK_WAIT_MS = 2_000;
/** Tries for rate-limited and transient failures before the failure is reported. */
const MAX_ATTEMPTS = 6;
const BACKOFF_MS = 5_000;
/** A remembered state expires, so a group changed by hand in the platform is put right within a day. */
const SYNCED_TTL_MS = 24 * 3_600_000;

const timerData = z.object({ rotationId: z.string(), at: z.number(), attempt: z.int().min(0).default(0) });

export interface DutyGroupDeps {
  oncall: OncallService;
  scheduler: Scheduler;
  adapters: ReadonlyMap<Platform, ChatAdapter>;
  renderer: Renderer;
  store: DutyGroupStore;
  config: () => Config;
  log: Logger;
  clock: () => Date;
  metrics?: Metrics;
}

export interface DutyGroupProblem {
  platform: Platform;
  target: string;
  reason: string;
}

export interface DutyGroups {
  /** Sync the rotation's groups at `at` (at once if it is past). Does nothing without `dutyGroup`. */
  request(rotationId: string, at: Date): Promise<void>;
  /** Every configured rotation, now (start-up, hourly re-plan, config reload). */
  requestAll(): Promise<void>;
  /** What went wrong on each platform's last try (empty when all is in sync), for `/oncall who`. */
  problems(rotationId: string): Promise<DutyGroupProblem[]>;
}

/** Who is on duty at an instant, in slot order, and when that next changes. */
interface DutyNow {
  slots: { slot: string; person: string | null }[];
  people: string[];
  /** The next instant the set of people on duty changes, within the resolver's look-ahead. */
  nextChange?: Date;
}

export function createDutyGroups(deps: DutyGroupDeps): DutyGroups {
  const { oncall, scheduler, store } = deps;
  const log = deps.log.child({ part: 'duty-groups' });
  const syncs = new Counter({
    name: 'day2_duty_group_syncs_total',
    help: 'On-duty group syncs by platform and outcome (updated, unchanged, skipped, retried, failed)',
    labelNames: ['platform', 'outcome'],
    registers: deps.metrics ? [deps.metrics.registry] : [],
  });

  /** Who is on duty at `at`, per slot, and the next instant that changes. */
  async function dutyNow(rotationId: string, at: Date): Promise<DutyNow> {
    const slots: DutyNow['slots'] = [];
    let nextChange: Date | undefined;
    for (const d of await oncall.duty(rotationId, at)) {
      // Off duty (outside a restricted rotation's hours): the slot is not shown until it starts again.
      if (d.current) slots.push({ slot: d.slot, person: d.current.person });
      const change = !d.current ? d.next?.start : d.next ? d.until : d.until && (await stretchEnd(rotationId, d.slot, d.current.person, d.until));
      if (change && (!nextChange || change.getTime() < nextChange.getTime())) nextChange = change;
    }
    const people = [...new Set(slots.flatMap((s) => (s.person ? [s.person] : [])))];
    return { slots, people, ...(nextChange ? { nextChange } : {}) };
  }

  /**
   * When a holder with nobody after them within the resolver's look-ahead really stops: `until`
   * may only be where the look-ahead ended (a one-person queue never hands over). Looks a few
   * look-aheads further; undefined when the same holder goes on beyond that.
   */
  async function stretchEnd(rotationId: string, slot: string, person: string | null, until: Date): Promise<Date | undefined> {
    let t = until;
    for (let i = 0; i < 4; i++) {
      const later = (await oncall.duty(rotationId, t)).find((x) => x.slot === slot);
      if (!later?.current || later.current.person !== person) return t;
      if (!later.until) return undefined;
      if (later.next) return later.until;
      t = later.until;
    }
    return undefined;
  }

  const targetsOf = (entry: RotationEntry): DutyGroupTargets => {
    const team = oncall.team(entry.team);
    return team ? dutyGroupTargets(entry.dutyGroup, team) : {};
  };
  const platformsOf = (t: DutyGroupTargets) => (['slack', 'mattermost'] as const).filter((p) => t[p] !== undefined);
  const timerId = (rotationId: string, at: number) => `${rotationId}.${at}`;

  async function request(rotationId: string, at: Date): Promise<void> {
    const entry = oncall.entry(rotationId);
    if (!entry?.dutyGroup) return;
    const ms = at.getTime();
    await scheduler.at(KIND, timerId(rotationId, ms), at, { rotationId, at: ms, attempt: 0 });
  }

  /** Outcome of one platform: done (any outcome but "try again"), or the wait before trying again. */
  type Outcome = { retryMs?: number };

  async function syncPlatform(entry: RotationEntry, platform: 'slack' | 'mattermost', target: NonNullable<DutyGroupTargets['slack']>, now: DutyNow, at: Date, attempt: number): Promise<Outcome> {
    const adapter = deps.adapters.get(platform);
    if (!adapter || adapter.capabilities.dutyGroup === 'none') return {};
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
      team: oncall.team(entry.team)?.name ?? entry.team,
      slots: now.slots.map((s) => ({ slot: s.slot, person: s.person === null ? null : `person:${s.person}` })),
      until: now.nextChange ?? null,
    });
    const spec: DutyGroupSpec = { target: target.target, ...(target.create ? { create: target.create } : {}), members, line, render: { readerZone: zone } };
    // A user group shows members only; a header shows the line (whose "until" moves every handoff).
    const fingerprint = createHash('sha256')
      .update(JSON.stringify(kind === 'usergroup' ? { kind, target: spec.target, create: spec.create ?? null, members: [...members].sort() } : { kind, target: spec.target, line: line.body, zone }))
      .digest('hex');
    const rlog = log.child({ rotation: entry.id, platform, group: target.target });
    if ((await store.synced(entry.id, platform)) === fingerprint) {
      syncs.inc({ platform, outcome: 'skipped' });
      return {};
    }
    try {
      const result = await adapter.syncDutyGroup(spec);
      await store.markSynced(entry.id, platform, fingerprint, SYNCED_TTL_MS);
      const reason = missing.length > 0 ? `no ${platform} account in people: for ${missing.join(', ')}, so they are not in the group` : undefined;
      await store.setStatus(entry.id, platform, { ok: reason === undefined, at: at.toISOString(), target: target.target, ...(reason ? { reason } : {}) });
      if (reason) rlog.warn({ missing }, `on-call: on-duty group of ${entry.id} on ${platform} left people out: ${reason}`);
      syncs.inc({ platform, outcome: result.changed ? 'updated' : 'unchanged' });
      if (result.changed) rlog.info({ people: now.people }, `on-call: on-duty group of ${entry.id} on ${platform} updated`);
      return {};
    } catch (err) {
      const e = err instanceof Day2Error ? err : undefined;
      if (e?.retryable && attempt + 1 < MAX_ATTEMPTS) {
        syncs.inc({ platform, outcome: 'retried' });
        const retryMs = e instanceof RateLimitedError ? e.retryAfterMs : BACKOFF_MS * 2 ** attempt;
        rlog.info({ err: e.message, retryMs, attempt: attempt + 1 }, `on-call: on-duty group of ${entry.id} on ${platform} not updated yet; trying again`);
        return { retryMs };
      }
      const reason = err instanceof Error ? err.message : String(err);
      await store.setStatus(entry.id, platform, { ok: false, at: at.toISOString(), target: target.target, reason });
      syncs.inc({ platform, outcome: 'failed' });
      rlog.warn({ reason, code: e?.code }, `on-call: could not update the on-duty group of ${entry.id} on ${platform}: ${reason}`);
      return {};
    }
  }

  scheduler.handle(KIND, timerData, async (data) => {
    const entry = oncall.entry(data.rotationId);
    if (!entry?.dutyGroup) return;
    const targets = targetsOf(entry);
    const id = timerId(data.rotationId, data.at);
    const release = await store.lock(entry.id, LOCK_MS);
    if (!release) {
      // Another process is syncing this rotation; look again once it is done (same timer, moved).
      await scheduler.at(KIND, id, new Date(deps.clock().getTime() + LOCK_WAIT_MS), data);
      return;
    }
    let retryMs: number | undefined;
    let next: Date | undefined;
    try {
      // Never earlier than planned; later when the worker was late (who is on duty *now* counts).
      const at = new Date(Math.max(data.at, deps.clock().getTime()));
      const now = await dutyNow(entry.id, at);
      next = now.nextChange;
      for (const platform of platformsOf(targets)) {
        const outcome = await syncPlatform(entry, platform, targets[platform]!, now, at, data.attempt);
        if (outcome.retryMs !== undefined) retryMs = Math.max(retryMs ?? 0, outcome.retryMs);
      }
    } finally {
      await release();
    }
    if (retryMs !== undefined) await scheduler.at(KIND, id, new Date(deps.clock().getTime() + retryMs), { ...data, attempt: data.attempt + 1 });
    if (next) await request(entry.id, next);
  });

  return {
    request,
    async requestAll() {
      const now = deps.clock();
      for (const e of oncall.entries()) await request(e.id, now);
    },
    async problems(rotationId) {
      const entry = oncall.entry(rotationId);
      if (!entry?.dutyGroup) return [];
      const targets = targetsOf(entry);
      const out: DutyGroupProblem[] = [];
      for (const platform of platformsOf(targets)) {
        if (!deps.adapters.has(platform)) continue;
        const s = await store.status(rotationId, platform);
        // A status about another target predates a config change: not this group's problem.
        if (s?.reason && s.target === targets[platform]!.target) out.push({ platform, target: s.target, reason: s.reason });
      }
      return out;
    },
  };
}
