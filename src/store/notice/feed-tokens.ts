/**
 * Tokens of the maintenance iCal feeds (GET /ical/maintenance/<env>.ics): the one set under
 * notices.icalTokens, else one derived from a random secret kept in Redis, so a feed link reveals
 * nothing about other environments and can be rotated by deleting that secret.
 */
import type { Config } from '../../config.js';
import { derivedFeedTokens } from '../feed-tokens.js';
import type { RedisClient } from '../redis.js';

const SECRET_KEY = 'notices:ical-secret';

export interface IcalTokens {
  tokenFor(env: string): Promise<string>;
}

export function createIcalTokens(redis: RedisClient, config: () => Config): IcalTokens {
  const derived = derivedFeedTokens(redis, SECRET_KEY, 'ical-maintenance');
  return {
    tokenFor: async (env) => config().notices.icalTokens[env] || derived.tokenFor(env),
  };
}
