/**
 * The questionnaire as pages of a platform form (Slack modal, Mattermost dialog). A form cannot
 * show or hide a field while it is open, so a question whose condition names a question on the
 * same page starts the next page, where the answer is known. Pages are also cut at the
 * platform's field limit: Mattermost documents at most 5 elements per dialog, a Slack modal
 * holds 100 blocks.
 */
import type { FormField, FormSpec } from '../../chat/message.js';
import type { Platform } from '../../chat/port.js';
import { DEFAULT_MAX, isAsked, readAnswer, type Answers, type AnswerValue, type Question, type Questionnaire } from '../../domain/onboard/questionnaire.js';

/**
 * Fields per form page: a Slack modal holds 100 blocks, and the page's question ids (up to 40
 * characters each) ride in its private_metadata of 3000 characters, so 50; Mattermost documents
 * at most 5 dialog elements. The console has no forms (its value is never used).
 */
export const FIELDS_PER_PAGE: Record<Platform, number> = { slack: 50, mattermost: 5, console: 50 };

/** Most options a form select may offer (Slack's static select limit; Mattermost allows more). */
export const FORM_OPTIONS_MAX = 100;

/** Whether every question fits a platform form; if not, the questionnaire is asked in a conversation. */
export function fitsInForms(qn: Questionnaire): boolean {
  return qn.questions.every((q) => q.options.length <= FORM_OPTIONS_MAX);
}

/**
 * The next page: questions not yet presented, in order, that are asked given the answers so far,
 * up to `max`. Stops before a question whose condition depends on a question on this page.
 * Empty when the questionnaire is done.
 */
export function nextPage(qn: Questionnaire, answers: Answers, presented: readonly string[], max: number): Question[] {
  const page: Question[] = [];
  const onPage = new Set<string>();
  for (const q of qn.questions) {
    if (presented.includes(q.id)) continue;
    if (q.when && onPage.has(q.when.question)) break;
    if (!isAsked(q, answers)) continue;
    if (page.length >= max) break;
    page.push(q);
    onPage.add(q.id);
  }
  return page;
}

/**
 * Whether a page is the last one: no question after it is asked, or could be once this page's
 * answers are in (its condition names a question on this page).
 */
export function isLastPage(qn: Questionnaire, answers: Answers, presented: readonly string[], page: readonly Question[]): boolean {
  const shown = new Set([...presented, ...page.map((q) => q.id)]);
  return !qn.questions.some((q) => !shown.has(q.id) && (isAsked(q, answers) || (q.when !== undefined && page.some((p) => p.id === q.when!.question))));
}

function initialOf(q: Question, v: AnswerValue | undefined): string | string[] | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

export function formField(q: Question, current: AnswerValue | undefined): FormField {
  const initial = initialOf(q, current);
  const maxLength = q.type === 'text' || q.type === 'textarea' ? (q.maxLength ?? DEFAULT_MAX[q.type]) : undefined;
  return {
    name: q.id,
    label: q.label,
    type: q.type,
    required: q.type === 'boolean' ? false : q.required,
    ...(q.help ? { help: q.help } : {}),
    ...(q.placeholder ? { placeholder: q.placeholder } : q.type === 'boolean' ? { placeholder: 'Yes' } : {}),
    ...(q.options.length > 0 ? { options: q.options } : {}),
    ...(initial !== undefined ? { initial } : {}),
    ...(maxLength !== undefined ? { maxLength } : {}),
    ...(q.min !== undefined ? { min: q.min } : {}),
    ...(q.max !== undefined ? { max: q.max } : {}),
  };
}

export interface PageSpecInput {
  formId: string;
  qn: Questionnaire;
  page: Question[];
  answers: Answers;
  pageNumber: number;
  /** Opaque state handed back with the submission. */
  state: string;
  last: boolean;
}

export function pageFormSpec(input: PageSpecInput): FormSpec {
  const { qn, page, answers, pageNumber } = input;
  const intro = pageNumber === 1 && qn.introduction ? qn.introduction : undefined;
  return {
    formId: input.formId,
    title: qn.title,
    submitLabel: input.last ? 'Review' : 'Next',
    ...(intro ? { introduction: escapeMarkup(intro) } : {}),
    fields: page.map((q) => formField(q, answers[q.id])),
    state: input.state,
  };
}

/** Config text shown as a form introduction is literal, not markup. */
function escapeMarkup(text: string): string {
  return text.replace(/[\\`*_~[\]()<>@#>-]/g, (c) => `\\${c}`);
}

/**
 * Check one submitted page. Every field is read; the result has either all values or a message
 * per failing field (shown under that field in the form).
 */
export function readPage(page: Question[], values: Record<string, unknown>): { ok: true; answers: Answers; cleared: string[] } | { ok: false; errors: Record<string, string> } {
  const answers: Answers = {};
  const cleared: string[] = [];
  const errors: Record<string, string> = {};
  for (const q of page) {
    const raw = values[q.id];
    const given = typeof raw === 'string' || Array.isArray(raw) ? (raw as string | string[]) : undefined;
    const r = readAnswer(q, given);
    if (!r.ok) errors[q.id] = r.message;
    else if (r.value === undefined) cleared.push(q.id);
    else answers[q.id] = r.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, answers, cleared };
}

/**
 * What a closed (not submitted) page leaves behind: every field that holds a valid answer. Empty
 * and invalid fields are left out, so an answer saved earlier is kept rather than cleared by a
 * form the user walked away from.
 */
export function readClosedPage(page: Question[], values: Record<string, unknown>): Answers {
  const kept: Answers = {};
  for (const q of page) {
    const raw = values[q.id];
    const given = typeof raw === 'string' || Array.isArray(raw) ? (raw as string | string[]) : undefined;
    if (given === undefined || (Array.isArray(given) ? given.length === 0 : given.trim() === '')) continue;
    const r = readAnswer(q, given);
    if (r.ok && r.value !== undefined) kept[q.id] = r.value;
  }
  return kept;
}
