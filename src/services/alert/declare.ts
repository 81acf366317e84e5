/**
 * "Declare outage" on a page: what the outage notice's draft is pre-filled with (environment,
 * severity and components from the labels the group's alerts share, the page's title as the
 * summary, the page's title and team name for the notice to say where it was declared from),
 * and, once the notice is confirmed, the link back: the page records the notice and every copy
 * shows it. The draft and its preview are the notices feature's own (`/notice outage`).
 */
import { outageFromLabels, type OutageSeverity } from '../../domain/alert/declare.js';
import { MAX_DECLARED_NAME, type DeclaredFrom } from '../../domain/notice/notice.js';
import { InputError } from '../../errors.js';
import type { AlertPage } from '../../store/alert/pages.js';
import { pageTeamName, pageTitle } from './page-view.js';
import type { Paging } from './paging.js';
import { checkMayAnswer, type Responder } from './responses.js';
import { commonLabels } from './silences.js';
import type { PagingDeps } from './types.js';

export interface OutageDraft {
  pageId: string;
  env: string;
  severity: OutageSeverity;
  components: string[];
  summary: string;
  /** The page as its copies name it (title and team), for the notice's readers. */
  declaredFrom: DeclaredFrom;
}

const MAX_SUMMARY = 1000;

export function createDeclare(deps: PagingDeps, paging: Paging) {
  const openPage = async (id: string): Promise<AlertPage> => {
    const page = (await deps.pages.get(id))?.value;
    if (!page) throw new InputError(`Page ${id} no longer exists (pages are kept 30 days).`);
    return page;
  };

  /** The pre-filled outage for page `id`, if `who` may answer it and its alerts name an environment. */
  const outageDraft = async (id: string, who: Responder, now: Date): Promise<OutageDraft> => {
    const page = await openPage(id);
    await checkMayAnswer(deps, page, who, now);
    if (page.resolvedAt) throw new InputError(`Page ${id} is already resolved.`);
    if (page.outageNoticeId) throw new InputError(`Page ${id} already has outage notice ${page.outageNoticeId}: use /notice update ${page.outageNoticeId} <status> <text>.`);
    const alerts = await deps.groups.alerts(page.groupId);
    const silences = deps.config().integrations.find((i) => i.id === page.integrationId)?.silences;
    const envLabel = silences?.envLabel ?? 'env';
    const p = outageFromLabels(commonLabels(alerts), { envLabel, componentLabel: silences?.componentLabel, urgency: page.urgency });
    if (!p.env) throw new InputError(`The alerts of page ${id} do not share an "${envLabel}" label, so Day2 cannot tell which environment is out.\nUsage: /notice outage <env> <sev1|sev2|sev3|sev4> [components=api,db] <summary>`);
    const first = alerts.find((a) => a.status === 'firing') ?? alerts[0];
    const title = pageTitle(alerts);
    const detail = first?.annotations.summary && first.annotations.summary !== title ? `: ${first.annotations.summary}` : '';
    const declaredFrom = { title: title.slice(0, MAX_DECLARED_NAME), team: pageTeamName(deps, page).slice(0, MAX_DECLARED_NAME) };
    return { pageId: page.id, env: p.env, severity: p.severity, components: p.components, summary: `${title}${detail}`.slice(0, MAX_SUMMARY), declaredFrom };
  };

  /** The outage notice declared from the page was confirmed: the page shows it (idempotent). */
  const linkNotice = async (id: string, noticeId: string): Promise<AlertPage> => {
    await openPage(id);
    const updated = await deps.pages.update(id, (p) => (p.outageNoticeId === noticeId ? p : { ...p, outageNoticeId: noticeId, revision: p.revision + 1 }));
    await paging.publish(updated.value);
    return updated.value;
  };

  return { outageDraft, linkNotice };
}
