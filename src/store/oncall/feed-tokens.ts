/**
 * Tokens of the on-call iCal feeds (GET /ical/oncall/<team>.ics), one per team, derived from a
 * random secret kept in Redis (deleting it rotates them all).
 */
import { derivedFeedTokens } from '../feed-tokens.js';
import type { RedisClient } from '../redis.js';

const SECRET_KEY = 'oncall:ical-secret';

export interface OncallIcalTokens {
  tokenFor(team: string): Promise<string>;
}

export function createOncallIcalTokens(redis: RedisClient): OncallIcalTokens {
  return derivedFeedTokens(redis, SECRET_KEY, 'ical-oncall');
}
