/**
 * The answer to a command says so when a time it was given does not exist on that day (the
 * spring-forward gap) or exists twice (the fall-back overlap), and which instant was used. The
 * instant is the one every handler gets from the one DST rule (src/time/when.ts); this only
 * explains it, so nobody is surprised by an override that starts at 03:30 when they typed 02:30.
 */
import type { OutboundMessage } from '../chat/message.js';
import { timeText, typedTimeNote, zonePlace } from '../time/dst-notes.js';
import type { When } from '../time/when.js';
import type { Render } from './plan.js';

const KINDS = new Set(['date', 'day', 'weekday']);

/** A bound argument that is a typed point in time on a calendar date. */
function isDatedWhen(v: unknown): v is When {
  return typeof v === 'object' && v !== null && KINDS.has((v as { kind?: unknown }).kind as string);
}

/** `reply` with one line added per typed time that fell in a gap or an overlap in `zone`. */
export function withTypedTimeNotes(reply: OutboundMessage, args: Record<string, unknown>, zone: string, now: Date, render: Render): OutboundMessage {
  const lines: string[] = [];
  for (const v of Object.values(args)) {
    if (!isDatedWhen(v)) continue;
    const note = typedTimeNote(v, zone, now);
    if (!note) continue;
    lines.push(render('system/typed-time', { kind: note.kind, typed: timeText(note.time), place: zonePlace(note.zone), used: note.used, ...(note.other ? { other: note.other } : {}) }).body);
  }
  if (lines.length === 0) return reply;
  return { ...reply, body: [reply.body, ...lines].filter((b) => b.length > 0).join('\n\n') };
}
