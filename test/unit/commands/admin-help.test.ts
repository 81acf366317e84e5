/**
 * An admin may run every command, so `/day2 help` for an admin lists every command of every
 * family; other roles see only theirs. A command declared for one role without admin would hide
 * from the people who run Day2.
 */
import { describe, expect, it } from 'vitest';
import { allFamilies } from '../../../commands/index.js';
import { overviewData } from '../../../commands/help.js';
import { allows } from '../../../src/dispatch/authorize.js';
import { Registry } from '../../../src/dispatch/registry.js';
import type { Role } from '../../../src/config.js';

const registry = new Registry(allFamilies);
const listed = (roles: Role[]) => {
  const held = new Set(roles);
  const data = overviewData(registry, (r) => allows(r, held), held) as { families: { name: string; commands: { usage: string }[] }[] };
  return data.families.flatMap((f) => f.commands.map((c) => c.usage));
};

describe('/day2 help by role', () => {
  it('lists every command for an admin', () => {
    const every = allFamilies.flatMap((f) => f.commands.map((c) => registry.usageOf(f, c)));
    expect(listed(['admin'])).toEqual(every);
  });

  it('lists fewer for someone with no role, and no admin-only command', () => {
    const anyone = listed([]);
    expect(anyone.length).toBeLessThan(listed(['admin']).length);
    expect(anyone.some((u) => u.includes(' reload'))).toBe(false);
  });
});
