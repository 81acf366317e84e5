/**
 * A request exported as Markdown or JSON (`/onboard export`). The answers are exported verbatim:
 * the export is the record of what was asked and answered. Markdown escapes them so a pasted
 * answer cannot restructure the document.
 */
import { displayAnswer, type Question } from './questionnaire.js';
import { STATUS_LABEL } from './lifecycle.js';
import type { Actor, OnboardingRequest } from './request.js';

const mdEscape = (s: string) => s.replace(/([\\`*_{}[\]()#+!|<>~-])/g, '\\$1').replace(/\r?\n/g, '  \n');

/** The request with its answers beside their questions (ids, labels and raw values, verbatim). */
export function exportJson(req: OnboardingRequest): string {
  const { cardRevision: _rev, questions, answers, ...rest } = req;
  const rows = questions.filter((q) => answers[q.id] !== undefined).map((q) => ({ id: q.id, question: q.label, answer: answers[q.id] }));
  return JSON.stringify({ ...rest, answers: rows }, null, 1);
}

/** How the Markdown names people and shows instants; the command passes the reader's (names, zone). */
export interface MarkdownStyle {
  name?: (a: Actor) => string;
  when?: (iso: string) => string;
}

export function exportMarkdown(req: OnboardingRequest, style: MarkdownStyle = {}): string {
  const who = (a?: Actor) => (a ? (style.name?.(a) ?? a.name ?? a.personId ?? `${a.platform}:${a.userId}`) : 'Day2');
  const when = style.when ?? ((iso: string) => iso);
  const lines = [
    `# Onboarding request ${req.id}: ${mdEscape(req.title)}`,
    '',
    `- Status: ${STATUS_LABEL[req.status]}`,
    `- Requested by: ${mdEscape(who(req.requester))} on ${when(req.submittedAt)}`,
    ...(req.claimedBy ? [`- Onboarding engineer: ${mdEscape(who(req.claimedBy))}${req.claimedAt ? ` (claimed ${when(req.claimedAt)})` : ''}`] : []),
    ...(req.meeting ? [`- Meeting: ${when(req.meeting.at)} (${req.meeting.minutes} min${style.when ? '' : `, ${req.meeting.zone}`})`] : []),
    '',
    '## Answers',
    '',
  ];
  for (const q of req.questions) {
    const v = req.answers[q.id];
    if (v === undefined) continue;
    lines.push(`**${mdEscape(q.label)}**`, '', mdEscape(displayAnswer(q as Question, v)), '');
  }
  lines.push('## History', '');
  for (const e of req.events) {
    const what = e.kind === 'status' ? `→ ${STATUS_LABEL[e.status!]}` : e.kind;
    const meeting = e.meeting ? `: meeting ${when(e.meeting.at)} (${e.meeting.minutes} min)` : '';
    lines.push(`- ${when(e.at)} ${mdEscape(who(e.by))} ${what}${meeting}${e.text ? `: ${mdEscape(e.text)}` : ''}`);
  }
  return lines.join('\n');
}
