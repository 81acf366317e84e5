/**
 * Wires the cadence feature into a bot: its store and service (with the timer kinds) and the
 * cadences declared in the config file. What it returns is what handlers and release
 * coordination use; the app mounts the iCal feed on it.
 */
import type { Config } from '../../config.js';
import type { DeclaredCadence } from '../../domain/cadence/config.js';
import type { Cadence } from '../../domain/cadence/model.js';
import { invitedPeople } from '../../domain/cadence/invitees.js';
import { parseSchedule, parseTimeOfDay } from '../../domain/cadence/schedule.js';
import { isoDate, retimed } from '../../domain/cadence/occurrences.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { RedisClient } from '../../store/redis.js';
import { createCadenceStore } from '../../store/cadence/store.js';
import { localPartsOf } from '../../time/when.js';
import { createCadenceService, type BlockingEvent, type CadenceService } from './service.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import { channelTargets } from '../../domain/channels.js';

export interface CadenceWiring {
  redis: RedisClient;
  renderer: Renderer;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  config: () => Config;
  log: Logger;
  clock?: () => Date;
}

export interface CadenceFeature {
  /** Recurring announcements, meetings and exercises (commands/cadence/). */
  cadence: CadenceService;
  /** Occurrences of blocking cadences overlapping [from, to); `env` narrows to those naming it (or none). */
  blockingEvents: (env: string | undefined, from: Date, to: Date) => Promise<BlockingEvent[]>;
  /** Settles when the config's cadences are first loaded and every cadence planned (readiness waits for it). */
  started: Promise<void>;
}

/** A config-declared cadence as a stored one; runtime state (skips, agenda, timers) is kept from `current`. */
export function fromDeclaration(d: DeclaredCadence, cfg: Config, current: Cadence | undefined, now: Date): Cadence {
  const rule = parseSchedule(d.schedule);
  const time = parseTimeOfDay(d.time);
  if (!rule.ok || !time.ok) throw new Error(`cadence ${d.name}: invalid schedule or time (the config check should have caught it)`);
  const zone = d.zone ?? cfg.timezone;
  const channels = channelTargets(d.channels);
  return {
    name: d.name,
    kind: d.kind,
    title: d.title,
    schedule: d.schedule,
    rule: rule.value,
    time: time.value,
    zone,
    start: d.start ?? current?.start ?? isoDate(localPartsOf(now, zone)),
    channels,
    template: d.template,
    holidays: d.holidays,
    reminders: d.reminders ?? cfg.cadence.reminders,
    duration: d.duration,
    blocking: d.blocking,
    environments: d.environments,
    invite: d.invite,
    paused: current?.paused ?? false,
    // A new time of day keeps the skipped and moved days (they are named by day and time).
    ...retimed({ skips: current?.skips ?? [], moves: current?.moves ?? {} }, time.value),
    source: 'config',
    createdBy: 'config',
    createdAt: current?.createdAt ?? now.toISOString(),
    agenda: current?.agenda ?? [],
    planned: current?.planned,
    lastHandledAt: current?.lastHandledAt,
  };
}

/** How often a changed config's declared cadences are picked up. */
const CONFIG_CHECK_MS = 10_000;

/**
 * Make the stored config-declared cadences match `cfg`: new ones are added, changed ones updated
 * (keeping their skips, moves, pause, agenda and timers' bookkeeping), dropped ones retired: their
 * timers go and they stop firing, but their state is kept (store.retired, RETIRED_CADENCE_TTL_MS)
 * and comes back when the cadence is declared again. A config edited by mistake must not cost a
 * team its agenda. Each touched cadence is re-planned.
 */
export async function syncDeclaredCadences(cadence: CadenceService, cfg: Config, now: Date, log?: Logger): Promise<void> {
  const { store } = cadence;
  const declared = new Set(cfg.cadence.cadences.map((d) => d.name));
  for (const d of cfg.cadence.cadences) {
    const existing = await store.cadences.get(d.name);
    // A chat-created cadence of the same name stays; the config one is skipped until it is renamed.
    if (existing && existing.value.source !== 'config') continue;
    const retired = existing ? undefined : await store.retired.get(d.name);
    await store.cadences.upsert(d.name, (cur) => fromDeclaration(d, cfg, cur ?? retired?.value.cadence, now));
    if (retired) {
      await store.retired.delete(d.name);
      log?.info({ cadence: d.name, retiredAt: retired.value.retiredAt }, 'cadence declared again: restored with its state');
    }
    await cadence.plan(d.name);
  }
  for (const c of await store.cadences.list()) {
    if (c.value.source !== 'config' || declared.has(c.id)) continue;
    // Keep the copy first: a crash between the two steps leaves both, and the next sync retires it again.
    await store.retired.upsert(c.id, () => ({ cadence: { ...c.value, planned: undefined }, retiredAt: now.toISOString() }));
    await cadence.remove(c.id);
    log?.warn({ cadence: c.id }, 'cadence no longer in the config: stopped, state kept for 30 days in case it is put back');
  }
}

export function wireCadence(ctx: CadenceWiring): CadenceFeature {
  const log = ctx.log.child({ feature: 'cadence' });
  const clock = ctx.clock ?? (() => new Date());
  const store = createCadenceStore(ctx.redis);
  const cadence = createCadenceService({
    store,
    scheduler: ctx.scheduler,
    deliveries: ctx.deliveries,
    renderer: ctx.renderer,
    settings: () => ({
      calendars: ctx.config().cadence.holidays,
      graceMs: ctx.config().cadence.graceMinutes * 60_000,
      invitees: (roles) => invitedPeople(ctx.config(), roles),
    }),
    clock,
    log,
  });

  // Declared cadences are loaded at start and again whenever the config in force changes
  // (/day2 reload, SIGHUP); every stored cadence gets its timers checked at start, so occurrences
  // that passed while Day2 was down are posted late or recorded missed.
  let synced: Config | undefined;
  const syncIfChanged = async () => {
    const cfg = ctx.config();
    if (cfg === synced) return;
    synced = cfg;
    await syncDeclaredCadences(cadence, cfg, clock(), log);
  };
  const started = (async () => {
    await syncIfChanged();
    await cadence.planAll();
  })();
  started.catch((err: unknown) => log.error({ err }, 'cannot load and plan cadences'));
  const watcher = setInterval(() => void syncIfChanged().catch((err: unknown) => log.error({ err }, 'cannot reload declared cadences')), CONFIG_CHECK_MS);
  watcher.unref();
  return { cadence, blockingEvents: (env, from, to) => cadence.blockingEvents(env, from, to), started };
}
