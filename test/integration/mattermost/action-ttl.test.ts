/** DAY2_ACTION_TTL: how long Mattermost buttons and dialogs stay valid, as a typed duration. */
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/env.js';

describe('DAY2_ACTION_TTL', () => {
  it('takes a duration, leaves the 7-day default to the adapter when unset, and refuses nonsense', () => {
    const ttl = (v?: string) => {
      const r = parseEnv(v === undefined ? {} : { DAY2_ACTION_TTL: v });
      return r.ok ? r.env.DAY2_ACTION_TTL : r.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    };
    expect(ttl()).toBeUndefined();
    expect(ttl('36h')).toBe(36 * 3_600_000);
    expect(ttl('2w')).toBe(14 * 86_400_000);
    expect(ttl('soon')).toMatch(/DAY2_ACTION_TTL: must be a duration/);
    expect(ttl('30s')).toMatch(/from 1m to 366d/);
    expect(ttl('2y')).toMatch(/from 1m to 366d/);
  });
});
