/**
 * What an environment's status page shows, from its notices: the outages open now, maintenance
 * under way and coming, each component's state, and ninety local days of history per component.
 * Pure: the notices come in, a view goes out; the HTTP layer renders it and the JSON/Atom feeds
 * are shaped from the same view, so the page and its feeds never disagree.
 */
import { isFinal, type Notice, type Severity } from '../notice/notice.js';
import { dayAtWall, wallMidnight, type LocalDay } from './days.js';

export const HISTORY_DAYS = 90;
/** Ended notices listed in full on the page; the day marks cover the rest of the 90 days. */
export const HISTORY_LISTED = 25;
const DAY = 86_400_000;

/** Statuspage's component states, which status-page consumers already understand. */
export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

const SEVERITY_STATUS: Record<Severity, ComponentStatus> = { sev1: 'major_outage', sev2: 'partial_outage', sev3: 'degraded_performance', sev4: 'degraded_performance' };
const SEVERITY_IMPACT: Record<Severity, Exclude<Indicator, 'none' | 'maintenance'>> = { sev1: 'critical', sev2: 'major', sev3: 'minor', sev4: 'minor' };
const STATUS_RANK: Record<ComponentStatus, number> = { operational: 0, under_maintenance: 1, degraded_performance: 2, partial_outage: 3, major_outage: 4 };
const INDICATOR_RANK: Record<Indicator, number> = { none: 0, maintenance: 1, minor: 2, major: 3, critical: 4 };

export interface StatusUpdate {
  at: Date;
  status: string;
  text: string;
  by: string;
}

export interface StatusNotice {
  id: string;
  kind: 'outage' | 'maintenance';
  summary: string;
  severity?: string;
  impact: Exclude<Indicator, 'none'>;
  status: string;
  final: boolean;
  /** Components it names; empty means the whole environment. */
  components: string[];
  createdAt: Date;
  updatedAt: Date;
  start?: Date;
  end?: Date;
  /** Newest first, as status pages show them. */
  updates: StatusUpdate[];
}

export interface DayMark {
  date: string;
  /** The worst thing that day: an outage's impact, maintenance, or nothing. */
  mark: 'none' | 'maintenance' | 'minor' | 'major' | 'critical';
  /** Notice ids that touched the day. */
  notices: string[];
}

export interface ComponentView {
  name: string;
  status: ComponentStatus;
  days: DayMark[];
  /** How many of those days carry a mark (what a screen reader is told instead of 90 marks). */
  marked: number;
}

export interface StatusView {
  indicator: Indicator;
  outages: StatusNotice[];
  maintenanceNow: StatusNotice[];
  maintenanceNext: StatusNotice[];
  components: ComponentView[];
  /** Ended notices of the last ninety days, newest first. */
  history: StatusNotice[];
  updatedAt?: Date;
}

export function toStatusNotice(n: Notice): StatusNotice | undefined {
  if (n.kind !== 'outage' && n.kind !== 'maintenance') return undefined;
  const updates = n.timeline.map((t) => ({ at: new Date(t.at), status: t.status, text: t.text, by: t.by })).sort((a, b) => b.at.getTime() - a.at.getTime());
  return {
    id: n.id,
    kind: n.kind,
    summary: n.summary,
    ...(n.severity ? { severity: n.severity.toUpperCase() } : {}),
    impact: n.kind === 'maintenance' ? 'maintenance' : SEVERITY_IMPACT[n.severity ?? 'sev3'],
    status: n.status,
    final: isFinal(n),
    components: n.components,
    createdAt: new Date(n.createdAt),
    updatedAt: new Date(n.updatedAt),
    ...(n.start ? { start: new Date(n.start) } : {}),
    ...(n.end ? { end: new Date(n.end) } : {}),
    updates,
  };
}

/** When a notice affected the environment: an outage from creation to its last change once ended; a window as declared. */
function activeSpan(n: StatusNotice, now: Date): { start: number; end: number } {
  if (n.kind === 'maintenance') return { start: (n.start ?? n.createdAt).getTime(), end: n.final ? Math.min((n.end ?? n.updatedAt).getTime(), n.updatedAt.getTime()) : (n.end ?? now).getTime() };
  // An open outage lasts until now (or its creation, for one made within the minute shown as now).
  return { start: n.createdAt.getTime(), end: n.final ? n.updatedAt.getTime() : Math.max(now.getTime(), n.createdAt.getTime()) };
}

const inProgress = (n: StatusNotice, now: Date) => n.kind === 'maintenance' && !n.final && (n.status === 'in-progress' || ((n.start?.getTime() ?? Infinity) <= now.getTime() && now.getTime() < (n.end?.getTime() ?? 0)));

const affects = (n: StatusNotice, component: string) => n.components.length === 0 || n.components.includes(component);

function componentStatus(name: string, outages: StatusNotice[], maintenance: StatusNotice[]): ComponentStatus {
  let status: ComponentStatus = maintenance.some((m) => affects(m, name)) ? 'under_maintenance' : 'operational';
  for (const o of outages) {
    if (!affects(o, name)) continue;
    const s = SEVERITY_STATUS[(o.severity?.toLowerCase() ?? 'sev3') as Severity] ?? 'degraded_performance';
    if (STATUS_RANK[s] > STATUS_RANK[status]) status = s;
  }
  return status;
}

/** Each component's day marks: every notice is placed on the days its span touches (found by bisection). */
function dayMarks(names: readonly string[], days: readonly LocalDay[], notices: readonly StatusNotice[], now: Date): Map<string, DayMark[]> {
  const out = new Map(names.map((name) => [name, days.map((d): DayMark => ({ date: d.date, mark: 'none', notices: [] }))]));
  for (const n of notices) {
    const span = activeSpan(n, now);
    // A window that has not begun marks no day yet; an outage has begun once it exists.
    if (n.kind === 'maintenance' && span.start > now.getTime()) continue;
    let lo = 0;
    let hi = days.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (days[mid]!.end.getTime() <= span.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < days.length && days[i]!.start.getTime() <= span.end; i++) {
      for (const name of names) {
        if (!affects(n, name)) continue;
        const mark = out.get(name)![i]!;
        mark.notices.push(n.id);
        if (INDICATOR_RANK[n.impact] > INDICATOR_RANK[mark.mark]) mark.mark = n.impact;
      }
    }
  }
  return out;
}

/**
 * The view of one environment at `now`, its days drawn in `zone`. `declared` are the components
 * the config lists; components named by notices are added after them.
 */
/** The outages and maintenance among `notices`, as the page reads them (zone-free: convert once, view in many zones). */
export function toStatusNotices(notices: readonly Notice[]): StatusNotice[] {
  return notices.map(toStatusNotice).filter((n): n is StatusNotice => n !== undefined);
}

export function statusView(all: readonly StatusNotice[], declared: readonly string[], envName: string, now: Date, zone: string): StatusView {
  const since = now.getTime() - HISTORY_DAYS * DAY;
  const recent = all.filter((n) => !n.final || activeSpan(n, now).end >= since);
  const outages = recent.filter((n) => n.kind === 'outage' && !n.final).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const maintenanceNow = recent.filter((n) => inProgress(n, now));
  const maintenanceNext = recent.filter((n) => n.kind === 'maintenance' && !n.final && !inProgress(n, now)).sort((a, b) => (a.start?.getTime() ?? 0) - (b.start?.getTime() ?? 0));
  const names = [...declared];
  for (const n of recent) for (const c of n.components) if (!names.includes(c)) names.push(c);
  if (names.length === 0) names.push(envName);
  // Counted back in local days, not 24-hour steps: across a clock change those land on the day
  // before just after midnight, and the row would end yesterday.
  const first = wallMidnight(now.getTime(), zone) - (HISTORY_DAYS - 1) * DAY;
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) => dayAtWall(first + i * DAY, zone));
  const marks = dayMarks(names, days, recent, now);
  const components = names.map((name) => {
    const days = marks.get(name)!;
    return { name, status: componentStatus(name, outages, maintenanceNow), days, marked: days.filter((d) => d.mark !== 'none').length };
  });
  let indicator: Indicator = maintenanceNow.length > 0 ? 'maintenance' : 'none';
  for (const o of outages) if (INDICATOR_RANK[o.impact] > INDICATOR_RANK[indicator]) indicator = o.impact;
  const history = recent.filter((n) => n.final).sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  const newest = recent.reduce<Date | undefined>((m, n) => (!m || n.updatedAt > m ? n.updatedAt : m), undefined);
  return { indicator, outages, maintenanceNow, maintenanceNext, components, history, ...(newest ? { updatedAt: newest } : {}) };
}
