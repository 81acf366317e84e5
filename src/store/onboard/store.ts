/**
 * Onboarding storage: requests (kept) and drafts (one per person per platform, expiring after
 * `draftDays`), both versioned records, plus the request id counter.
 */
import { createRepository, type Repository } from '../record.js';
import type { RedisClient } from '../redis.js';
import { draftSchema, requestSchema, type Draft, type OnboardingRequest } from '../../domain/onboard/request.js';
import type { Platform } from '../../chat/port.js';

export interface OnboardingStore {
  requests: Repository<OnboardingRequest>;
  drafts: Repository<Draft>;
  /** The next request id (`ob-1`, `ob-2`, …); never reused. */
  nextId(): Promise<string>;
  draftId(platform: Platform, userId: string): string;
}

export function createOnboardingStore(redis: RedisClient, opts: { draftDays: number }): OnboardingStore {
  return {
    requests: createRepository({ redis, name: 'onboarding-requests', schema: requestSchema, version: 1 }),
    drafts: createRepository({ redis, name: 'onboarding-drafts', schema: draftSchema, version: 1, ttlMs: opts.draftDays * 24 * 3600 * 1000 }),
    async nextId() {
      return `ob-${await redis.incr('onboarding:seq')}`;
    },
    draftId: (platform, userId) => `${platform}.${userId}`,
  };
}
