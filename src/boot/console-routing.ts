/**
 * Which platforms this bot sends to, known from the settings before any adapter is built, so a
 * fan-out decides when it is queued what cannot be delivered (see src/delivery/routing.ts). With
 * a console, the console gets its own delivery queue, and a probe of the work still due, which a
 * scripted session waits for before it exits.
 */
import type { Platform } from '../chat/port.js';
import { createIdleProbe, type IdleProbe } from '../delivery/idle.js';
import { QUEUES } from '../delivery/queues.js';
import { consoleOwnerId, consoleQueueName, type DeliveryRouting } from '../delivery/routing.js';
import type { Env } from '../env.js';
import type { RedisClient } from '../store/redis.js';

/** The platforms createAdapters starts for these settings. */
export function platformsFor(env: Pick<Env, 'SLACK_BOT_TOKEN' | 'MATTERMOST_URL' | 'MATTERMOST_TOKEN'>, withConsole: boolean): Platform[] {
  const out: Platform[] = [];
  if (env.SLACK_BOT_TOKEN) out.push('slack');
  if (env.MATTERMOST_URL && env.MATTERMOST_TOKEN) out.push('mattermost');
  if (withConsole) out.push('console');
  return out;
}

export interface ConsoleRouting {
  routing: DeliveryRouting;
  /** Present with a console: the timer and console queue work due within a horizon. */
  idle?: IdleProbe;
}

export function consoleRouting(env: Env, withConsole: boolean, bull: { connection: RedisClient; prefix: string }): ConsoleRouting {
  const running = platformsFor(env, withConsole);
  if (!withConsole) return { routing: { running: () => running } };
  const owner = consoleOwnerId();
  return {
    routing: { running: () => running, consoleOwner: owner },
    idle: createIdleProbe({ ...bull, queues: [QUEUES.timers, consoleQueueName(owner)] }),
  };
}
