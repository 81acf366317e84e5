import { describe, expect, it } from 'vitest';
import { formToModal } from '../../../../src/chat/slack/form.js';
import { toDialog } from '../../../../src/chat/mattermost/dialog.js';
import { onboardingConfig } from '../../../../src/domain/onboard/config.js';
import { FIELDS_PER_PAGE, fitsInForms, isLastPage, nextPage, pageFormSpec, readClosedPage, readPage } from '../../../../src/services/onboard/form-pages.js';
import { resolveQuestionnaire, type Answers } from '../../../../src/domain/onboard/questionnaire.js';

const qn = resolveQuestionnaire({ environments: [{ id: 'staging', name: 'Staging' }], onboarding: onboardingConfig.parse({ services: [{ id: 'pg', name: 'PostgreSQL' }] }) });
const ids = (qs: { id: string }[]) => qs.map((q) => q.id);

/** Walk the form the way a user does: each page answered with `answers`, until no page is left. */
function walk(max: number, answers: Answers): string[][] {
  const pages: string[][] = [];
  let presented: string[] = [];
  for (;;) {
    const page = nextPage(qn, answers, presented, max);
    if (page.length === 0) return pages;
    pages.push(ids(page));
    presented = [...presented, ...ids(page)];
  }
}

describe('form pages', () => {
  it('Slack: one page up to the yes/no, the follow-up on the next page', () => {
    expect(walk(FIELDS_PER_PAGE.slack, { custom_buildpacks: true })).toEqual([
      ['capability', 'description', 'team', 'contacts', 'repository', 'environments', 'services', 'users', 'data_volume', 'ia_maturity', 'custom_buildpacks'],
      ['buildpacks', 'integrations', 'go_live'],
    ]);
    expect(walk(FIELDS_PER_PAGE.slack, { custom_buildpacks: false })[1]).toEqual(['integrations', 'go_live']);
  });

  it('Mattermost: at most five elements a page', () => {
    const pages = walk(FIELDS_PER_PAGE.mattermost, { custom_buildpacks: true });
    expect(pages.every((p) => p.length <= 5)).toBe(true);
    expect(pages.flat()).toEqual(ids(qn.questions));
  });

  it('knows the last page, counting a follow-up that this page may open', () => {
    const first = nextPage(qn, {}, [], 20);
    expect(isLastPage(qn, {}, [], first)).toBe(false);
    const presented = ids(first);
    const second = nextPage(qn, { custom_buildpacks: false }, presented, 20);
    expect(isLastPage(qn, { custom_buildpacks: false }, presented, second)).toBe(true);
    const yesNo = qn.questions.filter((q) => q.id === 'custom_buildpacks');
    const all = ids(qn.questions).filter((id) => !['custom_buildpacks', 'buildpacks'].includes(id));
    expect(isLastPage(qn, {}, all, yesNo)).toBe(false);
  });

  it('builds a form spec with current answers as initial values and the right submit label', () => {
    const page = nextPage(qn, {}, [], 5);
    const spec = pageFormSpec({ formId: 'f', qn, page, answers: { team: 'Money' }, pageNumber: 1, state: 's', last: false });
    expect(spec.submitLabel).toBe('Next');
    expect(spec.fields.find((f) => f.name === 'team')!.initial).toBe('Money');
    expect(spec.fields.find((f) => f.name === 'capability')).toMatchObject({ type: 'text', required: true, maxLength: 100 });
    expect(spec.introduction).toBeDefined();
  });

  it('reads a page: every failing field gets its message, nothing partial comes back', () => {
    const page = nextPage(qn, {}, [], 20);
    const bad = readPage(page, { capability: 'X', repository: 'nope', users: 'many' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(['description', 'environments', 'repository', 'team', 'contacts', 'users', 'data_volume', 'ia_maturity'].sort());
    const good = readPage(page, { capability: 'X', description: 'D', team: 'T', contacts: 'c', repository: 'https://x.example', environments: ['staging'], users: '3', data_volume: 'lt10g', ia_maturity: 'none' });
    expect(good).toEqual({
      ok: true,
      answers: { capability: 'X', description: 'D', team: 'T', contacts: 'c', repository: 'https://x.example', environments: ['staging'], users: 3, data_volume: 'lt10g', ia_maturity: 'none', custom_buildpacks: false },
      cleared: ['services'],
    });
  });
});

describe('when a form cannot hold the questionnaire', () => {
  it('a select with more options than a Slack select takes sends it to the conversation', () => {
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, name: `Service ${i}` }));
    const big = resolveQuestionnaire({ environments: [{ id: 'staging', name: 'Staging' }], onboarding: onboardingConfig.parse({ services: many }) });
    expect(fitsInForms(big)).toBe(false);
    expect(fitsInForms(qn)).toBe(true);
  });
});

describe('the largest pages fit the platforms', () => {
  it('a Slack page of 50 questions with 40-character ids fits a modal; a Mattermost page has 5 elements', () => {
    const questions = Array.from({ length: 60 }, (_, i) => ({ id: `q${String(i).padStart(2, '0')}${'x'.repeat(37)}`, label: `Question ${i}`, type: 'text' as const }));
    const big = resolveQuestionnaire({ environments: [], onboarding: onboardingConfig.parse({ questionnaire: { title: 'Big', introduction: 'Intro', questions } }) });
    const page = nextPage(big, {}, [], FIELDS_PER_PAGE.slack);
    expect(page).toHaveLength(50);
    const spec = pageFormSpec({ formId: 'onboardPage', qn: big, page, answers: {}, pageNumber: 1, state: JSON.stringify({ q: page.map((q) => q.id) }), last: false });
    const modal = formToModal(spec, { channelId: 'C0GENERAL' }, { mentions: () => undefined, zone: 'UTC' });
    expect((modal.blocks as unknown[]).length).toBeLessThanOrEqual(100);
    const mmPage = nextPage(big, {}, [], FIELDS_PER_PAGE.mattermost);
    const dialog = toDialog(pageFormSpec({ formId: 'onboardPage', qn: big, page: mmPage, answers: {}, pageNumber: 1, state: 's', last: false }), { secret: 'k', nonce: 'n', userId: 'u1', expiresAt: Date.now() + 60_000, renderMarkup: (m) => m });
    expect(dialog.elements).toHaveLength(5);
  });
});

describe('a closed page', () => {
  const page = nextPage(qn, {}, [], FIELDS_PER_PAGE.slack);
  it.each([
    ['valid answers are kept, typed', { capability: ' Ledger ', users: '1,200', environments: ['staging'] }, { capability: 'Ledger', users: 1200, environments: ['staging'] }],
    ['invalid answers are dropped, not saved', { repository: 'not a url', users: 'lots', data_volume: 'huge' }, {}],
    ['empty fields are left out (an earlier answer stays)', { capability: '', environments: [], team: '   ' }, {}],
    ['an explicit yes/no is kept', { custom_buildpacks: 'false' }, { custom_buildpacks: false }],
    ['nothing sent (a Mattermost cancel) keeps nothing', {}, {}],
    ['fields not on the page are ignored', { go_live: '2027-01-01' }, {}],
  ])('%s', (_what, values, kept) => {
    expect(readClosedPage(page, values)).toEqual(kept);
  });
});
