/**
 * Maintenance windows silence their environment: for each Alertmanager integration with
 * `silences.maintenance`, a notice's window becomes one silence there matching
 * `<envLabel>=<environment>` (and `<componentLabel>=~a|b` when the notice names components and
 * the label is configured), from the window's start to its end. Alertmanager honours a future
 * `startsAt`, so the silence is created as soon as the notice is confirmed, moved when the window
 * is extended, and expired when it is completed early or cancelled.
 *
 * The notices feature reports each window change through its `onWindow` hook; this turns it into
 * an `alert-maintenance` timer (id = notice id, so a newer change replaces a pending older one),
 * so an unreachable Alertmanager is retried by the timer and never holds up the notice. The
 * per-(notice, integration) record and lock in src/store/alert/maintenance.ts keep it to one
 * silence whatever runs twice.
 */
import { z } from 'zod';
import type { AlertsConfig, Integration } from '../../domain/alert/config.js';
import type { Scheduler } from '../../delivery/scheduler.js';
import type { Logger } from '../../log.js';
import type { MaintenanceSilenceStore } from '../../store/alert/maintenance.js';
import type { Silencer } from './silences.js';

export const MAINTENANCE_TIMER = 'alert-maintenance';

/** The few fields of a notice this reads (the notices feature's `Notice` has them). */
export interface MaintenanceNotice {
  id: string;
  env: string;
  kind: string;
  status: string;
  summary: string;
  components: string[];
  start?: string | undefined;
  end?: string | undefined;
  rootRevision: number;
}

const windowData = z.object({
  id: z.string().regex(/^[0-9]{1,12}$/),
  env: z.string(),
  status: z.string(),
  summary: z.string(),
  components: z.array(z.string()),
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  revision: z.int().min(0),
});
type WindowData = z.output<typeof windowData>;

/** A window in these states silences; any other status (completed, cancelled) lifts it. */
const LIVE = new Set(['scheduled', 'in-progress']);
/** Whether the window should be silenced at `nowMs`: live, and not over yet. */
const isLive = (w: WindowData, nowMs: number) => LIVE.has(w.status) && Date.parse(w.end) > nowMs;

export interface MaintenanceDeps {
  config: () => AlertsConfig;
  silencer: Silencer;
  store: MaintenanceSilenceStore;
  scheduler: Scheduler;
  log: Logger;
  clock: () => Date;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Bring one integration's silence in line with the window (called holding its lock). */
async function syncOne(deps: MaintenanceDeps, i: Integration, w: WindowData, now: Date): Promise<void> {
  const s = i.silences!;
  const rec = await deps.store.get(w.id, i.id);
  // A later change was applied already (timers of two changes can run out of order).
  if (rec && rec.revision > w.revision) return;
  const live = isLive(w, now.getTime());
  const standing = rec?.silenceId && !rec.lifted ? rec.silenceId : undefined;
  if (!live) {
    // A silence whose end has passed has ended by itself: nothing to ask Alertmanager.
    if (standing && Date.parse(rec!.endsAt ?? w.end) > now.getTime()) await deps.silencer.expire(s.url, standing);
    await deps.store.put(w.id, i.id, { ...rec, revision: w.revision, lifted: true });
    return;
  }
  if (standing && rec!.startsAt === w.start && rec!.endsAt === w.end) {
    await deps.store.put(w.id, i.id, { ...rec!, revision: w.revision });
    return;
  }
  const marker = `(Day2 notice ${w.id})`;
  // An earlier run died between Alertmanager's answer and recording it: adopt that silence.
  const adopted = !standing && rec?.creating ? await deps.silencer.findByComment(s.url, marker) : undefined;
  if (!standing && !adopted) await deps.store.put(w.id, i.id, { ...(rec ?? { revision: 0, lifted: false }), creating: true });
  const regex = s.componentLabel && w.components.length > 0 ? { [s.componentLabel]: w.components.map(escapeRegex).join('|') } : undefined;
  const replaces = standing ?? adopted;
  const silenceId = await deps.silencer.create({
    url: s.url,
    matchers: { [s.envLabel]: w.env },
    ...(regex ? { regexMatchers: regex } : {}),
    ...(replaces ? { id: replaces } : {}),
    startsAt: new Date(w.start),
    endsAt: new Date(w.end),
    comment: `Maintenance: ${w.summary} ${marker}`,
  });
  await deps.store.put(w.id, i.id, { silenceId, revision: w.revision, startsAt: w.start, endsAt: w.end, lifted: false });
}

export function createMaintenanceSilences(deps: MaintenanceDeps) {
  const enabled = () => deps.config().integrations.filter((i) => i.silences?.maintenance);

  /** Every enabled integration; one unreachable Alertmanager does not keep the others waiting. */
  const sync = async (w: WindowData, now: Date): Promise<void> => {
    const failed: string[] = [];
    for (const i of enabled()) {
      try {
        await deps.store.withLock(w.id, i.id, () => syncOne(deps, i, w, now));
      } catch (err) {
        deps.log.warn({ err, notice: w.id, integration: i.id }, 'could not bring the maintenance silence up to date');
        failed.push(i.id);
      }
    }
    // Throwing makes the timer try again later; what succeeded is recorded and not done twice.
    if (failed.length > 0) throw new Error(`maintenance silence of notice ${w.id} not up to date in ${failed.join(', ')}`);
  };

  deps.scheduler.handle(MAINTENANCE_TIMER, windowData, (data) => sync(data, deps.clock()));

  const dataOf = (n: MaintenanceNotice): WindowData | undefined =>
    n.kind === 'maintenance' && n.start && n.end
      ? { id: n.id, env: n.env, status: n.status, summary: n.summary, components: n.components, start: n.start, end: n.end, revision: n.rootRevision }
      : undefined;

  /** The notices feature's `onWindow` hook: a window was set, moved or stopped. */
  const windowChanged = async (n: MaintenanceNotice): Promise<void> => {
    const data = dataOf(n);
    if (!data || enabled().length === 0) return;
    await deps.scheduler.at(MAINTENANCE_TIMER, n.id, deps.clock(), data);
  };

  /**
   * At start and after a reload: windows confirmed before an integration had `silences.maintenance`
   * (or while Day2 was down) get their silence too. Each open window is queued under its own
   * catch-up timer id, not the notice's, so it can never replace a pending newer change; whichever
   * runs second is a no-op (same window) or skipped (older revision) by `syncOne`.
   */
  const catchUp = async (open: () => Promise<readonly MaintenanceNotice[]>): Promise<number> => {
    if (enabled().length === 0) return 0;
    const now = deps.clock().getTime();
    const live = (await open()).map(dataOf).filter((d): d is WindowData => d !== undefined && isLive(d, now));
    for (const d of live) await deps.scheduler.at(MAINTENANCE_TIMER, `${d.id}.catch-up`, deps.clock(), d);
    return live.length;
  };

  return { windowChanged, catchUp, sync };
}

export type MaintenanceSilences = ReturnType<typeof createMaintenanceSilences>;
