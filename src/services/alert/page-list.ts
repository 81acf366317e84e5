/** Reading pages back: the pages of the most recently changed groups, filtered. */
import type { AlertPage } from '../../store/alert/pages.js';
import type { PagingDeps } from './types.js';

/** Pages of the `scan` most recently changed groups that `keep` accepts, newest first, at most `limit`. */
export async function recentPagesWhere(deps: Pick<PagingDeps, 'groups' | 'pages'>, scan: number, keep: (p: AlertPage) => boolean, limit = Number.POSITIVE_INFINITY): Promise<AlertPage[]> {
  const out: AlertPage[] = [];
  for (const { pageId } of await deps.groups.recentPages(scan)) {
    const p = (await deps.pages.get(pageId))?.value;
    if (p && keep(p)) out.push(p);
    if (out.length >= limit) break;
  }
  return out;
}
