/**
 * Answers of /support, /oncall leave and /tour as a reader sees them: nobody named twice when
 * they ask while on duty, team lists in words, a tour called off before it began not reported as
 * over, and "nobody is free" saying how many were considered and why each was left out.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { toConsoleText } from '../../../src/render/console.js';
import { createRenderer, type Renderer } from '../../../src/render/renderer.js';

const NAMES: Record<string, string> = { 'person:alice': 'Alice Example', 'person:bob': 'Bob Example' };
let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer({ zone: 'UTC' });
});
const read = (name: string, data: Record<string, unknown>) => toConsoleText(renderer.render(name, data), { zone: 'Europe/Berlin', mentions: (ref) => (NAMES[ref] ? { name: NAMES[ref]! } : undefined) });

const request = { id: '4dc72f67', team: 'Payments', text: 'Refunds are stuck', createdAt: new Date('2026-12-06T04:31:00Z'), acked: null, resolved: null, escalated: [] };

describe('support answers', () => {
  it('a request asked by the person on duty names them once', () => {
    const text = read('support/request', { ...request, asker: 'person:alice', assignee: 'person:alice' });
    expect(text).not.toContain('@Alice Example, @Alice Example');
    expect(text).toContain('@Alice Example (on duty, so it is theirs) asks:');
    expect(read('support/request', { ...request, asker: 'person:bob', assignee: 'person:alice' })).toContain('@Alice Example, @Bob Example asks:');
  });
  it('the asker on duty is told it is theirs, not "@them is on duty"', () => {
    expect(read('support/created', { id: 'x1', team: 'Payments', assignee: 'person:alice', self: true })).toContain('You are on duty yourself, so it is addressed to you.');
    expect(read('support/created', { id: 'x1', team: 'Payments', assignee: 'person:alice', self: false })).toContain('@Alice Example is on duty and has it.');
    expect(read('support/assigned', { ...request, asker: 'person:alice', assignee: 'person:alice' })).toContain('You are on duty, so your own request is yours:');
  });
});

describe('leave and tour answers', () => {
  it('leave names the teams in words', () => {
    const text = read('oncall/leave-saved', { person: 'person:bob', from: new Date('2026-12-20T04:31:00Z'), to: new Date('2027-01-03T04:31:00Z'), teams: 'Payments and Infrastructure' });
    expect(text).toContain('Their place in Payments and Infrastructure is kept');
  });
  it('a tour ended before it began is called off', () => {
    const tour = { id: '9221a202', person: 'person:alice', host: 'Infrastructure', from: new Date('2026-12-06T16:00:00Z'), to: new Date('2026-12-06T04:40:00Z'), goal: null, ended: true };
    expect(read('tour/changed', { ...tour, notStarted: true })).toContain('is called off before it began (it was to start Sun 6 Dec 2026, 17:00 CET); their rotations stay as they were.');
    expect(read('tour/changed', { ...tour, notStarted: false })).toContain('has ended; they are back in their rotations.');
  });
  it('nobody free says how many were considered and why each was left out', () => {
    const nobody = { host: 'Infrastructure', person: null, reason: null, lastTourEnd: null };
    expect(read('tour/suggest', { ...nobody, considered: 1, skipped: { onLeave: 0, onDuty: 1, onTour: 0 } })).toBe('Nobody is free for a tour with Infrastructure right now. Considered 1 person from other teams; left out 1 on duty.');
    expect(read('tour/suggest', { ...nobody, considered: 3, skipped: { onLeave: 1, onDuty: 0, onTour: 2 } })).toContain('left out 1 on leave, 2 on a tour.');
    expect(read('tour/suggest', { ...nobody, considered: 0, skipped: { onLeave: 0, onDuty: 0, onTour: 0 } })).toContain('Nobody outside it is a member of another team.');
    const found = read('tour/suggest', { host: 'Infrastructure', person: 'person:bob', reason: 'never-toured', lastTourEnd: null, considered: 2, skipped: { onLeave: 0, onDuty: 1, onTour: 0 } });
    expect(found).toContain('Considered 2 people; left out 1 on duty.');
  });
});
