/**
 * Release countdown and announcements. Reminders (default 7 d, 1 d and 1 h before) and the
 * release-day announcement are scheduler timers named after the release and the offset, so
 * re-planning moves them and a reschedule or cancel never leaves a stale one behind; a timer that
 * fires for a start time the release no longer has does nothing. Every message goes through the
 * delivery queue with a key built from the release, the event and the start time, so a retried
 * timer or a second process never posts twice.
 *
 * The parts live in countdown/: who hears about a release (audience.ts) and the timers with
 * their handlers (timers.ts).
 */
import type { Release } from '../../domain/release/release.js';
import type { ChangeKind } from './coordinator.js';
import { countdownAudience } from './countdown/audience.js';
import { planCountdown, registerCountdownTimers } from './countdown/timers.js';
import type { CountdownDeps } from './countdown/types.js';

export { DAY_KIND, REMINDER_KIND, type CountdownDeps } from './countdown/types.js';

const HEADLINES: Partial<Record<ChangeKind, string>> = {
  proposed: 'Release proposed',
  rescheduled: 'Release rescheduled',
  cancelled: 'Release cancelled',
  confirmed: 'Release confirmed',
  outcome: 'Release outcome',
};

export function createReleaseCountdown(deps: CountdownDeps) {
  const audience = countdownAudience(deps);
  const { view, channelTargets, dmTargets, send } = audience;

  /** (Re)plan the reminders and the release-day timer of `r` from its current start. */
  const plan = (r: Release, now: Date) => planCountdown(deps, r, now);

  /** The coordinator's change hook: re-plan timers, announce what others need to know. */
  const changed = async (r: Release, kind: ChangeKind, now: Date) => {
    if (kind !== 'updated' && kind !== 'outcome') await plan(r, now);
    const headline = HEADLINES[kind];
    if (!headline) return;
    // One message per event of the release; the history length tells two reschedules apart.
    const key = `release-${r.id}-${kind}-${r.history.length}`;
    await send(r, key, 'release/announce', { headline, event: kind, release: view(r) }, kind === 'rescheduled' || kind === 'cancelled');
  };

  const register = () => registerCountdownTimers(deps, audience);

  return { plan, changed, register, view, channelTargets, dmTargets };
}

export type ReleaseCountdown = ReturnType<typeof createReleaseCountdown>;
