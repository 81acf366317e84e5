/**
 * Notice messages rendered from templates/notices: the root message of each kind, the thread
 * reply for each update (the most specific template there is for its kind, event and status, see
 * updateTemplateNames), and the author's completion report. The same neutral message goes to
 * every channel; each adapter renders it for its platform.
 */
import type { OutboundMessage } from '../../chat/message.js';
import { envNameOf, type Notice, type TimelineEntry } from '../../domain/notice/notice.js';
import type { Renderer } from '../../render/renderer.js';
import type { FanoutReport } from './types.js';
import { count } from '../../domain/wording.js';

/**
 * What every notice template gets about the notice. `env` stays the id (what a reader types, and
 * what operators' older templates print); `envName` is what a reader calls the environment.
 */
export function noticeData(n: Notice): Record<string, unknown> {
  const last = [...n.timeline].reverse().find((e) => e.event !== 'created');
  return {
    id: n.id,
    env: n.env,
    envName: envNameOf(n),
    kind: n.kind,
    classification: n.classification,
    severity: n.severity ? n.severity.toUpperCase() : undefined,
    status: n.status,
    summary: n.summary,
    components: n.components,
    service: n.service,
    version: n.version,
    notes: n.notes,
    start: n.start,
    end: n.end,
    impact: n.impact,
    postmortem: n.postmortem,
    author: n.author.personId ? { id: n.author.personId } : { platform: n.author.platform, id: n.author.userId, name: n.author.name },
    updatedAt: n.updatedAt,
    createdAt: n.createdAt,
    lastUpdate: last ? { text: last.text, at: last.at, status: last.status } : undefined,
    updates: n.updates,
    declaredFrom: n.declaredFrom,
  };
}

export function noticeMessage(renderer: Renderer, n: Notice): OutboundMessage {
  return renderer.render(`notices/${n.kind}`, noticeData(n));
}

/**
 * Templates a thread reply may use, most specific first. An event of its own (reminder, started,
 * extended, completed, cancelled, resolved, resolution) is looked up before the status it leaves,
 * because a reminder or an extension does not change the status; a plain `/notice update` is
 * found by its status. The kind comes first so that one kind's wording (a deploy that completed)
 * can differ from another's (a maintenance that completed) and operators can override just one.
 */
export function updateTemplateNames(kind: Notice['kind'], entry: Pick<TimelineEntry, 'event' | 'status'>): string[] {
  const names = entry.event === 'update' ? [entry.status] : [entry.event, entry.status];
  return [...new Set([...names.flatMap((name) => [`notices/update-${kind}-${name}`, `notices/update-${name}`]), 'notices/update'])];
}

/** The template a reply renders from: the first of updateTemplateNames that is shipped or overlaid (a map lookup each). */
export function updateTemplate(renderer: Renderer, kind: Notice['kind'], entry: Pick<TimelineEntry, 'event' | 'status'>): string {
  return updateTemplateNames(kind, entry).find((name) => renderer.has(name)) ?? 'notices/update';
}

export function updateMessage(renderer: Renderer, n: Notice, entry: TimelineEntry): OutboundMessage {
  const data = { ...noticeData(n), entry: { event: entry.event, status: entry.status, text: entry.text, at: entry.at, by: entry.by, number: entry.update } };
  return renderer.render(updateTemplate(renderer, n.kind, entry), data);
}

export function reportMessage(renderer: Renderer, n: Notice, r: FanoutReport): OutboundMessage {
  // Channels on platforms this Day2 does not run were never tried: one line, not a failure each.
  const skipped = r.failed.filter((f) => f.error.startsWith('not_running:'));
  const failed = r.failed.filter((f) => !f.error.startsWith('not_running:'));
  const platforms = [...new Set(skipped.map((f) => f.target.platform))].join(', ');
  return renderer.render('notices/report', {
    ...noticeData(n),
    report: {
      delivered: r.delivered,
      total: r.total - skipped.length,
      pending: r.pending,
      failedCount: failed.length,
      failed: failed.slice(0, 20).map((f) => `${f.target.platform} ${f.target.channelId}: ${f.error}`),
      more: Math.max(0, failed.length - 20),
      notSent: skipped.length > 0 ? `${count(skipped.length, 'channel')} on ${platforms}, which this Day2 is not connected to` : undefined,
    },
  });
}
