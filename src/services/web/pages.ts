/**
 * The data behind each web page, read from the features that own it: an environment's notices
 * (status), a team's resolved rotation (on-call) and an environment's releases, freezes,
 * maintenance and blocking meetings (calendar). Each page also gets a fingerprint of what it
 * shows, from which the HTTP layer makes the ETag; the status page's is one Redis read (the
 * environment's notice version), so an unchanged page answers 304 without loading a notice.
 */
import { createHash } from 'node:crypto';
import type { Config, Environment } from '../../config.js';
import { buildLedger } from '../../domain/oncall/ledger.js';
import { resolveSchedule } from '../../domain/oncall/resolve.js';
import type { Segment } from '../../domain/oncall/types.js';
import { calendarGrid, gridRange, type CalendarGrid, type CalendarItem } from '../../domain/web/calendar-grid.js';
import { daysFrom, type LocalDay } from '../../domain/web/days.js';
import { ledgerChart, nextHandoffs, onDutyNow, timeline, type AbsenceSpan } from '../../domain/web/oncall-timeline.js';
import { HISTORY_DAYS, statusView, toStatusNotices, type StatusNotice, type StatusView } from '../../domain/web/status.js';
import type { NoticeStore } from '../../store/notice/store.js';
import type { OncallService } from '../oncall/service.js';
import type { ReleaseServices } from '../release/wiring.js';

const DAY = 86_400_000;
/** The on-call page draws two weeks, and reads a week more so "until" is right near the edge. */
const TIMELINE_DAYS = 14;
const LEDGER_DAYS = 90;

export const fingerprint = (...parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 27);

export interface WebPageSources {
  config: () => Config;
  notices: Pick<NoticeStore, 'changedSince' | 'envVersion'>;
  oncall: Pick<OncallService, 'entryForTeam' | 'schedule' | 'team'>;
  releases: Pick<ReleaseServices, 'coordinator' | 'store'>;
}

export interface WebPages {
  /** What changes the status page besides the clock and the viewer's zone. */
  statusVersion(env: Environment): Promise<string>;
  status(env: Environment, now: Date, zone: string): Promise<StatusView>;
  oncall(team: Config['teams'][number], now: Date, zone: string): Promise<OncallPageData | undefined>;
  calendar(env: Environment, view: 'month' | 'week', anchor: string, now: Date, zone: string): Promise<CalendarGrid>;
}

export interface OncallPageData {
  rotation: string;
  zone: string;
  days: LocalDay[];
  now: ReturnType<typeof onDutyNow>;
  handoffs: ReturnType<typeof nextHandoffs>;
  timeline: ReturnType<typeof timeline>;
  ledger: ReturnType<typeof ledgerChart>;
  ledgerFrom: Date;
  /** Gaps in the two weeks (nobody on duty). */
  gaps: Segment[];
  fingerprint: string;
}

export function createWebPages(src: WebPageSources): WebPages {
  const nameOf = (id: string) => src.config().people.find((p) => p.id === id)?.name ?? id;
  // An environment's recent notices, kept while its version stands (one read to check), so
  // viewers in many zones cost one load, not one each. Kept per day: history is 90 days back.
  const loaded = new Map<string, { version: number; day: number; notices: StatusNotice[] }>();
  const recentNotices = async (env: string, now: Date): Promise<StatusNotice[]> => {
    const version = await src.notices.envVersion(env);
    const day = Math.floor(now.getTime() / DAY);
    const hit = loaded.get(env);
    if (hit && hit.version === version && hit.day === day) return hit.notices;
    const notices = toStatusNotices(await src.notices.changedSince(env, new Date((day - HISTORY_DAYS - 1) * DAY)));
    loaded.set(env, { version, day, notices });
    return notices;
  };
  return {
    async statusVersion(env) {
      return fingerprint(env, await src.notices.envVersion(env.id));
    },
    async status(env, now, zone) {
      return statusView(await recentNotices(env.id, now), env.components, env.name, now, zone);
    },
    async oncall(team, now, zone) {
      const entry = src.oncall.entryForTeam(team.id);
      if (!entry) return undefined;
      const days = daysFrom(now.getTime(), TIMELINE_DAYS, zone);
      const from = days[0]!.start;
      const ledgerFrom = new Date(now.getTime() - LEDGER_DAYS * DAY);
      const input = await src.oncall.schedule(entry.id, now, { from: ledgerFrom, to: new Date(from.getTime() + (TIMELINE_DAYS + 7) * DAY) });
      const ahead = resolveSchedule(input, from, new Date(from.getTime() + (TIMELINE_DAYS + 7) * DAY));
      const shown = ahead.filter((s) => s.start.getTime() < days[days.length - 1]!.end.getTime());
      const absences: AbsenceSpan[] = input.changes.absences
        .filter((a) => (entry.members ?? []).includes(a.person) || shown.some((s) => s.person === a.person || s.absentee === a.person))
        .map((a) => ({ person: a.person, kind: a.kind, start: a.from, end: a.to }));
      const past = resolveSchedule(input, ledgerFrom, now);
      const rotationZone = entry.timezone ?? src.config().timezone;
      const data = {
        rotation: entry.id,
        zone: rotationZone,
        days,
        now: onDutyNow(ahead, now, nameOf),
        handoffs: nextHandoffs(ahead, now, nameOf),
        timeline: timeline(shown, absences, days, now, nameOf),
        ledger: ledgerChart(buildLedger(past, rotationZone), nameOf),
        ledgerFrom,
        gaps: shown.filter((s) => s.person === null),
      };
      return { ...data, fingerprint: fingerprint(team, data) };
    },
    async calendar(env, view, anchor, now, zone) {
      const range = gridRange(view, anchor, zone);
      const entries = await src.releases.coordinator.calendar([env.id], range.from, range.to);
      const checklist = src.config().releases.checklist.length;
      // Releases carry their status and checklist progress; their reads go out together.
      const items = await Promise.all(
        entries.map(async (e): Promise<CalendarItem> => {
          const item: CalendarItem = { kind: e.kind, id: e.id, title: e.title, start: e.start, end: e.end };
          const r = e.kind === 'release' ? (await src.releases.store.releases.get(e.id))?.value : undefined;
          return r ? { ...item, status: r.status, done: Object.keys(r.checks).length, total: checklist } : item;
        }),
      );
      return calendarGrid(view, anchor, items, now, zone);
    },
  };
}
