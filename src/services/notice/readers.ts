/**
 * Who may read an environment's notices — /notice list, /notice show, and the status page link
 * `/day2 web status` hands out — in one place: the environment's PREs and admins anywhere,
 * everyone else in a channel subscribed to that environment. The audience is
 * environment-scoped, so a classified enclave's notices stay where they were sent.
 */
import type { Config, Role } from '../../config.js';
import type { StoredSubscription } from '../../store/notice/store.js';

export interface NoticeReaderCaller {
  roles: ReadonlySet<Role>;
  personId?: string;
  /** Where the question is asked. */
  channel: { platform: string; id: string };
}

export function noticeReader(config: Config, stored: readonly StoredSubscription[], caller: NoticeReaderCaller): (env: string) => boolean {
  if (caller.roles.has('admin')) return () => true;
  const { platform, id } = caller.channel;
  const here = new Set<string>();
  for (const s of config.notices.subscriptions) if (s.platform === platform && s.channel === id) here.add(s.env);
  for (const s of stored) if (s.platform === platform && s.channelId === id) here.add(s.env);
  const person = caller.personId;
  const pre = new Set(config.environments.filter((e) => person !== undefined && e.pres.includes(person)).map((e) => e.id));
  return (env) => here.has(env) || pre.has(env);
}
