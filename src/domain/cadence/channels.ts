/**
 * Which channels a cadence may post in. The chat port cannot ask a platform "may the bot post
 * here?" ahead of time, so Day2 holds to what the operator wrote down: channels of teams and
 * environments, `cadence.channels`, and the channel the command was typed in (the bot is
 * answering there). Anything else is refused before anything is saved.
 */
import type { Platform } from '../platform.js';
import type { Parsed } from './schedule.js';

export interface CadenceChannel {
  platform: Platform;
  channelId: string;
}

export interface ChannelRules {
  /** `slack:C123`, `mattermost:abc…` */
  allowed: ReadonlySet<string>;
  /** Where the command was typed. */
  here: CadenceChannel;
}

/** Whether a token is meant as a channel (`here`, `<#C…>`, `#C…`, `~id`, a bare channel id). */
export function looksLikeChannel(raw: string): boolean {
  return /^(here|<#[CG][A-Z0-9]+(\|[^>]*)?>|#\S+|~\S+|[CG][A-Z0-9]{6,}|[a-z0-9]{26})$/.test(raw);
}

export function parseCadenceChannel(raw: string, rules: ChannelRules): Parsed<CadenceChannel> {
  const v = raw.trim();
  let ch: CadenceChannel | undefined;
  if (v === 'here') return { ok: true, value: rules.here };
  let m = /^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$/.exec(v) ?? /^#?([CG][A-Z0-9]{6,})$/.exec(v);
  if (m) ch = { platform: 'slack', channelId: m[1]! };
  m = /^~?([a-z0-9]{26})$/.exec(v);
  if (!ch && m) ch = { platform: 'mattermost', channelId: m[1]! };
  if (!ch) return { ok: false, problem: `"${v}" is not a channel Day2 can address: use "here", a Slack channel link or id, or a Mattermost channel id` };
  if (ch.platform === rules.here.platform && ch.channelId === rules.here.channelId) return { ok: true, value: ch };
  if (!rules.allowed.has(`${ch.platform}:${ch.channelId}`)) {
    return { ok: false, problem: `Day2 cannot post in ${v}: it is not a team, environment or cadence.channels channel in the configuration (or use "here")` };
  }
  return { ok: true, value: ch };
}

/** The allow-list from the config. */
export function allowedChannels(cfg: {
  teams: { channels?: { slack: string[]; mattermost: string[]; console?: string[] } | undefined }[];
  environments: { channels: { slack: string[]; mattermost: string[]; console?: string[] } }[];
  cadence: { channels: { slack: string[]; mattermost: string[]; console?: string[] } };
}): Set<string> {
  const out = new Set<string>();
  const add = (c: { slack: string[]; mattermost: string[]; console?: string[] } | undefined) => {
    for (const id of c?.slack ?? []) out.add(`slack:${id}`);
    for (const id of c?.mattermost ?? []) out.add(`mattermost:${id}`);
    for (const id of c?.console ?? []) out.add(`console:${id}`);
  };
  for (const t of cfg.teams) add(t.channels);
  for (const e of cfg.environments) add(e.channels);
  add(cfg.cadence.channels);
  return out;
}
