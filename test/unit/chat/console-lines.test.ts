/** What a typed console line is, and how buttons get their numbers. */
import { describe, expect, it } from 'vitest';
import { ButtonBoard } from '../../../src/chat/console/buttons.js';
import { readLine } from '../../../src/chat/console/lines.js';
import { ScriptTally } from '../../../src/chat/console/tally.js';

describe('readLine', () => {
  it('tells the console’s own commands from slash commands and plain lines', () => {
    expect(readLine('7')).toEqual({ kind: 'number', n: 7 });
    expect(readLine('/day2 as')).toEqual({ kind: 'as', person: undefined });
    expect(readLine('/day2 as @Bob')).toEqual({ kind: 'as', person: 'bob' });
    expect(readLine('/day2 as bob smith')).toEqual({ kind: 'as', person: 'bob smith' });
    expect(readLine('/day2 in #prod-east-notices')).toEqual({ kind: 'in', channel: 'prod-east-notices' });
    expect(readLine('/day2 click noticeSend 12')).toEqual({ kind: 'click', actionId: 'noticeSend', value: '12' });
    expect(readLine('/day2 click rsvp "a b"')).toEqual({ kind: 'click', actionId: 'rsvp', value: 'a b' });
    expect(readLine('/oncall who payments')).toEqual({ kind: 'command', command: '/oncall', text: 'who payments' });
    expect(readLine('/day2 assign')).toEqual({ kind: 'command', command: '/day2', text: 'assign' });
    expect(readLine('hello there')).toEqual({ kind: 'dm', text: 'hello there' });
    expect(readLine('7 dwarves')).toEqual({ kind: 'dm', text: '7 dwarves' });
  });
});

describe('ButtonBoard', () => {
  it('numbers buttons across messages, never reusing a number, and remembers what each presses', () => {
    const board = new ButtonBoard();
    const msg = { body: 'b', summary: 's', buttons: [{ actionId: 'swapAccept', label: 'Accept', value: 'r|1', style: 'primary' as const }, { actionId: 'swapDecline', label: 'Decline\u001b[31m', value: 'r|1', style: 'danger' as const }] };
    expect(board.show(msg, { messageId: 'm1', channelId: 'dm-bob' })).toBe('[1] Accept  [2] Decline[31m (!)'); // the escape character is gone, so the rest is inert text
    expect(board.show(msg, { messageId: 'm2' })).toBe('[3] Accept  [4] Decline[31m (!)');
    expect(board.press(2)).toEqual({ actionId: 'swapDecline', value: 'r|1', messageId: 'm1', channelId: 'dm-bob' });
    expect(board.press(5)).toBeUndefined();
    expect(board.last).toBe(4);
    expect(board.show({ body: 'no buttons', summary: 's' }, {})).toBe('');
  });
});

describe('ScriptTally', () => {
  it('summarises a script; refusals are answers, errors set the exit code', () => {
    const t = new ScriptTally();
    t.line();
    t.answered(true);
    t.line();
    t.error();
    expect(t.summary()).toBe('Script done: 2 lines, 1 answered, 1 error.');
    expect(t.refusals).toBe(1);
    expect(t.exitCode).toBe(1);
  });
});
