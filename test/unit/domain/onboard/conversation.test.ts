import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { onboardingConfig } from '../../../../src/domain/onboard/config.js';
import { begin, REVIEW, step, type ConversationState, type StepOutcome } from '../../../../src/domain/onboard/conversation.js';
import { isAsked, pruneAnswers, resolveQuestionnaire } from '../../../../src/domain/onboard/questionnaire.js';

const qn = resolveQuestionnaire({ environments: [{ id: 'staging', name: 'Staging' }, { id: 'prod', name: 'Production' }], onboarding: onboardingConfig.parse({}) });

function run(lines: string[]): StepOutcome {
  let o = begin(qn);
  for (const line of lines) {
    if (o.kind === 'cancel' || o.kind === 'submit') return o;
    o = step(qn, o.state, line);
  }
  return o;
}
const stateOf = (o: StepOutcome): ConversationState => {
  if (o.kind === 'cancel') throw new Error('cancelled');
  return o.state;
};
const cursorOf = (o: StepOutcome) => (o.kind === 'ask' ? o.question.id : o.kind);

const FULL = ['Ledger', 'Books', 'Money', 'bob', 'https://git.example.com/l', '1,2', 'pg', '12', 'lt10g', 'none', 'no', 'skip', '2027-01-01'];

describe('the questionnaire conversation', () => {
  it('asks in order and ends at the review', () => {
    const o = run(FULL);
    expect(o.kind).toBe('review');
    expect(stateOf(o).answers).toMatchObject({ capability: 'Ledger', environments: ['staging', 'prod'], users: 12, custom_buildpacks: false });
  });

  it.each([
    ['back on the first question', ['back'], 'capability', /first question/],
    ['skip refused on a required question', ['skip'], 'capability', /cannot be skipped/],
    ['bad answer re-asked', ['Ledger', 'Books', 'Money', 'bob', 'ftp://x'], 'repository', /http/],
    ['yes opens the follow-up', [...FULL.slice(0, 10), 'yes'], 'buildpacks', undefined],
    ['back returns to the previous question', ['Ledger', 'Books', 'back'], 'description', undefined],
    ['review early shows what is missing', ['Ledger', 'review'], 'review', undefined],
    ['edit from review returns to review', [...FULL, 'edit 2', 'New description'], 'review', undefined],
    ['edit of an unknown number', [...FULL, 'edit 99'], 'review', /no question "99"/],
    ['gibberish at review', [...FULL, 'send it'], 'review', /Type submit/],
    ['changing yes/no from review asks the new follow-up first', [...FULL, 'edit 11', 'yes'], 'buildpacks', undefined],
  ] as const)('%s', (_name, lines, cursor, error) => {
    const o = run([...lines]);
    expect(cursorOf(o)).toBe(cursor);
    if (error) expect('error' in o ? o.error : undefined).toMatch(error);
  });

  it('submit and cancel', () => {
    expect(run([...FULL, 'submit']).kind).toBe('submit');
    expect(run(['Ledger', 'cancel']).kind).toBe('cancel');
  });

  it('skip on an optional or already answered question moves on without changing it', () => {
    const o = run([...FULL.slice(0, 6), 'skip']);
    expect(cursorOf(o)).toBe('users');
    expect(stateOf(o).answers).not.toHaveProperty('services');
  });

  it('property: whatever is typed, answers stay valid, pruned and the cursor is on an asked question', () => {
    const word = fc.oneof(
      fc.constantFrom('back', 'skip', 'review', 'submit', 'yes', 'no', '1', '2', 'edit 1', 'edit 12', '2027-01-01', 'https://x.example', 'lt10g', '42'),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(word, { maxLength: 40 }), (lines) => {
        const o = run(lines.filter((l) => l.trim().toLowerCase() !== 'cancel'));
        if (o.kind === 'cancel') return;
        const s = o.state;
        expect(pruneAnswers(qn, s.answers)).toEqual(s.answers);
        if (s.cursor !== REVIEW) {
          const q = qn.questions.find((x) => x.id === s.cursor);
          expect(q).toBeDefined();
          expect(isAsked(q!, s.answers)).toBe(true);
        }
        for (const [id, v] of Object.entries(s.answers)) {
          const q = qn.questions.find((x) => x.id === id)!;
          if (q.type === 'integer') expect(Number.isInteger(v)).toBe(true);
          if (q.type === 'boolean') expect(typeof v).toBe('boolean');
          if (q.type === 'select') expect(q.options.map((x) => x.value)).toContain(v);
        }
      }),
      { numRuns: 300 },
    );
  });
});
