import { describe, expect, it } from 'vitest';
import { previewEdit, queueAt } from '../../../../src/domain/oncall/edit-preview.js';
import { at, input, layer, rotation } from './fixtures.js';

const decl = rotation('Europe/London', [layer(['a', 'b', 'c'], '2026-03-23 09:00')]);

describe('edit preview', () => {
  it('adding a member moves no turn before theirs, and lists the ones after', () => {
    const moved = previewEdit(input(decl), { id: 'e', layer: 'primary', person: 'd', kind: 'add', at: at('2026-03-23T12:00:00Z') }, 6 * 86_400_000);
    // Without d: a b c a b c a; with d: a b c a d b c — from the fifth turn on, turns move.
    expect(moved.map((m) => `${m.start.toISOString().slice(0, 10)} ${m.before}->${m.after}`)).toEqual(['2026-03-27 b->d', '2026-03-28 c->b', '2026-03-29 a->c']);
  });

  it('removing the holder mid-turn shows the gap and the turns that move', () => {
    const moved = previewEdit(input(decl), { id: 'e', layer: 'primary', person: 'a', kind: 'remove', at: at('2026-03-23T12:00:00Z') }, 4 * 86_400_000);
    expect(moved.map((m) => `${m.start.toISOString().slice(0, 10)} ${m.before}->${m.after}`)).toEqual(['2026-03-23 a->null', '2026-03-26 a->b', '2026-03-27 b->c']);
  });

  it('knows the queue with edits applied', () => {
    const i = input(decl, { memberEdits: [{ id: '1', layer: 'primary', person: 'b', kind: 'remove', at: at('2026-03-24T00:00:00Z') }, { id: '2', layer: 'primary', person: 'x', kind: 'add', at: at('2026-03-25T00:00:00Z') }] });
    expect(queueAt(i, 'primary', at('2026-03-24T12:00:00Z'))).toEqual(['a', 'c']);
    expect(queueAt(i, 'primary', at('2026-03-26T00:00:00Z'))).toEqual(['a', 'c', 'x']);
  });
});
