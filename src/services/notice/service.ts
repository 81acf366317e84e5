/**
 * The notices service: drafts, confirmation, lifecycle changes and the fan-out. Handlers and
 * timers call it; it never talks to a chat platform itself: every copy goes through the
 * delivery queue under deterministic keys, so a retry, a restart or a second process can only
 * ever make the platform show the newest revision of the one copy per channel.
 *
 *   root message   key notice-<id>,      revision = notice.rootRevision (edited on every change)
 *   update n       key notice-<id>-u<n>, revision 1, a thread reply: parentKey = root for the
 *                  first, the previous update for the others (so replies keep their order)
 *
 * The fan-out itself runs in a timer job (`notice-fanout`, one id per root revision), not in
 * the command handler: if the process dies halfway through queueing a thousand deliveries, the
 * job is picked up again and queues the rest; what was queued already is not queued twice.
 */
import { lifecycleOps } from './lifecycle.js';
import { previewOps } from './preview.js';
import { reportOps } from './reports.js';
import { sendOps } from './send.js';
import { noticeShared } from './shared.js';
import type { NoticeService, NoticeServiceDeps } from './types.js';

export { TIMER, type DraftInput, type FanoutReport, type LedgerRow, type NoticeService, type NoticeServiceDeps } from './types.js';

export function createNoticeService(deps: NoticeServiceDeps): NoticeService {
  const shared = noticeShared(deps);
  return {
    store: deps.store,
    environment: shared.environment,
    audience: shared.audience,
    ...previewOps(deps, shared),
    ...sendOps(deps, shared),
    ...lifecycleOps(deps, shared),
    ...reportOps(deps, shared),
    maintenanceWindows: (env, from, to) => deps.store.maintenanceWindows(env, from, to),
  };
}
