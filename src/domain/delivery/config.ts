/**
 * The `delivery` config section: how fast the delivery queue may write to the platforms.
 * `perPlatformPerSecond` is one rate for every platform, or a rate per platform (Slack and
 * Mattermost workspaces often allow very different rates); a platform left out of the map gets
 * the default. After parsing, `platformRates` holds the rate of every platform and
 * `perPlatformPerSecond` the fastest of them, for callers that meter work by one figure and must
 * keep every platform busy.
 */
import { z } from 'zod';
import { PLATFORMS, type Platform } from '../platform.js';

/** Messages per second for a platform nobody gave a rate for. */
export const DEFAULT_PLATFORM_RATE = 20;

const rate = z.int().min(1).max(1000);

export const deliveryConfig = z
  .strictObject({
    /** Minimum gap between two messages to one channel (Slack allows about one a second). */
    perChannelIntervalMs: z.int().min(0).max(60_000).default(1000),
    /** Messages per second per platform workspace, across channels: one figure, or per platform. */
    perPlatformPerSecond: z
      .union([rate, z.partialRecord(z.enum(PLATFORMS as [Platform, ...Platform[]]), rate)], {
        error: 'a number of messages per second (1-1000), or a map of platform to such a number, e.g. { slack: 50, mattermost: 10 }',
      })
      .default(DEFAULT_PLATFORM_RATE),
    /**
     * Messages a platform may take at once above its rate. Both platforms allow short bursts; a
     * few let a sender that woke a little late go without holding back everyone behind it.
     */
    burst: z.int().min(0).max(1000).default(5),
    attempts: z.int().min(1).max(50).default(8),
  })
  .transform(({ perPlatformPerSecond, ...rest }) => {
    const platformRates = Object.fromEntries(PLATFORMS.map((p) => [p, platformRate(perPlatformPerSecond, p)])) as Record<Platform, number>;
    return { ...rest, perPlatformPerSecond: Math.max(...Object.values(platformRates)), platformRates };
  });

export type DeliveryConfig = z.output<typeof deliveryConfig>;

/** The messages-per-second rate that applies to `platform`: the one figure, or its entry in the map. */
export function platformRate(perPlatformPerSecond: number | Partial<Record<Platform, number>>, platform: string): number {
  if (typeof perPlatformPerSecond === 'number') return perPlatformPerSecond;
  return perPlatformPerSecond[platform as Platform] ?? DEFAULT_PLATFORM_RATE;
}
