/**
 * One alert as Day2 keeps it, whatever sent it: its group (Alertmanager's groupKey, else its
 * fingerprint), its identity within the group, labels and annotations (untrusted text: templates
 * escape them), and whether it fires or has resolved.
 */
export type AlertStatus = 'firing' | 'resolved';

export interface NormalizedAlert {
  groupKey: string;
  fingerprint: string;
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string;
  /** Where the alert can be looked at (generator URL, panel, dashboard). */
  url?: string;
}

/** The batch one webhook call delivered. */
export interface AlertBatch {
  alerts: NormalizedAlert[];
  /** Alertmanager's external URL, when the sender is an Alertmanager (for silences). */
  sourceUrl?: string;
}

/** A stable fingerprint for senders that give none: the sorted labels. */
export function labelFingerprint(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}
