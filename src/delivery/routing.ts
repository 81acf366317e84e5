/**
 * Where a delivery request goes, decided once, when it is queued:
 *
 * - a target on a platform this Day2 does not run is not queued at all: its outbox entry records
 *   `not_running` (one line in the ledger), and no worker ever tries it or warns about it;
 * - a console target goes to the queue of the console that is running in this process. A console
 *   is one terminal: a second `npm start`, or a test bot on the same Redis prefix, runs its own
 *   queue (or none) and never takes another console's messages. A process without a console (a
 *   timer fired there) sends console targets to the console listed alive in Redis, if any;
 * - everything else goes to the shared delivery queue, worked by every Day2 process.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Platform } from '../chat/port.js';
import { QUEUES } from './queues.js';
import type { DeliveryRequest } from './job.js';
import type { RedisClient } from '../store/redis.js';

export interface DeliveryRouting {
  /** Platforms this process sends to; targets on any other are recorded as not running. */
  running: () => Iterable<Platform>;
  /** The console running in this process (consoleOwnerId()); without it console targets are not running. */
  consoleOwner?: string;
}

export const NOT_RUNNING = 'not_running';

/** A name for this process's console, unique across hosts and restarts; BullMQ-safe (no `:`). */
export function consoleOwnerId(): string {
  const host = hostname().replace(/[^A-Za-z0-9-]/g, '').slice(0, 24) || 'host';
  return `${host}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

/** The queue only the console `owner` works. */
export function consoleQueueName(owner: string): string {
  return `${QUEUES.delivery}-console-${owner}`;
}

export type Route = { queue: string } | { skip: string };

/**
 * The queue a request goes to, or why it is not sent at all. Without routing everything is queued.
 * `liveConsole` is the console another process runs, for a process without one of its own (a timer
 * fired there for a message a console should show).
 */
export function routeOf(req: DeliveryRequest, routing: DeliveryRouting | undefined, liveConsole?: string): Route {
  if (!routing) return { queue: QUEUES.delivery };
  const platform = req.target.platform;
  if (platform === 'console') {
    const owner = routing.consoleOwner ?? liveConsole;
    return owner ? { queue: consoleQueueName(owner) } : { skip: 'no console is running' };
  }
  for (const p of routing.running()) if (p === platform) return { queue: QUEUES.delivery };
  return { skip: `${platform} is not connected to this Day2` };
}

/** Consoles say they are alive this often; one silent for three beats is taken as gone. */
export const CONSOLE_HEARTBEAT_MS = 10_000;
const CONSOLES_KEY = 'console-owners';

/** Keep `owner` listed as a live console until the returned stop is called. */
export function registerConsole(redis: RedisClient, owner: string): { stop(): Promise<void> } {
  const beat = () => redis.hset(CONSOLES_KEY, owner, String(Date.now())).catch(() => 0);
  void beat();
  const timer = setInterval(() => void beat(), CONSOLE_HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await redis.hdel(CONSOLES_KEY, owner).catch(() => 0);
    },
  };
}

/** The most recently alive console on this Redis prefix, if any. */
export async function liveConsole(redis: RedisClient): Promise<string | undefined> {
  const all = await redis.hgetall(CONSOLES_KEY);
  const alive = Object.entries(all).filter(([, at]) => Number(at) > Date.now() - 3 * CONSOLE_HEARTBEAT_MS);
  alive.sort((a, b) => Number(b[1]) - Number(a[1]));
  return alive[0]?.[0];
}
