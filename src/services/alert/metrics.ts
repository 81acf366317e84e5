/**
 * The alert family's metrics, registered on the bot's registry. Labels are bounded: teams come
 * from the config and outcomes from fixed lists, never from alert labels.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface AlertMetrics {
  /** Alerts received, by integration kind and outcome (routed, unmatched, duplicate). */
  alerts: Counter<'kind' | 'outcome'>;
  /** Pages by team and event (opened, updated, resolved). */
  pages: Counter<'team' | 'event'>;
  /** Escalation steps by team and target (layer, managers). */
  escalations: Counter<'team' | 'to'>;
  /** Seconds from page to acknowledgement, by team. */
  timeToAck: Histogram<'team'>;
  /** Webhook calls refused, by reason (unauthorized, too_large, bad_json, bad_payload). */
  refused: Counter<'reason'>;
}

export function createAlertMetrics(registry: Registry): AlertMetrics {
  const existing = registry.getSingleMetric('day2_alerts_total');
  if (existing) {
    // One set per registry: a second wiring (config reload) reuses it.
    return {
      alerts: existing as Counter<'kind' | 'outcome'>,
      pages: registry.getSingleMetric('day2_alert_pages_total') as Counter<'team' | 'event'>,
      refused: registry.getSingleMetric('day2_alert_webhooks_refused_total') as Counter<'reason'>,
      escalations: registry.getSingleMetric('day2_alert_escalations_total') as Counter<'team' | 'to'>,
      timeToAck: registry.getSingleMetric('day2_alert_time_to_ack_seconds') as Histogram<'team'>,
    };
  }
  return {
    alerts: new Counter({ name: 'day2_alerts_total', help: 'Alerts received, by integration kind and outcome', labelNames: ['kind', 'outcome'], registers: [registry] }),
    pages: new Counter({ name: 'day2_alert_pages_total', help: 'Alert pages by team and event', labelNames: ['team', 'event'], registers: [registry] }),
    refused: new Counter({ name: 'day2_alert_webhooks_refused_total', help: 'Alert webhook calls refused, by reason', labelNames: ['reason'], registers: [registry] }),
    escalations: new Counter({ name: 'day2_alert_escalations_total', help: 'Alert page escalation steps, by team and target', labelNames: ['team', 'to'], registers: [registry] }),
    timeToAck: new Histogram({ name: 'day2_alert_time_to_ack_seconds', help: 'Alert pages: time from page to acknowledgement', labelNames: ['team'], buckets: [10, 30, 60, 120, 300, 600, 1800, 3600], registers: [registry] }),
  };
}
