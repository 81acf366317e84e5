/**
 * What became of a notice's copies: the completion report sent to the author (polled while
 * copies are pending) and the per-channel ledger.
 */
import { reportKey, rootKey, updateKey } from '../../domain/notice/notice.js';
import { reportMessage } from './messages.js';
import { REPORT_GIVE_UP_MS, type NoticeShared } from './shared.js';
import type { FanoutReport, LedgerRow, NoticeService, NoticeServiceDeps } from './types.js';

const targetKey = (t: { platform: string; channelId?: string; userId?: string }) => `${t.platform}-c-${t.channelId ?? ''}`;

export function reportOps(deps: NoticeServiceDeps, shared: NoticeShared): Pick<NoticeService, 'report' | 'ledger' | 'onReport'> {
  const { store, deliveries, renderer, log } = deps;
  const { load, scheduleReport } = shared;
  const ops: Pick<NoticeService, 'report' | 'ledger' | 'onReport'> = {
    async report(id) {
      const n = await load(id);
      const entries = new Map((await deliveries.status(rootKey(n.id))).map((e) => [targetKey(e.target as { platform: string; channelId?: string }), e]));
      const out: FanoutReport = { total: n.audience.length, delivered: 0, pending: 0, failed: [] };
      for (const t of n.audience) {
        const e = entries.get(targetKey(t));
        if (!e || e.state === 'pending') out.pending++;
        else if (e.state === 'failed') out.failed.push({ target: t, error: e.error ?? 'unknown' });
        else out.delivered++;
      }
      return out;
    },

    async ledger(id) {
      const n = await load(id);
      const root = new Map((await deliveries.status(rootKey(n.id))).map((e) => [targetKey(e.target as { platform: string; channelId?: string }), e]));
      const replies = await Promise.all(Array.from({ length: n.updates }, (_, i) => deliveries.status(updateKey(n.id, i + 1))));
      const replyMaps = replies.map((list) => new Map(list.map((e) => [targetKey(e.target as { platform: string; channelId?: string }), e])));
      return n.audience.map((t) => {
        const e = root.get(targetKey(t));
        const row: LedgerRow = { target: t, state: e?.state ?? 'not queued', repliesDelivered: 0, repliesFailed: 0 };
        if (e?.deliveredRevision !== undefined) row.deliveredRevision = e.deliveredRevision;
        if (e?.error) row.error = e.error;
        for (const m of replyMaps) {
          const r = m.get(targetKey(t));
          if (r?.state === 'delivered') row.repliesDelivered++;
          else if (r?.state === 'failed') {
            row.repliesFailed++;
            row.error ??= r.error;
          }
        }
        return row;
      });
    },

    async onReport(id, reportNo, since, now = new Date()) {
      const n = await store.get(id);
      if (!n) return;
      const r = await ops.report(id);
      if (r.pending > 0 && now.getTime() - since < REPORT_GIVE_UP_MS) {
        await scheduleReport(n, reportNo, now, since);
        return;
      }
      const message = reportMessage(renderer, n, r);
      await deliveries.enqueue([{ key: reportKey(n.id, reportNo), revision: 1, target: { platform: n.author.platform, userId: n.author.userId }, message }]);
      log.info({ notice: n.id, delivered: r.delivered, total: r.total, failed: r.failed.length }, 'notice fan-out report sent');
    },
  };
  return ops;
}
