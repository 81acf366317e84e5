/**
 * The fan-out: the root at its current revision and the thread replies, to every channel of the
 * audience, queued at each platform's own pace. Idempotent: queued copies are never queued again.
 */
import type { OutboundMessage } from '../../chat/message.js';
import type { Platform } from '../../chat/port.js';
import type { DeliveryRequest } from '../../delivery/service.js';
import { rootKey, updateKey } from '../../domain/notice/notice.js';
import { noticeMessage, updateMessage } from './messages.js';
import { LEAD_SECONDS, type NoticeShared } from './shared.js';
import type { NoticeService, NoticeServiceDeps } from './types.js';

export function sendOps(deps: NoticeServiceDeps, shared: NoticeShared): Pick<NoticeService, 'fanOut' | 'retry'> {
  const { store, deliveries, renderer } = deps;
  const { scheduleReport } = shared;
  const ops: Pick<NoticeService, 'fanOut' | 'retry'> = {
    async fanOut(id, fromUpdate) {
      const n = await store.get(id);
      if (!n) return;
      const root = noticeMessage(renderer, n);
      // Reply n hangs under reply n-1 (the adapters put a reply to a reply in the root's thread):
      // it cannot overtake it in any channel, however fast updates come while copies are going out.
      const replies: { key: string; parentKey: string; message: OutboundMessage }[] = [];
      for (const entry of n.timeline) {
        if (entry.update === undefined || entry.update < fromUpdate) continue;
        const parentKey = entry.update > 1 ? updateKey(n.id, entry.update - 1) : rootKey(n.id);
        replies.push({ key: updateKey(n.id, entry.update), parentKey, message: updateMessage(renderer, n, entry) });
      }
      const byPlatform = new Map<string, DeliveryRequest[]>();
      for (const t of n.audience) {
        const target = { platform: t.platform, channelId: t.channelId };
        const list = byPlatform.get(t.platform) ?? [];
        list.push({ key: rootKey(n.id), revision: n.rootRevision, target, message: root });
        for (const r of replies) list.push({ key: r.key, revision: 1, target, parentKey: r.parentKey, message: r.message });
        byPlatform.set(t.platform, list);
      }
      // Each platform's copies are queued at that platform's own rate.
      const rates = deps.config().delivery.platformRates;
      const lists = [...byPlatform.entries()].map(([platform, list]) => ({ perSecond: Math.max(1, rates[platform as Platform] ?? 1), list }));
      const start = Date.now();
      for (let second = 0; lists.some((l) => l.list.length > 0); second++) {
        await deliveries.enqueue(lists.flatMap((l) => l.list.splice(0, second === 0 ? l.perSecond * LEAD_SECONDS : l.perSecond)));
        const due = start + (second + 1) * 1000;
        if (lists.some((l) => l.list.length > 0) && due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
    },

    async retry(id, now = new Date()) {
      const n = await store.update(id, (cur) => ({ ...cur, reports: cur.reports + 1 }));
      await ops.fanOut(n.id, 1);
      await scheduleReport(n, n.reports, now);
      return n;
    },
  };
  return ops;
}
