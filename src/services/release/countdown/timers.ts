/**
 * The countdown's timers: planning a release's reminders and its release-day announcement from
 * its current start, and the handlers that post them. A timer whose release has moved, been
 * cancelled or gone does nothing.
 */
import { z } from 'zod';
import { configDuration } from '../../../domain/release/config.js';
import { isOpen, type Release } from '../../../domain/release/release.js';
import type { TimerHandler } from '../../../delivery/scheduler.js';
import { addDuration, formatDuration, type Duration } from '../../../time/when.js';
import type { CountdownAudience } from './audience.js';
import { DAY_KIND, REMINDER_KIND, type CountdownDeps } from './types.js';

const reminderSchema = z.object({ release: z.string(), start: z.string(), offset: z.string() });
const daySchema = z.object({ release: z.string(), start: z.string() });

const negate = (d: Duration): Duration => ({ ms: -(d.ms ?? 0), days: -(d.days ?? 0), weeks: -(d.weeks ?? 0), months: -(d.months ?? 0) });
const keyPart = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');

/** (Re)plan the reminders and the release-day timer of `r` from its current start. */
export async function planCountdown(deps: CountdownDeps, r: Release, now: Date): Promise<void> {
  const zone = deps.coordinator.envInfo(r.env).zone;
  for (const offset of deps.config().releases.reminders) {
    const when = addDuration(new Date(r.start), negate(configDuration(offset)), zone);
    const id = `${r.id}.${keyPart(offset)}`;
    if (isOpen(r) && when.getTime() > now.getTime()) await deps.scheduler.at(REMINDER_KIND, id, when, { release: r.id, start: r.start, offset });
    else await deps.scheduler.cancel(REMINDER_KIND, id);
  }
  if (isOpen(r)) await deps.scheduler.at(DAY_KIND, r.id, new Date(r.start), { release: r.id, start: r.start });
  else await deps.scheduler.cancel(DAY_KIND, r.id);
}

export function registerCountdownTimers(deps: CountdownDeps, audience: CountdownAudience): void {
  deps.scheduler.handle(REMINDER_KIND, reminderSchema, reminderHandler(deps, audience));
  deps.scheduler.handle(DAY_KIND, daySchema, releaseDayHandler(deps, audience));
}

function reminderHandler(deps: CountdownDeps, { send, view }: CountdownAudience): TimerHandler<z.output<typeof reminderSchema>> {
  return async (data, ctx) => {
    const found = await deps.store.releases.get(data.release);
    const r = found?.value;
    if (!r || !isOpen(r) || r.start !== data.start) {
      ctx.log.debug({ release: data.release }, 'release moved, cancelled or gone; reminder dropped');
      return;
    }
    const label = formatDuration(configDuration(data.offset));
    await send(r, `release-${r.id}-rem-${keyPart(data.offset)}-${Date.parse(r.start)}`, 'release/reminder', { release: view(r), offset: label }, true);
  };
}

function releaseDayHandler(deps: CountdownDeps, { send, view }: CountdownAudience): TimerHandler<z.output<typeof daySchema>> {
  return async (data, ctx) => {
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
  };
}
