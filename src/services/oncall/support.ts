/**
 * Support routing: a request goes to the team's channels addressed to the current tribute, with
 * Ack / Resolve buttons. Not acknowledged within the rotation's `supportSla`, whoever is on duty
 * then is re-notified (and holds it); after another SLA it escalates to the next layer's holder,
 * or to the team's managers when there is none. Timers: `oncall-support-sla`, id = request id
 * (one pending stage). The channel post is one delivery key edited by revision, so every platform
 * copy shows the state.
 *
 * Hand-over: at each handoff of the rotation's first slot, open requests nobody has acknowledged
 * move to the incoming tribute; acknowledged ones stay with whoever acknowledged them.
 *
 *   support-types.ts       the interface, deps, hand-over report, SLA timer and post key
 *   support-shared.ts      metrics, targets, the channel post, SLA, first slot, `moveTo`
 *   support-requests.ts    create, ack, resolve, and reading requests and their stats
 *   support-escalation.ts  the SLA timer: re-notify, then escalate
 *   support-handover.ts    moving open requests at a handoff
 */
import { registerSupportEscalation } from './support-escalation.js';
import { handOverOps } from './support-handover.js';
import { requestOps } from './support-requests.js';
import { supportShared } from './support-shared.js';
import type { SupportDeps, SupportService } from './support-types.js';

export type { HandOver, SupportDeps, SupportService } from './support-types.js';

export function createSupportService(deps: SupportDeps): SupportService {
  const shared = supportShared(deps);
  registerSupportEscalation(deps, shared);
  return {
    ...requestOps(deps, shared),
    ...handOverOps(deps, shared),
  };
}
