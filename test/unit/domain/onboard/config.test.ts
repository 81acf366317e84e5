import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../../src/config.js';

const base = `
people:
  - { id: alice, name: Alice }
environments:
  - { id: staging, name: Staging }
`;

describe('onboarding config', () => {
  it('accepts no onboarding section (the shipped questionnaire applies)', () => {
    const r = parseConfig(base);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.config.onboarding.sla.unclaimedBusinessDays).toBe(1);
  });

  it('lists every questionnaire problem at once: duplicate ids, unknown or later conditions, selects without options', () => {
    const r = parseConfig(`${base}
onboarding:
  questionnaire:
    title: Intake
    questions:
      - { id: name, label: Name, type: text }
      - { id: name, label: Again, type: text }
      - { id: why, label: Why, type: text, when: { question: nope, equals: "x" } }
      - { id: early, label: Early, type: text, when: { question: late, equals: true } }
      - { id: late, label: Late, type: boolean }
      - { id: pick, label: Pick, type: select }
      - { id: svc, label: Services, type: multiselect, optionsFrom: services }
      - { id: num, label: Num, type: integer, min: 5, max: 1 }
  welcome:
    roadmap: { mars: "soon" }
  sla:
    escalateTo: [nobody]
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const lines = r.problems.map((p) => `${p.path}: ${p.message}`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/questions\[1\]\.id: duplicate question id "name"/),
        expect.stringMatching(/questions\[2\]\.when\.question: condition on unknown question "nope"/),
        expect.stringMatching(/questions\[3\]\.when\.question: condition on "late", which comes later/),
        expect.stringMatching(/questions\[5\]\.options: select "pick" has no options/),
        expect.stringMatching(/questions\[6\]\.optionsFrom: .*services, and that list is empty/),
        expect.stringMatching(/questions\[7\]\.min: min 5 is above max 1/),
        expect.stringMatching(/welcome\.roadmap\.mars: unknown environment/),
        expect.stringMatching(/sla\.escalateTo\[0\]: unknown person "nobody"/),
      ]),
    );
    expect(lines).toHaveLength(8);
  });

  it('refuses malformed questions with a path', () => {
    const r = parseConfig(`${base}
onboarding:
  questionnaire:
    title: Intake
    questions:
      - { id: Bad-Id, label: X, type: colour }
`);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['onboarding.questionnaire.questions[0].id', 'onboarding.questionnaire.questions[0].type']));
    }
  });

  it('refuses a condition with both equals and includes, and a bad SLA zone', () => {
    const r = parseConfig(`${base}
onboarding:
  sla: { zone: Mars/Olympus }
  questionnaire:
    title: Intake
    questions:
      - { id: a, label: A, type: boolean }
      - { id: b, label: B, type: text, when: { question: a, equals: true, includes: x } }
`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.problems.map((p) => `${p.path}: ${p.message}`).join('\n');
    expect(text).toMatch(/questions\[1\]\.when: give exactly one of "equals" or "includes"/);
    expect(text).toMatch(/sla\.zone: "Mars\/Olympus" is not an IANA time zone/);
  });
});
