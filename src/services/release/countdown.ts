/**
 * Release countdown and announcements. Reminders (default 7 d, 1 d and 1 h before) and the
 * release-day announcement are scheduler timers named after the release and the offset, so
 * re-planning moves them and a reschedule or cancel never leaves a stale one behind; a timer that
 * fires for a start time the release no longer has does nothing. Every message goes through the
 * delivery queue with a key built from the release, the event and the start time, so a retried
 * timer or a second process never posts twice.
 */
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import type { Config } from '../../config.js';
import type { DeployNoticePort } from '../../domain/release/calendar-port.js';
import { configDuration } from '../../domain/release/config.js';
import { isOpen, type Release } from '../../domain/release/release.js';
import { releaseView } from '../../domain/release/view.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { ReleaseCoordinator, ChangeKind } from '../../store/release/coordinator.js';
import type { ReleaseStore } from '../../store/release/store.js';
import { addDuration, formatDuration, type Duration } from '../../time/when.js';
import type { DeliveryService, DeliveryTarget } from '../../delivery/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export const REMINDER_KIND = 'release-reminder';
export const DAY_KIND = 'release-day';

const reminderSchema = z.object({ release: z.string(), start: z.string(), offset: z.string() });
const daySchema = z.object({ release: z.string(), start: z.string() });

export interface CountdownDeps {
  config(): Config;
  store: ReleaseStore;
  coordinator: ReleaseCoordinator;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  /** Platforms with a running adapter; channels and DMs elsewhere are skipped. */
  platforms(): ReadonlySet<Platform>;
  /** The platform user id behind a configured handle (ChatAdapter.userIdOf), for DMs to people Day2 has not seen yet. */
  userIdOf?(platform: Platform, handle: string): Promise<string | undefined>;
  deployNotices?(): DeployNoticePort | undefined;
  log: Logger;
}

const negate = (d: Duration): Duration => ({ ms: -(d.ms ?? 0), days: -(d.days ?? 0), weeks: -(d.weeks ?? 0), months: -(d.months ?? 0) });
const keyPart = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

export function createReleaseCountdown(deps: CountdownDeps) {
  const view = (r: Release) => {
    const cfg = deps.config();
    const env = cfg.environments.find((e) => e.id === r.env);
    const app = cfg.releases.apps.find((a) => a.id === r.app);
    return releaseView(r, {
      checklist: cfg.releases.checklist,
      required: cfg.releases.signoffs,
      appName: app?.name ?? r.app,
      envName: env?.name ?? r.env,
      classification: env?.classification ?? 'UNCLASSIFIED',
      missing: deps.coordinator.missing(r),
    });
  };

  /** The release channels of the environment on the running platforms. */
  const channelTargets = (r: Release): DeliveryTarget[] => {
    const cfg = deps.config();
    const env = cfg.environments.find((e) => e.id === r.env);
    const own = cfg.releases.environments.find((e) => e.env === r.env)?.channels;
    const channels = own ?? env?.channels ?? { slack: [], mattermost: [] };
    const on = deps.platforms();
    return [
      ...(on.has('slack') ? channels.slack.map((channelId) => ({ platform: 'slack' as const, channelId })) : []),
      ...(on.has('mattermost') ? channels.mattermost.map((channelId) => ({ platform: 'mattermost' as const, channelId })) : []),
    ];
  };

  /** DMs to the people involved: proposer, app owners, and everyone who ticked or signed. */
  const dmTargets = async (r: Release): Promise<DeliveryTarget[]> => {
    const cfg = deps.config();
    const refs = new Set([...r.participants, ...Object.values(r.signoffs).map((s) => s.by), ...Object.values(r.checks).map((s) => s.by)]);
    const on = deps.platforms();
    const out: DeliveryTarget[] = [];
    for (const ref of refs) {
      if (!ref.startsWith('person:')) continue;
      const person = cfg.people.find((p) => p.id === ref.slice('person:'.length));
      if (!person) continue;
      if (on.has('slack') && person.slack) out.push({ platform: 'slack', userId: person.slack });
      if (on.has('mattermost') && person.mattermost) {
        const id = (await deps.store.mattermostUserId(person.mattermost)) ?? (await deps.userIdOf?.('mattermost', person.mattermost).catch(() => undefined));
        if (id) out.push({ platform: 'mattermost', userId: id });
      }
    }
    return out;
  };

  const send = async (r: Release, key: string, template: string, data: Record<string, unknown>, dms: boolean) => {
    const message = deps.renderer.render(template, data);
    const targets = [...channelTargets(r), ...(dms ? await dmTargets(r) : [])];
    if (targets.length === 0) return;
    await deps.deliveries.enqueue(targets.map((target) => ({ key, revision: 1, target, message })));
  };

  const offsets = () => deps.config().releases.reminders;

  /** (Re)plan the reminders and the release-day timer of `r` from its current start. */
  const plan = async (r: Release, now: Date) => {
    const zone = deps.coordinator.envInfo(r.env).zone;
    for (const offset of offsets()) {
      const when = addDuration(new Date(r.start), negate(configDuration(offset)), zone);
      const id = `${r.id}.${keyPart(offset)}`;
      if (isOpen(r) && when.getTime() > now.getTime()) await deps.scheduler.at(REMINDER_KIND, id, when, { release: r.id, start: r.start, offset });
      else await deps.scheduler.cancel(REMINDER_KIND, id);
    }
    if (isOpen(r)) await deps.scheduler.at(DAY_KIND, r.id, new Date(r.start), { release: r.id, start: r.start });
    else await deps.scheduler.cancel(DAY_KIND, r.id);
  };

  const HEADLINES: Partial<Record<ChangeKind, string>> = {
    proposed: 'Release proposed',
    rescheduled: 'Release rescheduled',
    cancelled: 'Release cancelled',
    confirmed: 'Release confirmed',
    outcome: 'Release outcome',
  };

  /** The coordinator's change hook: re-plan timers, announce what others need to know. */
  const changed = async (r: Release, kind: ChangeKind, now: Date) => {
    if (kind !== 'updated' && kind !== 'outcome') await plan(r, now);
    const headline = HEADLINES[kind];
    if (!headline) return;
    // One message per event of the release; the history length tells two reschedules apart.
    const key = `release-${r.id}-${kind}-${r.history.length}`;
    await send(r, key, 'release/announce', { headline, event: kind, release: view(r) }, kind === 'rescheduled' || kind === 'cancelled');
  };

  const register = () => {
    deps.scheduler.handle(REMINDER_KIND, reminderSchema, async (data, ctx) => {
      const found = await deps.store.releases.get(data.release);
      const r = found?.value;
      if (!r || !isOpen(r) || r.start !== data.start) {
        ctx.log.debug({ release: data.release }, 'release moved, cancelled or gone; reminder dropped');
        return;
      }
      const label = formatDuration(configDuration(data.offset));
      await send(r, `release-${r.id}-rem-${keyPart(data.offset)}-${Date.parse(r.start)}`, 'release/reminder', { release: view(r), offset: label }, true);
    });
    deps.scheduler.handle(DAY_KIND, daySchema, async (data, ctx) => {
      const found = await deps.store.releases.get(data.release);
      const r = found?.value;
      if (!r || !isOpen(r) || r.start !== data.start) {
        ctx.log.debug({ release: data.release }, 'release moved, cancelled or gone; announcement dropped');
        return;
      }
      const v = view(r);
      const key = `release-${r.id}-day-${Date.parse(r.start)}`;
      await send(r, key, 'release/release-day', { release: v, outcomeHint: `/release outcome ${r.id} success open-bugs=0` }, true);
      const notices = deps.deployNotices?.();
      if (notices) {
        await notices.announceDeploy({ key, env: r.env, title: `${v.appName} ${r.version} release`, body: `Release ${r.id}: ${v.appName} ${r.version} to ${v.envName}`, start: new Date(r.start), end: new Date(r.end), owner: r.proposedBy });
      }
    });
  };

  return { plan, changed, register, view, channelTargets, dmTargets };
}

export type ReleaseCountdown = ReturnType<typeof createReleaseCountdown>;
