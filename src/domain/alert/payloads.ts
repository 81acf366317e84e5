/**
 * The three payloads Day2 accepts, validated with zod and turned into NormalizedAlert batches:
 * Alertmanager's webhook (version 4), Grafana alerting's webhook contact point (the same shape
 * plus Grafana's own fields, which are allowed and ignored) and Day2's generic JSON.
 * A payload of the wrong shape is refused with the path of the first wrong field.
 */
import { z } from 'zod';
import type { IntegrationKind } from './config.js';
import { labelFingerprint, type AlertBatch, type NormalizedAlert } from './model.js';

const MAX_ALERTS = 1000;
const text = (max: number) => z.string().max(max);
const labelMap = z.record(text(256), text(4096)).refine((m) => Object.keys(m).length <= 100, { error: 'at most 100 labels' });
const status = z.enum(['firing', 'resolved']);
const instant = z.iso.datetime({ offset: true });

const amAlert = z.looseObject({
  status,
  labels: labelMap,
  annotations: labelMap.default({}),
  startsAt: instant,
  endsAt: instant.optional(),
  generatorURL: text(2048).optional(),
  fingerprint: text(128).optional(),
});

/** Alertmanager's webhook body; Grafana sends the same shape with extra fields. */
const amPayload = z.looseObject({
  version: text(8).optional(),
  groupKey: text(4096).optional(),
  status: status.optional(),
  externalURL: text(2048).optional(),
  alerts: z.array(amAlert).min(1).max(MAX_ALERTS),
});

const genericAlert = z.strictObject({
  /** Stable id of this alert at the sender: the same id updates the same alert. */
  id: text(128).min(1),
  status,
  summary: text(1024).min(1),
  description: text(4096).optional(),
  labels: labelMap.default({}),
  url: z.url().max(2048).optional(),
  /** Alerts with the same group share one page; without it, each alert is its own page. */
  group: text(256).min(1).optional(),
  startsAt: instant.optional(),
});

const genericPayload = z.strictObject({ alerts: z.array(genericAlert).min(1).max(MAX_ALERTS) });

export type ParseResult = { ok: true; batch: AlertBatch } | { ok: false; field: string; message: string };

export function parseAlertPayload(kind: IntegrationKind, body: unknown, now: Date = new Date()): ParseResult {
  if (kind === 'webhook') {
    const parsed = genericPayload.safeParse(body);
    if (!parsed.success) return refusal(parsed.error);
    return { ok: true, batch: { alerts: parsed.data.alerts.map((a) => fromGeneric(a, now)) } };
  }
  const parsed = amPayload.safeParse(body);
  if (!parsed.success) return refusal(parsed.error);
  const { groupKey, externalURL } = parsed.data;
  const alerts = parsed.data.alerts.map((a): NormalizedAlert => {
    const fingerprint = a.fingerprint ?? labelFingerprint(a.labels);
    return {
      groupKey: groupKey ?? fingerprint,
      fingerprint,
      status: a.status,
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      // A firing alert's end is only a forecast the sender moves on every repeat; keeping it
      // would make each repeat look like a change.
      ...(a.status === 'resolved' && a.endsAt && !a.endsAt.startsWith('0001-') ? { endsAt: a.endsAt } : {}),
      ...(a.generatorURL ? { url: a.generatorURL } : {}),
    };
  });
  return { ok: true, batch: { alerts, ...(kind === 'alertmanager' && externalURL ? { sourceUrl: externalURL } : {}) } };
}

function fromGeneric(a: z.output<typeof genericAlert>, now: Date): NormalizedAlert {
  return {
    groupKey: a.group ?? a.id,
    fingerprint: a.id,
    status: a.status,
    labels: a.labels,
    annotations: { summary: a.summary, ...(a.description ? { description: a.description } : {}) },
    startsAt: a.startsAt ?? now.toISOString(),
    ...(a.url ? { url: a.url } : {}),
  };
}

function refusal(error: z.ZodError): { ok: false; field: string; message: string } {
  const issue = error.issues[0]!;
  const field = issue.path.length === 0 ? '(body)' : issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  return { ok: false, field, message: issue.message };
}
