/** "Declare outage": the outage a page proposes, from the labels its alerts share. */
import { describe, expect, it } from 'vitest';
import { outageFromLabels } from '../../../../src/domain/alert/declare.js';

const opts = { envLabel: 'env', urgency: 'high' as const };

// name | labels | options | expected
const CASES: [string, Record<string, string>, Partial<Parameters<typeof outageFromLabels>[1]>, ReturnType<typeof outageFromLabels>][] = [
  ['critical is sev1, service is the component', { env: 'prod', severity: 'critical', service: 'api' }, {}, { env: 'prod', severity: 'sev1', components: ['api'] }],
  ['warning is sev3, case does not matter', { env: 'prod', severity: 'Warning' }, {}, { env: 'prod', severity: 'sev3', components: [] }],
  ['no severity: high urgency is sev2', { env: 'prod' }, {}, { env: 'prod', severity: 'sev2', components: [] }],
  ['unknown severity, low urgency: sev3', { env: 'prod', severity: 'weird' }, { urgency: 'low' }, { env: 'prod', severity: 'sev3', components: [] }],
  ['component wins over service; a list is split', { env: 'prod', component: 'api, db', service: 'x' }, {}, { env: 'prod', severity: 'sev2', components: ['api', 'db'] }],
  ['the configured component label wins', { env: 'prod', component: 'api', tier: 'edge' }, { componentLabel: 'tier' }, { env: 'prod', severity: 'sev2', components: ['edge'] }],
  ['names a notice cannot take are left out', { env: 'prod', service: 'api gateway,db' }, {}, { env: 'prod', severity: 'sev2', components: ['db'] }],
  ['another env label', { environment: 'staging' }, { envLabel: 'environment' }, { env: 'staging', severity: 'sev2', components: [] }],
  ['no env label: no environment', { severity: 'info' }, {}, { env: undefined, severity: 'sev4', components: [] }],
];

describe('outageFromLabels', () => {
  it.each(CASES)('%s', (_name, labels, extra, expected) => {
    expect(outageFromLabels(labels, { ...opts, ...extra })).toEqual(expected);
  });
});
