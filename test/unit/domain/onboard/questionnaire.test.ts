import { describe, expect, it } from 'vitest';
import { onboardingConfig } from '../../../../src/domain/onboard/config.js';
import { displayAnswer, isAsked, type Answers, missingAnswers, pruneAnswers, readAnswer, resolveQuestionnaire, type Question } from '../../../../src/domain/onboard/questionnaire.js';

const q = (over: Partial<Question> & Pick<Question, 'type'>): Question => ({ id: 'x', label: 'X', required: true, options: [], ...over });
const envs = [
  { id: 'staging', name: 'Staging' },
  { id: 'prod', name: 'Production' },
];
const sel = q({ type: 'select', options: [{ value: 'a', label: 'Alpha' }, { value: 'b', label: 'Beta' }] });
const multi = q({ type: 'multiselect', options: sel.options });

// name | question | raw | typed | expected value, or error pattern
const rows: [string, Question, string | string[] | undefined, boolean, { value: unknown } | { error: RegExp }][] = [
  ['text verbatim, outer space trimmed', q({ type: 'text' }), '  <!channel> *x* ', false, { value: '<!channel> *x*' }],
  ['text too long', q({ type: 'text', maxLength: 3 }), 'abcd', false, { error: /Too long: 4 characters, at most 3/ }],
  ['text default max is 150', q({ type: 'text' }), 'x'.repeat(151), false, { error: /at most 150/ }],
  ['required empty', q({ type: 'text' }), '  ', false, { error: /needs an answer/ }],
  ['optional empty', q({ type: 'text', required: false }), '', false, { value: undefined }],
  ['url ok', q({ type: 'url' }), 'https://git.example.com/a', false, { value: 'https://git.example.com/a' }],
  ['url scp-like refused', q({ type: 'url' }), 'git@example.com:a', false, { error: /Not a URL/ }],
  ['url javascript refused', q({ type: 'url' }), 'javascript:alert(1)', false, { error: /http/ }],
  ['integer', q({ type: 'integer', min: 0, max: 10 }), '7', false, { value: 7 }],
  ['integer thousands', q({ type: 'integer' }), '1,200', true, { value: 1200 }],
  ['integer below min', q({ type: 'integer', min: 0 }), '-1', false, { error: /too small: at least 0/ }],
  ['integer above max', q({ type: 'integer', max: 10 }), '11', false, { error: /too large: at most 10/ }],
  ['integer words', q({ type: 'integer' }), 'lots', false, { error: /not a whole number/ }],
  ['boolean unticked box is no', q({ type: 'boolean' }), undefined, false, { value: false }],
  ['boolean typed yes', q({ type: 'boolean' }), 'Yes', true, { value: true }],
  ['boolean typed empty is required', q({ type: 'boolean' }), '', true, { error: /needs an answer/ }],
  ['boolean typed nonsense', q({ type: 'boolean' }), 'maybe', true, { error: /yes or no/ }],
  ['date', q({ type: 'date' }), '2027-03-01', false, { value: '2027-03-01' }],
  ['date not real', q({ type: 'date' }), '2027-02-30', false, { error: /not a date/ }],
  ['date other format', q({ type: 'date' }), '01/03/2027', false, { error: /YYYY-MM-DD/ }],
  ['select by value', sel, 'b', false, { value: 'b' }],
  ['select label only when typed', sel, 'Beta', false, { error: /Choose one of: Alpha, Beta/ }],
  ['select typed label', sel, 'beta', true, { value: 'b' }],
  ['select typed number', sel, '1', true, { value: 'a' }],
  ['select typed number out of range', sel, '3', true, { error: /Choose one of/ }],
  ['multiselect form array', multi, ['a', 'b'], false, { value: ['a', 'b'] }],
  ['multiselect typed mix, deduplicated', multi, '2, alpha, b', true, { value: ['b', 'a'] }],
  ['multiselect unknown option', multi, ['a', 'zzz'], false, { error: /"zzz" is not an option/ }],
];

describe('readAnswer', () => {
  it.each(rows)('%s', (_name, question, raw, typed, expected) => {
    const r = readAnswer(question, raw, { typed });
    if ('error' in expected) {
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(expected.error);
    } else {
      expect(r).toEqual({ ok: true, value: expected.value });
    }
  });
});

describe('conditions', () => {
  const when = (w: Question['when']) => q({ type: 'text', when: w });
  it.each([
    ['equals true, answered yes', when({ question: 'c', equals: true }), { c: true }, true],
    ['equals true, answered no', when({ question: 'c', equals: true }), { c: false }, false],
    ['equals true, unanswered', when({ question: 'c', equals: true }), {}, false],
    ['equals string', when({ question: 'c', equals: 'gt1t' }), { c: 'gt1t' }, true],
    ['includes in multiselect', when({ question: 'c', includes: 'prod' }), { c: ['staging', 'prod'] }, true],
    ['includes, not chosen', when({ question: 'c', includes: 'prod' }), { c: ['staging'] }, false],
    ['no condition', q({ type: 'text' }), {}, true],
  ] as const)('%s', (_n, question, answers, asked) => {
    expect(isAsked(question, answers as Answers)).toBe(asked);
  });

  it('drops answers to questions no longer asked, and lists missing required ones', () => {
    const qn = resolveQuestionnaire({ environments: envs, onboarding: onboardingConfig.parse({}) });
    const pruned = pruneAnswers(qn, { custom_buildpacks: false, buildpacks: 'rust' });
    expect(pruned).toEqual({ custom_buildpacks: false });
    expect(missingAnswers(qn, { custom_buildpacks: true }).map((x) => x.id)).toContain('buildpacks');
    expect(missingAnswers(qn, { custom_buildpacks: false }).map((x) => x.id)).not.toContain('buildpacks');
  });
});

describe('the shipped questionnaire', () => {
  it('asks what a platform team needs, with options from config lists', () => {
    const ob = onboardingConfig.parse({ services: [{ id: 'pg', name: 'PostgreSQL' }] });
    const qn = resolveQuestionnaire({ environments: envs, onboarding: ob });
    expect(qn.questions.map((x) => x.id)).toEqual(['capability', 'description', 'team', 'contacts', 'repository', 'environments', 'services', 'users', 'data_volume', 'ia_maturity', 'custom_buildpacks', 'buildpacks', 'integrations', 'go_live']);
    expect(qn.questions.find((x) => x.id === 'environments')!.options).toEqual([
      { value: 'staging', label: 'Staging' },
      { value: 'prod', label: 'Production' },
    ]);
    expect(qn.questions.find((x) => x.id === 'services')!.options).toEqual([{ value: 'pg', label: 'PostgreSQL' }]);
  });

  it('turns a select whose config list is empty into free text (the shipped one only)', () => {
    const qn = resolveQuestionnaire({ environments: [], onboarding: onboardingConfig.parse({}) });
    expect(qn.questions.find((x) => x.id === 'environments')!.type).toBe('textarea');
  });

  it('shows answers with option labels', () => {
    expect(displayAnswer(sel, 'b')).toBe('Beta');
    expect(displayAnswer(multi, ['a', 'b'])).toBe('Alpha, Beta');
    expect(displayAnswer(q({ type: 'boolean' }), false)).toBe('No');
  });
});
