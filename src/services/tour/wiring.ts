/**
 * Wires tours of duty into a bot: their store and service, sending through the on-call feature
 * (a guest joins the host rotation for the tour).
 */
import type { RedisClient } from '../../store/redis.js';
import { createTourStore } from '../../store/tour/store.js';
import { createTourService, type TourDeps, type TourService } from './service.js';

export function wireTours(ctx: Omit<TourDeps, 'store'> & { redis: RedisClient }): TourService {
  const { redis, ...deps } = ctx;
  return createTourService({ ...deps, store: createTourStore(redis) });
}
