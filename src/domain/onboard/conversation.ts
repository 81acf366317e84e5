/**
 * The questionnaire as a step-by-step conversation (direct messages, and the console, which has
 * no forms). Pure: `step` takes the conversation and one line the user typed and says what to
 * ask or show next. Words: `back`, `skip` (move on without changing the answer; a required
 * question must have one), `cancel`, `review`; at the review, `submit` or `edit <number>`.
 */
import { askedQuestions, isAsked, pruneAnswers, readAnswer, type Answers, type Question, type Questionnaire } from './questionnaire.js';

export interface ConversationState {
  answers: Answers;
  /** The question being asked, or 'review'. */
  cursor: string;
  /** Questions answered or skipped, in order, for `back`. */
  history: string[];
  /** Set by `edit` at the review: after the answer, go back to the review. */
  returnToReview?: boolean;
}

export type StepOutcome =
  | { kind: 'ask'; state: ConversationState; question: Question; number: number; total: number; error?: string }
  | { kind: 'review'; state: ConversationState; error?: string }
  | { kind: 'submit'; state: ConversationState }
  | { kind: 'cancel' };

export const REVIEW = 'review';

/** Start (or restart) a conversation on the first unanswered asked question. */
export function begin(qn: Questionnaire, answers: Answers = {}): StepOutcome {
  const state: ConversationState = { answers: pruneAnswers(qn, answers), cursor: REVIEW, history: [] };
  const first = askedQuestions(qn, state.answers).find((q) => state.answers[q.id] === undefined);
  return first ? ask(qn, { ...state, cursor: first.id }) : { kind: 'review', state };
}

/** Re-show where the conversation stands (after `/onboard resume`). */
export function current(qn: Questionnaire, state: ConversationState): StepOutcome {
  const q = state.cursor === REVIEW ? undefined : qn.questions.find((x) => x.id === state.cursor);
  if (!q || !isAsked(q, state.answers)) return state.cursor === REVIEW ? { kind: 'review', state } : advance(qn, state, state.cursor);
  return ask(qn, state);
}

function ask(qn: Questionnaire, state: ConversationState, error?: string): StepOutcome {
  const asked = askedQuestions(qn, state.answers);
  const index = asked.findIndex((q) => q.id === state.cursor);
  const question = qn.questions.find((q) => q.id === state.cursor)!;
  return { kind: 'ask', state, question, number: index + 1, total: asked.length, ...(error ? { error } : {}) };
}

/** Move past `from` to the next asked question (in questionnaire order), or to the review. */
function advance(qn: Questionnaire, state: ConversationState, from: string): StepOutcome {
  const start = qn.questions.findIndex((q) => q.id === from);
  const next = qn.questions.slice(start + 1).find((q) => isAsked(q, state.answers));
  if (!next) return { kind: 'review', state: { ...state, cursor: REVIEW } };
  return ask(qn, { ...state, cursor: next.id });
}

export function step(qn: Questionnaire, state: ConversationState, input: string): StepOutcome {
  const text = input.trim();
  const word = text.toLowerCase();
  if (word === 'cancel') return { kind: 'cancel' };
  if (word === 'back') {
    const history = [...state.history];
    const previous = history.pop();
    if (previous === undefined) return state.cursor === REVIEW ? { kind: 'review', state, error: 'There is nothing before this.' } : ask(qn, state, 'This is the first question.');
    return ask(qn, { ...state, cursor: previous, history });
  }
  if (state.cursor === REVIEW) {
    if (word === 'submit') return { kind: 'submit', state };
    const edit = /^edit\s+(\S+)$/i.exec(text);
    if (edit) {
      const asked = askedQuestions(qn, state.answers);
      const target = /^\d+$/.test(edit[1]!) ? asked[Number(edit[1]) - 1] : asked.find((q) => q.id === edit[1]);
      if (!target) return { kind: 'review', state, error: `There is no question "${edit[1]}" to edit: give its number from the list.` };
      return ask(qn, { ...state, cursor: target.id, returnToReview: true });
    }
    return { kind: 'review', state, error: 'Type submit to send it, edit <number> to change an answer, back or cancel.' };
  }
  const q = qn.questions.find((x) => x.id === state.cursor);
  if (!q) return begin(qn, state.answers);
  if (word === 'review') return { kind: 'review', state: { ...state, cursor: REVIEW, history: [...state.history, q.id] } };
  if (word === 'skip') {
    if (q.required && state.answers[q.id] === undefined) return ask(qn, state, 'This question is required, so it cannot be skipped.');
    return moveOn(qn, { ...state, history: [...state.history, q.id] }, q.id);
  }
  const read = readAnswer(q, text, { typed: true });
  if (!read.ok) return ask(qn, state, read.message);
  const answers = { ...state.answers };
  if (read.value === undefined) delete answers[q.id];
  else answers[q.id] = read.value;
  return moveOn(qn, { ...state, answers: pruneAnswers(qn, answers), history: [...state.history, q.id] }, q.id);
}

/** After an answer: the next question, or back to the review when editing from there. */
function moveOn(qn: Questionnaire, state: ConversationState, from: string): StepOutcome {
  if (!state.returnToReview) return advance(qn, state, from);
  // A changed answer can open a follow-up question (yes → "which buildpacks?"): ask it first.
  const missing = askedQuestions(qn, state.answers).find((q) => q.required && state.answers[q.id] === undefined);
  if (missing) return ask(qn, { ...state, cursor: missing.id });
  const { returnToReview: _done, ...rest } = state;
  return { kind: 'review', state: { ...rest, cursor: REVIEW } };
}
