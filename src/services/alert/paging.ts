/**
 * Pages from alert groups: a group that opens pages the on-duty person of its team's rotation
 * (DM) and posts in the team's channels, with an escalation timer; later changes of the group
 * edit every copy; the source's resolve resolves the page. Changes of one group are applied one
 * after another in this process, so an update never races the page's creation. A page opens and
 * resolves within the webhook's request; an alert joining or changing only bumps the page's
 * revision there, and the edit goes out from a timer (PUBLISH_TIMER) that publishes whatever
 * revision the page has by then, so a burst into one group costs the webhook two writes per call
 * and the platforms far fewer edits.
 */
import { firstRecipients } from '../../domain/alert/escalation.js';
import type { AlertPage } from '../../store/alert/pages.js';
import type { PageEvent } from './ingest.js';
import { pageRequests } from './page-view.js';
import { commonLabels } from './silences.js';
import { ESCALATE_TIMER, PUBLISH_TIMER, publishData, type PagingDeps } from './types.js';

/** Who is on duty in each layer of the team's rotation now (undefined: nobody). */
export async function layerHolders(deps: Pick<PagingDeps, 'oncall'>, team: string, at: Date): Promise<(string | undefined)[]> {
  const entry = deps.oncall.entryForTeam(team);
  if (!entry) return [];
  return (await deps.oncall.duty(entry.id, at)).map((d) => d.current?.person ?? undefined);
}

/** The maintenance window in progress for the alerts' environment, if any (a failure is only logged). */
async function maintenanceNow(deps: PagingDeps, e: PageEvent, now: Date): Promise<AlertPage['maintenance']> {
  if (!deps.maintenanceWindows) return undefined;
  const env = commonLabels(await deps.groups.alerts(e.change.groupId))[e.integration.silences?.envLabel ?? 'env'];
  if (!env) return undefined;
  try {
    const live = (await deps.maintenanceWindows(env, now, new Date(now.getTime() + 1))).find((w) => w.status === 'scheduled' || w.status === 'in-progress');
    return live ? { noticeId: live.noticeId, env, ...(live.envName ? { envName: live.envName } : {}), end: live.end.toISOString() } : undefined;
  } catch (err) {
    deps.log.warn({ err, page: e.change.pageId }, 'could not read the maintenance windows');
    return undefined;
  }
}

export function createPaging(deps: PagingDeps) {
  const chains = new Map<string, Promise<unknown>>();
  const timeoutMs = (p: Pick<AlertPage, 'urgency'>) => deps.config().ackTimeoutSeconds[p.urgency] * 1000;

  /** Enqueue every copy of the page at its current revision. */
  const publish = async (page: AlertPage) => deps.deliveries.enqueue(await pageRequests(deps, page));

  const open = async (e: PageEvent, now: Date): Promise<void> => {
    const holders = await layerHolders(deps, e.route.team, now);
    const maintenance = await maintenanceNow(deps, e, now);
    const managers = deps.oncall.team(e.route.team)?.managers ?? [];
    const { step, nobodyOnDuty } = firstRecipients(holders, managers);
    const page: AlertPage = {
      id: e.change.pageId,
      groupId: e.change.groupId,
      integrationId: e.integration.id,
      team: e.route.team,
      urgency: e.route.urgency,
      unmatched: e.route.unmatched,
      createdAt: now.toISOString(),
      assignee: nobodyOnDuty ? null : (step.to[0] ?? null),
      notified: step.to,
      steps: [{ at: now.toISOString(), to: step.to, layer: step.layer }],
      silenceIds: [],
      handovers: [],
      revision: 1,
      ...(e.change.previousPageId ? { previousPageId: e.change.previousPageId } : {}),
      ...(e.sourceUrl ? { sourceUrl: e.sourceUrl } : {}),
      ...(maintenance ? { maintenance } : {}),
    };
    const stored = await deps.pages.put(page.id, page);
    // The group's resolve (or its next page) may have been applied meanwhile by another process,
    // whose update found no page yet and let it be: resolved now, or it would escalate for good.
    if (await deps.groups.pageOver(page.groupId, page.id)) return update({ ...e, change: { ...e.change, opened: false, resolved: true } }, now);
    await publish(stored.value);
    await deps.scheduler.at(ESCALATE_TIMER, page.id, new Date(now.getTime() + timeoutMs(page)), { id: page.id, steps: 1 });
    if (nobodyOnDuty) deps.log.warn({ page: page.id, team: page.team }, 'alert paged with nobody on duty');
  };

  const update = async (e: PageEvent, now: Date): Promise<void> => {
    if (!(await deps.pages.get(e.change.pageId))) return;
    const updated = await deps.pages.update(e.change.pageId, (p) =>
      e.change.resolved && !p.resolvedAt ? { ...p, resolvedAt: now.toISOString(), resolvedBy: 'source', revision: p.revision + 1 } : { ...p, revision: p.revision + 1 },
    );
    if (!e.change.resolved) {
      await deps.scheduler.at(PUBLISH_TIMER, `${updated.value.id}-r${updated.value.revision}`, now, { id: updated.value.id, revision: updated.value.revision });
      return;
    }
    await publish(updated.value);
    await closed(updated.value);
  };

  // A deferred edit: publish the page as it is now, unless a later revision took over.
  deps.scheduler.handle(PUBLISH_TIMER, publishData, async (data) => {
    const page = (await deps.pages.get(data.id))?.value;
    if (page && page.revision === data.revision) await publish(page);
  });

  /** A resolved page: no more escalation, and its silences are lifted. */
  const closed = async (page: AlertPage): Promise<void> => {
    await deps.scheduler.cancel(ESCALATE_TIMER, page.id);
    const url = deps.config().integrations.find((i) => i.id === page.integrationId)?.silences?.url;
    for (const id of url ? page.silenceIds : []) {
      await deps.silencer.expire(url!, id).catch((err: unknown) => deps.log.warn({ err, page: page.id, silence: id }, 'could not expire the silence'));
    }
  };

  /** The ingest's `onPage`: one group's changes in order. */
  const onPage = (e: PageEvent): Promise<void> => {
    const key = e.change.groupId;
    const run = (chains.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => (e.change.opened ? open(e, deps.clock()) : update(e, deps.clock())));
    chains.set(key, run);
    void run.finally(() => {
      if (chains.get(key) === run) chains.delete(key);
    });
    return run;
  };

  return { onPage, publish, closed, timeoutMs };
}

export type Paging = ReturnType<typeof createPaging>;
