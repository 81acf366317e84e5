import { describe, expect, it } from 'vitest';
import { submissionValues, toDialog } from '../../../src/chat/mattermost/dialog.js';
import { retryAfterMs } from '../../../src/chat/mattermost/error-mapping.js';
import { signButton, signDialogState, verifyButton, verifyDialogState } from '../../../src/chat/mattermost/signing.js';

const SECRET = 'k'.repeat(32);

describe('button and dialog signatures', () => {
  const bind = { channelId: 'chan1', key: 'handoff-7', expiresAt: Date.now() + 60_000 };

  it('verifies what it signed and nothing else', () => {
    const ctx = signButton(SECRET, 'oncallAck', 'rot-1', bind);
    expect(verifyButton(SECRET, ctx, 'chan1')).toMatchObject({ ok: true, actionId: 'oncallAck', value: 'rot-1', key: 'handoff-7' });
    expect(verifyButton('x'.repeat(32), ctx, 'chan1')).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyButton(SECRET, ctx, 'chan2')).toEqual({ ok: false, reason: 'channel' });
    expect(verifyButton(SECRET, { ...ctx, sig: ctx.sig.slice(1) }, 'chan1')).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyButton(SECRET, 'not-an-object', 'chan1')).toEqual({ ok: false, reason: 'invalid' });
    // Moving a character between fields must not keep the signature valid.
    const split = signButton(SECRET, 'ab', 'c', bind);
    expect(verifyButton(SECRET, { ...split, a: 'a', v: 'bc' }, 'chan1')).toEqual({ ok: false, reason: 'invalid' });
  });

  it('binds the message key, the expiry and the audience: none can be edited or dropped', () => {
    const ctx = signButton(SECRET, 'swapAccept', 's-1', { ...bind, audience: 'bob' });
    expect(verifyButton(SECRET, ctx, 'chan1')).toMatchObject({ ok: true, audience: 'bob' });
    expect(verifyButton(SECRET, { ...ctx, k: 'handoff-8' }, 'chan1')).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyButton(SECRET, { ...ctx, e: ctx.e + 86_400_000 }, 'chan1')).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyButton(SECRET, { ...ctx, u: 'mallory' }, 'chan1')).toEqual({ ok: false, reason: 'invalid' });
    const { u: _u, ...noAudience } = ctx;
    expect(verifyButton(SECRET, noAudience, 'chan1')).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyButton(SECRET, ctx, 'chan1', ctx.e)).toEqual({ ok: false, reason: 'expired' });
  });

  it('round-trips dialog state and rejects edits', () => {
    const s = { formId: 'f', state: 's=1', multi: ['teams'], nonce: 'n1', userId: 'alice', channelId: 'chan1', expiresAt: 1_900_000_000_000 };
    const raw = signDialogState(SECRET, s);
    expect(verifyDialogState(SECRET, raw)).toEqual(s);
    expect(verifyDialogState(SECRET, `${raw}x`)).toBeUndefined();
    expect(verifyDialogState(SECRET, raw.replace('v2.', 'v1.'))).toBeUndefined();
    expect(verifyDialogState(SECRET, undefined)).toBeUndefined();
  });
});

describe('rate-limit headers', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it('reads Retry-After as seconds or a date, then X-Ratelimit-Reset as seconds or epoch', () => {
    expect(retryAfterMs(new Headers({ 'Retry-After': '4' }), now)).toBe(4000);
    expect(retryAfterMs(new Headers({ 'Retry-After': 'Mon, 23 Nov 2026 10:00:09 GMT' }), now)).toBe(9000);
    expect(retryAfterMs(new Headers({ 'X-Ratelimit-Reset': '2' }), now)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'X-Ratelimit-Reset': String(now / 1000 + 5) }), now)).toBe(5000);
    expect(retryAfterMs(new Headers({ 'Retry-After': '0' }), now)).toBe(1000);
    expect(retryAfterMs(new Headers(), now)).toBe(1000);
  });
});

describe('dialog mapping', () => {
  it('clamps every text Mattermost limits', () => {
    const long = 'x'.repeat(400);
    const d = toDialog(
      { formId: 'f', title: long, submitLabel: long, state: '', fields: [{ name: 'a', label: long, type: 'textarea', required: false, help: long, placeholder: long, maxLength: 10_000 }] },
      { secret: SECRET, nonce: 'n', userId: 'u1', expiresAt: Date.now() + 60_000, renderMarkup: (m) => m },
    );
    expect([...d.title].length).toBe(24);
    expect([...d.submit_label].length).toBe(24);
    const [el] = d.elements;
    expect([...(el!.display_name as string)].length).toBe(24);
    expect([...(el!.help_text as string)].length).toBe(150);
    expect([...(el!.placeholder as string)].length).toBe(150);
    expect(el!.max_length).toBe(3000);
  });

  it('drops empty values and normalises kinds', () => {
    expect(submissionValues({ a: '', b: null, c: true, d: 3, e: [], m: 'x, y', s: 'text' }, ['m'])).toEqual({ c: 'true', d: '3', m: ['x', 'y'], s: 'text' });
  });
});
