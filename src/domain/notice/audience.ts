/**
 * Who receives a notice: the channels subscribed to its environment whose filters let it
 * through. A subscription filtered by component receives notices that name one of its
 * components, and notices that name none (those concern the whole environment).
 */
import type { NoticeKind, NoticeTarget } from './notice.js';

export interface Subscription {
  env: string;
  platform: NoticeTarget['platform'];
  channelId: string;
  /** Empty or absent: every kind. */
  kinds?: readonly NoticeKind[];
  /** Empty or absent: every component. */
  components?: readonly string[];
}

export function matches(sub: Subscription, notice: { env: string; kind: NoticeKind; components: readonly string[] }): boolean {
  if (sub.env !== notice.env) return false;
  if (sub.kinds && sub.kinds.length > 0 && !sub.kinds.includes(notice.kind)) return false;
  if (sub.components && sub.components.length > 0 && notice.components.length > 0) {
    const wanted = new Set(sub.components.map((c) => c.toLowerCase()));
    if (!notice.components.some((c) => wanted.has(c.toLowerCase()))) return false;
  }
  return true;
}

/** Channels, each once, in a stable order (platform, then channel id). */
export function audienceOf(subs: readonly Subscription[], notice: { env: string; kind: NoticeKind; components: readonly string[] }): NoticeTarget[] {
  const seen = new Map<string, NoticeTarget>();
  for (const s of subs) {
    if (!matches(s, notice)) continue;
    seen.set(`${s.platform}\u0000${s.channelId}`, { platform: s.platform, channelId: s.channelId });
  }
  return [...seen.values()].sort((a, b) => (a.platform === b.platform ? (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0) : a.platform < b.platform ? -1 : 1));
}

export function countByPlatform(targets: readonly NoticeTarget[]): { slack: number; mattermost: number; console: number; total: number } {
  const on = (p: NoticeTarget['platform']) => targets.filter((t) => t.platform === p).length;
  return { slack: on('slack'), mattermost: on('mattermost'), console: on('console'), total: targets.length };
}
