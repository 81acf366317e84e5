import { describe, expect, it } from 'vitest';
import { onboardingConfig } from '../../../../src/domain/onboard/config.js';
import { buildWelcomePack } from '../../../../src/domain/onboard/welcome.js';
import { createRenderer } from '../../../../src/render/renderer.js';

const environments = [
  { id: 'staging', name: 'Staging', classification: 'UNCLASSIFIED', description: 'For trying things' },
  { id: 'prod', name: 'Production', classification: 'CUI' },
];
const ob = onboardingConfig.parse({
  services: [{ id: 'pg', name: 'PostgreSQL' }, { id: 'kafka', name: 'Kafka', environments: ['prod'] }],
  welcome: { roadmap: { prod: 'K8s 1.31 in Q2' }, help: { staging: '#staging-help' } },
});

describe('welcome pack', () => {
  it('lists each environment with its services, roadmap and help, and the differences', () => {
    const pack = buildWelcomePack({ environments }, ob);
    expect(pack.environments).toEqual([
      { name: 'Staging', classification: 'UNCLASSIFIED', description: 'For trying things', services: ['PostgreSQL'], help: '#staging-help' },
      { name: 'Production', classification: 'CUI', services: ['PostgreSQL', 'Kafka'], roadmap: 'K8s 1.31 in Q2' },
    ]);
    expect(pack.differences).toEqual([{ name: 'Kafka', environments: ['Production'] }]);
    expect(pack.expectations).toHaveLength(4);
  });

  it('renders through its template', async () => {
    const r = await createRenderer({});
    const m = r.render('onboard/welcome', buildWelcomePack({ environments }, ob));
    expect(m.fields?.map((f) => f.label)).toEqual(['Staging (UNCLASSIFIED)', 'Production (CUI)', 'Services that differ between environments', 'New platform capabilities', 'What the platform expects of your team']);
    expect(m.fields?.[2]?.value).toContain('Kafka: only in Production');
  });
});
