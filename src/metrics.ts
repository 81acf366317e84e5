/**
 * Prometheus metrics. One registry per bot instance (so tests can run several side by side);
 * modules take the `Metrics` object they need instead of touching a global.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Commands by family and outcome (ok, invalid, forbidden, error, duplicate). */
  commands: Counter<'family' | 'outcome'>;
  /** Time from receiving a platform request to acknowledging it. */
  ackLatency: Histogram<'platform'>;
  /** Deliveries by platform and outcome (posted, updated, skipped_duplicate, failed). */
  deliveries: Counter<'platform' | 'outcome'>;
  /** Delivery retries by platform and reason (rate_limited, transient, paced). */
  deliveryRetries: Counter<'platform' | 'reason'>;
  /** Jobs per queue and state, as last read from Redis (in the background, never by a scrape). */
  queueDepth: Gauge<'queue' | 'state'>;
  /** Seconds since `queueDepth` was last read (since start while never read). */
  queueDepthAge: Gauge;
  /** Note that `queueDepth` was just read, resetting `queueDepthAge`. */
  queueDepthsRead(atMs?: number): void;
  /** 1 when the last config load (start or reload) succeeded, 0 when it was refused (Prometheus' own naming). */
  configReloadSuccessful: Gauge;
  /** Unix time of the last good config load, start-up included. */
  configReloadSuccessTimestamp: Gauge;
}

/**
 * prom-client's `*_total` gauges of active handles, requests and resources: promtool rejects a
 * `_total` suffix on anything but a counter, and each is just the sum of its per-type gauge
 * (`sum(day2_nodejs_active_handles)`), so they are dropped rather than renamed.
 */
const NON_COUNTER_TOTALS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) {
    collectDefaultMetrics({ register: registry, prefix: 'day2_' });
    for (const name of NON_COUNTER_TOTALS) registry.removeSingleMetric(`day2_${name}`);
  }
  let depthsReadAt = Date.now();
  return {
    registry,
    commands: new Counter({ name: 'day2_commands_total', help: 'Commands handled, by family and outcome', labelNames: ['family', 'outcome'], registers: [registry] }),
    ackLatency: new Histogram({
      name: 'day2_ack_latency_seconds',
      help: 'Time from receiving a platform request to acknowledging it',
      labelNames: ['platform'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
      registers: [registry],
    }),
    deliveries: new Counter({ name: 'day2_deliveries_total', help: 'Outbound deliveries by platform and outcome', labelNames: ['platform', 'outcome'], registers: [registry] }),
    deliveryRetries: new Counter({ name: 'day2_delivery_retries_total', help: 'Delivery retries by platform and reason', labelNames: ['platform', 'reason'], registers: [registry] }),
    queueDepth: new Gauge({ name: 'day2_queue_depth', help: 'Jobs per queue and state, as last read from Redis (see day2_queue_depth_age_seconds)', labelNames: ['queue', 'state'], registers: [registry] }),
    queueDepthAge: new Gauge({
      name: 'day2_queue_depth_age_seconds',
      help: 'Seconds since day2_queue_depth was last read from Redis (since start if never)',
      registers: [registry],
      // Computed at scrape time from memory: a scrape never waits on Redis.
      collect() {
        this.set((Date.now() - depthsReadAt) / 1000);
      },
    }),
    queueDepthsRead(atMs = Date.now()) {
      depthsReadAt = atMs;
    },
    configReloadSuccessful: new Gauge({ name: 'day2_config_last_reload_successful', help: 'Whether the last configuration reload attempt was successful', registers: [registry] }),
    configReloadSuccessTimestamp: new Gauge({ name: 'day2_config_last_reload_success_timestamp_seconds', help: 'Timestamp of the last successful configuration reload', registers: [registry] }),
  };
}
