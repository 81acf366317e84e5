/**
 * A place's channels on each platform (`channels: { slack: […], mattermost: […], console: […] }`
 * in the config) and the delivery targets they make. Console channels are names in the terminal
 * workspace (`prod-east-notices`), so the console shows every family's channel messages too.
 */
import { z } from 'zod';
import type { Platform } from './platform.js';

export const consoleChannelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,79}$/, { error: 'console channels are names of lowercase letters, digits, "-" and "_" (e.g. "prod-east-notices")' });

/** The console's list in a channels block: absent means none. */
export const consoleChannels = z.array(consoleChannelName).default([]);

export interface PlatformChannels {
  slack: string[];
  mattermost: string[];
  console?: string[];
}

export interface ChannelTarget {
  platform: Platform;
  channelId: string;
}

/** Every channel of `channels` as a target, on the platforms in `on` (all when absent). */
export function channelTargets(channels: PlatformChannels | undefined, on?: ReadonlySet<Platform>): ChannelTarget[] {
  if (!channels) return [];
  const lists: [Platform, string[]][] = [
    ['slack', channels.slack],
    ['mattermost', channels.mattermost],
    ['console', channels.console ?? []],
  ];
  return lists.flatMap(([platform, ids]) => (on && !on.has(platform) ? [] : ids.map((channelId) => ({ platform, channelId }))));
}

/** How many channels `channels` names on any platform. */
export function channelCount(channels: PlatformChannels | undefined): number {
  return channels ? channels.slack.length + channels.mattermost.length + (channels.console?.length ?? 0) : 0;
}
