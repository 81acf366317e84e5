/**
 * One table test over every declaration Day2 loads (commands/index.ts): each family's help
 * renders with the real templates, and every example routes to its own command and validates.
 * New families are covered by adding them to allFamilies; nothing to write here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { allFamilies } from '../../../commands/index.js';
import { familyData, overviewData } from '../../../commands/help.js';
import { readArgs } from '../../../src/dispatch/bind.js';
import { createRegistry } from '../../../src/dispatch/registry.js';
import type { Renderer } from '../../../src/render/renderer.js';
import { createRenderer } from '../../../src/render/renderer.js';

const registry = createRegistry(allFamilies);
let renderer: Renderer;
beforeAll(async () => {
  renderer = await createRenderer();
});

const families = allFamilies.map((f) => [f.name, f] as const);
const commands = allFamilies.flatMap((f) => f.commands.map((c) => [`${f.name} ${c.name}`, f, c] as const));
const examples = allFamilies.flatMap((f) => f.commands.flatMap((c) => c.examples.map((e) => [e, f, c] as const)));

describe('every declaration in allFamilies', () => {
  it('loads into one registry (no clashes between families)', () => {
    expect(registry.families).toHaveLength(allFamilies.length);
  });

  it('the overview renders for a caller with every role and for one with none', () => {
    for (const may of [() => true, () => false]) {
      const message = renderer.render('help/overview', overviewData(registry, may, []));
      expect(message.title).toBe('Day2 commands');
    }
  });

  it.each(families)('help for %s renders every command', (_name, family) => {
    const message = renderer.render('help/family', familyData(registry, family));
    for (const c of family.commands) expect(message.body).toContain(c.name);
  });

  it.each(commands)('%s has a usage line, a summary and at least one example', (_name, family, command) => {
    expect(registry.usageOf(family, command)).toMatch(/^\/day2 \S/);
    expect(command.summary.trim()).not.toBe('');
    expect(command.examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('example %s routes to its command and validates', (example, family, command) => {
    const m = /^(\/\S+)\s*([\s\S]*)$/.exec(example);
    expect(m).not.toBeNull();
    const routed = registry.route(m![1]!, m![2]!);
    expect(routed.ok).toBe(true);
    if (!routed.ok) return;
    expect(routed.route.family).toBe(family);
    expect(routed.route.command).toBe(command);
    expect(() => readArgs(command, routed.route.scanner)).not.toThrow();
  });
});
