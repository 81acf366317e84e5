/**
 * A questionnaire resolved against the config in force: option lists filled from environments
 * and the service catalog, and the rules every renderer shares (which questions are asked given
 * the answers so far, and how one raw answer is read and checked). Forms, the DM conversation
 * and submission all go through `readAnswer`, so a value is valid in one exactly when in all.
 */
import { isRealDate } from '../../time/when.js';
import { questionnaireConfigOf, type OnboardingConfig, type QuestionConfig } from './config.js';

export type AnswerValue = string | string[] | number | boolean;
export type Answers = Record<string, AnswerValue>;

export interface Question extends Omit<QuestionConfig, 'options' | 'optionsFrom'> {
  options: { value: string; label: string }[];
}

export interface Questionnaire {
  title: string;
  introduction?: string;
  questions: Question[];
}

export interface ConfigLists {
  environments: { id: string; name: string }[];
  onboarding?: OnboardingConfig;
}

/** Longest text answers when a question sets no maxLength (Mattermost's text element holds 150). */
export const DEFAULT_MAX = { text: 150, textarea: 3000, url: 2000 } as const;

export function resolveQuestionnaire(cfg: ConfigLists): Questionnaire {
  const source = questionnaireConfigOf(cfg.onboarding);
  const services = cfg.onboarding?.services ?? [];
  const questions: Question[] = source.questions.map(({ options, optionsFrom, ...q }) => {
    let list = options ?? [];
    if (optionsFrom === 'environments') list = cfg.environments.map((e) => ({ value: e.id, label: e.name.slice(0, 75) }));
    if (optionsFrom === 'services') list = services.map((s) => ({ value: s.id, label: s.name }));
    // The shipped questionnaire may name a list this config leaves empty; the question then takes
    // free text rather than offering nothing (a configured questionnaire is refused at start-up instead).
    if ((q.type === 'select' || q.type === 'multiselect') && list.length === 0) return { ...q, type: q.type === 'select' ? 'text' : 'textarea', options: [] };
    return { ...q, options: list };
  });
  return { title: source.title, ...(source.introduction ? { introduction: source.introduction } : {}), questions };
}

/** Whether `q` is asked, given the answers so far (its condition names an earlier question). */
export function isAsked(q: Question, answers: Answers): boolean {
  if (!q.when) return true;
  const a = answers[q.when.question];
  if (a === undefined) return false;
  if (q.when.includes !== undefined) return Array.isArray(a) && a.includes(q.when.includes);
  if (typeof q.when.equals === 'boolean') return a === q.when.equals;
  return Array.isArray(a) ? a.includes(String(q.when.equals)) : String(a) === q.when.equals;
}

/** The questions asked given `answers`, in order. */
export function askedQuestions(qn: Questionnaire, answers: Answers): Question[] {
  return qn.questions.filter((q) => isAsked(q, answers));
}

/** Answers to questions that are no longer asked are dropped (a changed yes/no hides its follow-up). */
export function pruneAnswers(qn: Questionnaire, answers: Answers): Answers {
  const out: Answers = {};
  for (const q of qn.questions) {
    const a = answers[q.id];
    if (a !== undefined && isAsked(q, out)) out[q.id] = a;
  }
  return out;
}

export type ReadResult = { ok: true; value: AnswerValue | undefined } | { ok: false; message: string };

/**
 * Read one raw answer. `raw` is what a form sent (string, or array for multiselects) or what was
 * typed in the conversation (`typed: true`: options may be given by number or label, lists
 * comma-separated, yes/no in words). An empty optional answer reads as undefined.
 */
export function readAnswer(q: Question, raw: string | string[] | undefined, opts: { typed?: boolean } = {}): ReadResult {
  const empty = raw === undefined || (Array.isArray(raw) ? raw.length === 0 : raw.trim() === '');
  if (q.type === 'boolean' && !opts.typed && empty) return { ok: true, value: false }; // an unticked box
  if (empty) return q.required ? { ok: false, message: 'This question needs an answer.' } : { ok: true, value: undefined };
  const one = Array.isArray(raw) ? raw.join(',') : raw!;
  const text = one.trim();
  switch (q.type) {
    case 'text':
    case 'textarea': {
      const max = q.maxLength ?? DEFAULT_MAX[q.type];
      // Verbatim (only outer whitespace trimmed); rendering makes it inert, never the store.
      const value = Array.isArray(raw) ? raw.join(', ') : raw!.trim();
      if (value.length > max) return { ok: false, message: `Too long: ${value.length} characters, at most ${max}.` };
      return { ok: true, value };
    }
    case 'url': {
      if (text.length > DEFAULT_MAX.url) return { ok: false, message: `Too long: at most ${DEFAULT_MAX.url} characters.` };
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return { ok: false, message: 'Not a URL: give the full address, e.g. https://git.example.com/team/repo' };
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, message: 'Use an http:// or https:// address.' };
      return { ok: true, value: text };
    }
    case 'integer': {
      const plain = text.replace(/[_,\s](?=\d{3}\b)/g, '');
      if (!/^[+-]?\d{1,15}$/.test(plain)) return { ok: false, message: `"${clip(text)}" is not a whole number.` };
      const n = Number(plain);
      if (q.min !== undefined && n < q.min) return { ok: false, message: `${n} is too small: at least ${q.min}.` };
      if (q.max !== undefined && n > q.max) return { ok: false, message: `${n} is too large: at most ${q.max}.` };
      return { ok: true, value: n };
    }
    case 'boolean': {
      const v = text.toLowerCase();
      if (['true', 'yes', 'y', 'on', '1'].includes(v)) return { ok: true, value: true };
      if (['false', 'no', 'n', 'off', '0'].includes(v)) return { ok: true, value: false };
      return { ok: false, message: 'Answer yes or no.' };
    }
    case 'date': {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      const date = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : undefined;
      if (!date || !isRealDate(date)) return { ok: false, message: `"${clip(text)}" is not a date: use YYYY-MM-DD, e.g. 2027-03-01.` };
      return { ok: true, value: text };
    }
    case 'select': {
      const found = pick(q, text, opts.typed);
      return found ? { ok: true, value: found } : { ok: false, message: `Choose one of: ${q.options.map((o) => o.label).join(', ')}.` };
    }
    case 'multiselect': {
      const items = Array.isArray(raw) ? raw : raw!.split(',');
      const values: string[] = [];
      for (const item of items.map((s) => s.trim()).filter((s) => s !== '')) {
        const found = pick(q, item, opts.typed);
        if (!found) return { ok: false, message: `"${clip(item)}" is not an option. Choose from: ${q.options.map((o) => o.label).join(', ')}.` };
        if (!values.includes(found)) values.push(found);
      }
      if (values.length === 0) return q.required ? { ok: false, message: 'Choose at least one.' } : { ok: true, value: undefined };
      return { ok: true, value: values };
    }
  }
}

function pick(q: Question, given: string, typed?: boolean): string | undefined {
  const exact = q.options.find((o) => o.value === given);
  if (exact) return exact.value;
  if (!typed) return undefined;
  if (/^\d+$/.test(given)) return q.options[Number(given) - 1]?.value;
  const lower = given.toLowerCase();
  return q.options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower)?.value;
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 39)}…` : s);

/** Every asked question that is still missing a required answer (submission refuses these). */
export function missingAnswers(qn: Questionnaire, answers: Answers): Question[] {
  return askedQuestions(qn, answers).filter((q) => q.required && answers[q.id] === undefined);
}

/** An answer as text for people: option labels, yes/no, lists joined. */
export function displayAnswer(q: Question | undefined, value: AnswerValue): string {
  const label = (v: string) => q?.options.find((o) => o.value === v)?.label ?? v;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(label).join(', ');
  return q?.type === 'select' ? label(value) : value;
}
