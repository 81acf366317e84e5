/**
 * The escalation timer (`alert-escalate`, id = page id): a page nobody acknowledged within its
 * urgency's timeout goes to the next layer's holder, then to the team's managers, one step per
 * timeout, each step recorded on the page and its copies edited. The Escalate button takes the
 * same step at once. A snoozed page that wakes up pages its holder again and starts over.
 */
import { channelTargets } from '../../domain/channels.js';
import { nextEscalation } from '../../domain/alert/escalation.js';
import type { AlertPage } from '../../store/alert/pages.js';
import { pageView } from './page-view.js';
import { layerHolders, type Paging } from './paging.js';
import { ESCALATE_TIMER, escalateData, pageKey, type PagingDeps } from './types.js';

export function createEscalation(deps: PagingDeps, paging: Paging) {
  /** Takes the next step now; resolves the page after it, or undefined when there is none left. */
  const escalate = async (page: AlertPage, by: string | undefined, now: Date): Promise<AlertPage | undefined> => {
    const holders = await layerHolders(deps, page.team, now);
    const managers = deps.oncall.team(page.team)?.managers ?? [];
    const reached = page.steps[page.steps.length - 1]?.layer ?? 0;
    const step = nextEscalation(holders, reached, page.notified, managers);
    if (!step) return undefined;
    // Re-checked inside the update: an Acknowledge, a Resolve or another step that landed since
    // the page was read wins, and this step is not taken.
    let stepped = false;
    const updated = await deps.pages.update(page.id, (p) => {
      if (p.resolvedAt || p.steps.length !== page.steps.length || (!by && p.ackedAt)) return p;
      stepped = true;
      return { ...p, notified: [...new Set([...p.notified, ...step.to])], steps: [...p.steps, { at: now.toISOString(), to: step.to, layer: step.layer, ...(by ? { by } : {}) }], revision: p.revision + 1 };
    });
    if (!stepped) return undefined;
    await paging.publish(updated.value);
    await tell(updated.value, step.to, step.layer === 'managers');
    deps.metrics.escalations.inc({ team: page.team, to: step.layer === 'managers' ? 'managers' : 'layer' });
    await deps.scheduler.at(ESCALATE_TIMER, page.id, new Date(now.getTime() + paging.timeoutMs(page)), { id: page.id, steps: updated.value.steps.length });
    return updated.value;
  };

  /** A thread reply under the page in the team's channels naming who it went to. */
  const tell = async (page: AlertPage, to: string[], managers: boolean) => {
    const view = pageView(deps, page, await deps.groups.alerts(page.groupId));
    const message = deps.renderer.render('alerts/escalated', { id: page.id, title: view.title, team: view.team, managers, to: to.map((p) => `person:${p}`) });
    const channels = channelTargets(deps.oncall.team(page.team)?.channels, deps.platforms());
    const key = `${pageKey(page.id)}-e${page.steps.length}`;
    await deps.deliveries.enqueue(channels.map((target) => ({ key, revision: 1, target, parentKey: pageKey(page.id), message })));
  };

  /**
   * A timer set for an earlier step fired: timers share the page's id and the last call wins, so
   * a step's or a handoff's call made from an older read replaced the newer one. Dropping it
   * would stop escalation for good; it is set again for the page as it stands.
   */
  const rearm = async (page: AlertPage, now: Date) => {
    if (page.ackedAt) return;
    const snoozed = page.snoozedUntil && Date.parse(page.snoozedUntil) > now.getTime() ? Date.parse(page.snoozedUntil) : undefined;
    const since = Math.max(...[...page.steps, ...page.handovers].map((x) => Date.parse(x.at)), Date.parse(page.createdAt));
    const due = snoozed ?? since + paging.timeoutMs(page);
    await deps.scheduler.at(ESCALATE_TIMER, page.id, new Date(Math.max(due, now.getTime())), { id: page.id, steps: page.steps.length });
  };

  deps.scheduler.handle(ESCALATE_TIMER, escalateData, async (data) => {
    const page = (await deps.pages.get(data.id))?.value;
    if (!page || page.resolvedAt) return;
    const now = deps.clock();
    if (page.steps.length !== data.steps) return rearm(page, now);
    if (page.snoozedUntil && !page.ackedAt) return wake(page, now);
    if (page.ackedAt) return;
    await escalate(page, undefined, now);
  });

  /** Snooze is over: the page is unacknowledged again and its holder is paged anew. */
  const wake = async (page: AlertPage, now: Date) => {
    // From the page as stored, not as the timer read it: a Resolve, an Acknowledge or a handoff
    // that landed since is kept (and a resolved or acknowledged page is not woken).
    let woke = false;
    const updated = await deps.pages.update(page.id, (p) => {
      if (p.resolvedAt || p.ackedAt || !p.snoozedUntil) return p;
      woke = true;
      const { snoozedUntil: _done, ...rest } = p;
      return { ...rest, steps: [...rest.steps, { at: now.toISOString(), to: rest.assignee ? [rest.assignee] : [], layer: rest.steps[0]!.layer }], revision: rest.revision + 1 };
    });
    if (!woke) return;
    await paging.publish(updated.value);
    await deps.scheduler.at(ESCALATE_TIMER, page.id, new Date(now.getTime() + paging.timeoutMs(page)), { id: page.id, steps: updated.value.steps.length });
  };

  return { escalate };
}
