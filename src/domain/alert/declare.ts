/**
 * "Declare outage" on a page: the outage notice it starts, read off the labels every alert of the
 * group shares. The environment is the env label's value; the notice severity follows the
 * alert's `severity` label (Prometheus and PagerDuty habits), else the page's urgency; the
 * components are the component label's value (the configured one, else `component`, else
 * `service`) when it is a valid component name. Pure: the caller supplies the labels.
 */
import type { Urgency } from './config.js';

export type OutageSeverity = 'sev1' | 'sev2' | 'sev3' | 'sev4';

/** Alert severity label values, lower-cased, and the notice severity each means. */
const SEVERITY: Record<string, OutageSeverity> = {
  critical: 'sev1',
  page: 'sev1',
  p1: 'sev1',
  sev1: 'sev1',
  error: 'sev2',
  high: 'sev2',
  major: 'sev2',
  p2: 'sev2',
  sev2: 'sev2',
  warning: 'sev3',
  warn: 'sev3',
  medium: 'sev3',
  minor: 'sev3',
  p3: 'sev3',
  sev3: 'sev3',
  info: 'sev4',
  low: 'sev4',
  p4: 'sev4',
  sev4: 'sev4',
};

const COMPONENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface OutageProposal {
  /** The environment id, or undefined when the alerts carry no env label. */
  env: string | undefined;
  severity: OutageSeverity;
  components: string[];
}

export function outageFromLabels(labels: Record<string, string>, opts: { envLabel: string; componentLabel?: string | undefined; urgency: Urgency }): OutageProposal {
  const severity = SEVERITY[(labels.severity ?? '').toLowerCase()] ?? (opts.urgency === 'high' ? 'sev2' : 'sev3');
  const names = [opts.componentLabel, 'component', 'service'].filter((n): n is string => !!n);
  const component = names.map((n) => labels[n]).find((v) => v !== undefined);
  // A label may hold several components separated by commas; names a notice cannot take are left out.
  const components = component ? [...new Set(component.split(',').map((c) => c.trim()))].filter((c) => COMPONENT.test(c)) : [];
  return { env: labels[opts.envLabel], severity, components };
}
