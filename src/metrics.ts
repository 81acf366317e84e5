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
  /** Jobs waiting or delayed, per queue; refreshed on each scrape. */
  queueDepth: Gauge<'queue' | 'state'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'day2_' });
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
    queueDepth: new Gauge({ name: 'day2_queue_depth', help: 'Jobs per queue and state', labelNames: ['queue', 'state'], registers: [registry] }),
  };
}
