/**
 * Handoffs move open pages, as they move support requests: at a handoff of the first slot of the
 * team's paging rotation, each open page of the team nobody acknowledged is addressed to the
 * incoming tribute. They get a DM copy of the page (the same revisioned message, so every copy
 * shows the new holder), the page records the move, a thread reply under the channel post says
 * so, and its escalation timer restarts so the newcomer has a full timeout to acknowledge.
 *
 * An acknowledged page stays with whoever acknowledged it (as PagerDuty keeps an acknowledged
 * incident with its acknowledger, and as support requests do here): they said "I have it" and
 * carry its context. A snoozed page moves too; when the snooze ends it pages the new holder.
 * Running twice moves nothing twice: a page already addressed to the newcomer is left alone.
 */
import { channelTargets } from '../../domain/channels.js';
import type { AlertPage } from '../../store/alert/pages.js';
import { recentPagesWhere } from './page-list.js';
import { pageView } from './page-view.js';
import type { Paging } from './paging.js';
import { ESCALATE_TIMER, pageKey, type PagingDeps } from './types.js';

/** How many recently changed pages a handoff looks through for its team's open ones. */
const SCAN = 500;

export function createHandover(deps: PagingDeps, paging: Paging) {
  const stays = (p: AlertPage, to: string) => !!p.resolvedAt || !!p.ackedAt || p.assignee === to;


  /** The thread reply under the page in the team's channels. */
  const announce = async (page: AlertPage) => {
    const move = page.handovers.at(-1)!;
    const view = pageView(deps, page, await deps.groups.alerts(page.groupId));
    const message = deps.renderer.render('alerts/handed-over', { id: page.id, title: view.title, team: view.team, to: `person:${move.to}`, from: move.from ? `person:${move.from}` : null });
    const channels = channelTargets(deps.oncall.team(page.team)?.channels, deps.platforms());
    await deps.deliveries.enqueue(channels.map((target) => ({ key: `${pageKey(page.id)}-h${page.handovers.length}`, revision: 1, target, parentKey: pageKey(page.id), message })));
  };

  const move = async (page: AlertPage, to: string, at: Date): Promise<AlertPage | undefined> => {
    let moved = false;
    const updated = await deps.pages.update(page.id, (p) => {
      if (stays(p, to)) return p;
      moved = true;
      return { ...p, assignee: to, notified: [...new Set([...p.notified, to])], handovers: [...p.handovers, { at: at.toISOString(), from: p.assignee, to }], revision: p.revision + 1 };
    });
    if (!moved) return undefined;
    const p = updated.value;
    await paging.publish(p);
    await announce(p);
    // A snoozed page keeps its wake-up timer, which pages the new holder when the snooze ends.
    const snoozed = p.snoozedUntil && Date.parse(p.snoozedUntil) > at.getTime();
    if (!snoozed) await deps.scheduler.at(ESCALATE_TIMER, p.id, new Date(at.getTime() + paging.timeoutMs(p)), { id: p.id, steps: p.steps.length });
    return p;
  };

  /** The handoff hook (HandoffDeps.pages): resolves the pages that moved. */
  const handOver = async (rotationId: string, team: string, to: string, at: Date): Promise<AlertPage[]> => {
    // Pages follow the team's paging rotation only; another rotation of the team moves nothing.
    if (deps.oncall.entryForTeam(team)?.id !== rotationId) return [];
    const moved: AlertPage[] = [];
    for (const page of await recentPagesWhere(deps, SCAN, (p) => p.team === team && !p.resolvedAt)) {
      if (stays(page, to)) continue;
      const p = await move(page, to, at);
      if (p) moved.push(p);
    }
    if (moved.length > 0) deps.log.info({ team, to, pages: moved.map((p) => p.id) }, 'alert pages handed over at the handoff');
    return moved;
  };

  return { handOver };
}
