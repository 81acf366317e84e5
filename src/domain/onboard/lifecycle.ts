/**
 * The life of an onboarding request:
 *
 *   submitted -> claimed -> meeting-scheduled -> in-progress -> onboarded
 *        \__________\______________\_______________\__________-> declined
 *
 * `transition` is the one place that says which move is allowed from where; handlers add who
 * may make it (the ObE role, and the claiming ObE for everything after the claim).
 */
export const STATUSES = ['submitted', 'claimed', 'meeting-scheduled', 'in-progress', 'onboarded', 'declined'] as const;
export type Status = (typeof STATUSES)[number];

export const STATUS_LABEL: Record<Status, string> = {
  submitted: 'submitted',
  claimed: 'claimed',
  'meeting-scheduled': 'meeting scheduled',
  'in-progress': 'in progress',
  onboarded: 'onboarded',
  declined: 'declined',
};

export type Move = 'claim' | 'meeting' | 'start' | 'done' | 'decline';

const ALLOWED: Record<Move, { from: readonly Status[]; to: Status }> = {
  claim: { from: ['submitted'], to: 'claimed' },
  // Scheduling again moves the meeting; work may start without a meeting only after one was held.
  meeting: { from: ['claimed', 'meeting-scheduled', 'in-progress'], to: 'meeting-scheduled' },
  start: { from: ['claimed', 'meeting-scheduled'], to: 'in-progress' },
  done: { from: ['in-progress'], to: 'onboarded' },
  decline: { from: ['submitted', 'claimed', 'meeting-scheduled', 'in-progress'], to: 'declined' },
};

export type TransitionResult = { ok: true; to: Status } | { ok: false; message: string };

export function transition(from: Status, move: Move): TransitionResult {
  const rule = ALLOWED[move];
  if (rule.from.includes(from)) return { ok: true, to: move === 'meeting' && from === 'in-progress' ? 'in-progress' : rule.to };
  const hint: Record<Move, string> = {
    claim: 'only a submitted request can be claimed',
    meeting: 'claim it first',
    start: 'claim it (and hold the meeting) first',
    done: 'mark it in progress first',
    decline: 'it is already closed',
  };
  return { ok: false, message: `The request is ${STATUS_LABEL[from]}: ${hint[move]}.` };
}

export const isOpen = (s: Status) => s !== 'onboarded' && s !== 'declined';
