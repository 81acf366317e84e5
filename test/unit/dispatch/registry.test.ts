import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { arg } from '../../../src/dispatch/args.js';
import { defineFamily } from '../../../src/dispatch/define.js';
import { createRegistry, FamilyLoadError } from '../../../src/dispatch/registry.js';
import type { CommandDecl, FamilyDecl } from '../../../src/dispatch/types.js';
import { helpFamily } from '../../../commands/help.js';
import { systemFamily } from '../../../commands/system.js';
import { demoFamily } from './fixtures.js';

const ok = async () => ({});

function command(over: Partial<CommandDecl> & Record<string, unknown> = {}): CommandDecl {
  return { name: 'go', summary: 'Go', usage: 'go', examples: [], args: z.object({}), positional: [], role: 'anyone', mutates: false, handler: ok, ...over } as CommandDecl;
}

function family(over: Partial<FamilyDecl> & Record<string, unknown> = {}): FamilyDecl {
  return { name: 'fam', aliases: [], summary: 'A family', commands: [command()], ...over } as FamilyDecl;
}

function problemsOf(families: FamilyDecl[]): string[] {
  try {
    createRegistry(families);
  } catch (e) {
    expect(e).toBeInstanceOf(FamilyLoadError);
    return (e as FamilyLoadError).problems;
  }
  return [];
}

describe('registry load-time checks (fail closed)', () => {
  it('loads well-formed families', () => {
    expect(problemsOf([helpFamily, systemFamily, demoFamily()])).toEqual([]);
  });

  it('a command without a role is a load-time error', () => {
    const { role: _drop, ...noRole } = command();
    expect(() => createRegistry([family({ commands: [noRole as CommandDecl] })])).toThrow(/family "fam" command "go": role is missing/);
  });

  it('defineFamily refuses a missing role at import time too', () => {
    const { role: _drop, ...noRole } = command();
    expect(() => defineFamily(family({ commands: [noRole as CommandDecl] }))).toThrow(FamilyLoadError);
  });

  // [what, families, expected problem (substring)]
  const cases: [string, () => FamilyDecl[], string][] = [
    ['unknown role', () => [family({ commands: [command({ role: 'root' as never })] })], `command "go": role "root" is not 'anyone', a role, or a non-empty list of roles`],
    ['empty role list', () => [family({ commands: [command({ role: [] })] })], `command "go": role [] is not 'anyone'`],
    ['list with an unknown role', () => [family({ commands: [command({ role: ['admin', 'boss'] as never })] })], `role ["admin","boss"]`],
    ['missing mutates', () => [family({ commands: [command({ mutates: undefined as never })] })], 'mutates must be true or false'],
    ['missing handler', () => [family({ commands: [command({ handler: undefined as never })] })], 'handler is missing'],
    ['duplicate command', () => [family({ commands: [command(), command()] })], 'command "go": declared twice in this family'],
    ['duplicate family', () => [family(), family()], 'family "fam": declared twice'],
    ['bad family name', () => [family({ name: 'Fam!' })], 'family "Fam!": name must be lowercase'],
    ['bad command name', () => [family({ commands: [command({ name: 'Go', usage: 'Go' })] })], 'command "Go": name must be lowercase'],
    ['usage not starting with the name', () => [family({ commands: [command({ usage: 'run' })] })], 'usage must start with the command name'],
    ['missing summary', () => [family({ commands: [command({ summary: ' ' })] })], 'command "go": summary is missing'],
    ['bad alias', () => [family({ aliases: ['oncall'] })], 'alias "oncall" must look like "/oncall"'],
    ['alias is the root', () => [family({ aliases: ['/day2'] })], 'alias "/day2" is the root command'],
    ['alias clash', () => [family({ aliases: ['/x'] }), family({ name: 'other', aliases: ['/x'] })], 'alias "/x" is already used by family "fam"'],
    ['positional not in args', () => [family({ commands: [command({ positional: ['nope'] as never })] })], 'positional "nope" is not one of its args'],
    [
      'rest not last',
      () => [family({ commands: [command({ args: z.object({ text: arg.rest(), n: arg.int() }), positional: ['text', 'n'] as never })] })],
      '"text" takes the rest of the line, so it must be the last positional',
    ],
    ['args not a zod object', () => [family({ commands: [command({ args: {} as never })] })], 'args must be a z.object(...)'],
    ['empty family', () => [family({ commands: [] })], 'declares no commands, buttons or forms'],
    ['button actionId with underscore', () => [family({ buttons: [{ actionId: 'approve_1', role: 'admin', mutates: true, handler: ok }] })], 'button "approve_1": actionId must be letters and digits only'],
    ['button without role', () => [family({ buttons: [{ actionId: 'approve', mutates: true, handler: ok } as never] })], 'button "approve": role is missing'],
    [
      'duplicate button across families',
      () => [family({ buttons: [{ actionId: 'ack', role: 'anyone', mutates: false, handler: ok }] }), family({ name: 'b', buttons: [{ actionId: 'ack', role: 'anyone', mutates: false, handler: ok }] })],
      'button "ack": actionId is already used by family "fam"',
    ],
    ['form without role', () => [family({ forms: [{ formId: 'f', mutates: true, schema: z.object({}), handler: ok } as never] })], 'form "f": role is missing'],
    ['form without schema', () => [family({ forms: [{ formId: 'f', role: 'anyone', mutates: true, handler: ok } as never] })], 'form "f": schema must be a z.object(...)'],
    ['example for another command', () => [family({ commands: [command({ examples: ['/day2 fam other'] }), command({ name: 'other', usage: 'other' })] })], 'example "/day2 fam other": runs "fam other" instead'],
    ['example that does not route', () => [family({ commands: [command({ examples: ['/day2 nothing here'] })] })], 'example "/day2 nothing here": does not name a command'],
    ['example without a slash command', () => [family({ commands: [command({ examples: ['fam go'] })] })], 'must be a full command line'],
    [
      'example with a bad argument',
      () => [family({ commands: [command({ args: z.object({ n: arg.int({ max: 5 }) }), positional: ['n'] as never, usage: 'go <n>', examples: ['/day2 fam go 9'] })] })],
      'example "/day2 fam go 9": n: 9 is too large (at most 5)',
    ],
    [
      'example missing an argument',
      () => [family({ commands: [command({ args: z.object({ n: arg.int() }), positional: ['n'] as never, usage: 'go <n>', examples: ['/day2 fam go'] })] })],
      'example "/day2 fam go": missing n',
    ],
    ['root command hiding a family', () => [family({ root: true, commands: [command({ name: 'other', usage: 'other' })] }), family({ name: 'other' })], 'root command hides family "other"'],
    ['root commands clashing', () => [family({ root: true }), family({ name: 'b', root: true })], 'root command "go" is also declared by family "fam"'],
  ];
  it.each(cases)('%s', (_what, families, expected) => {
    const problems = problemsOf(families());
    expect(problems.join('\n')).toContain(expected);
  });

  it('lists every problem at once', () => {
    const { role: _drop, ...noRole } = command({ name: 'a', usage: 'a' });
    const problems = problemsOf([
      family({
        commands: [noRole as CommandDecl, command({ name: 'b', usage: 'b', examples: ['/day2 fam zzz'] }), command({ name: 'b', usage: 'b' })],
        buttons: [{ actionId: 'bad-id', role: 'anyone', mutates: false, handler: ok }],
      }),
    ]);
    expect(problems).toHaveLength(4);
    const err = new FamilyLoadError(problems);
    expect(err.message).toMatch(/^command families failed to load \(4 problems\):\n  ✖ /);
  });
});

describe('routing', () => {
  const registry = createRegistry([helpFamily, systemFamily, demoFamily()]);
  const routeName = (command: string, text: string) => {
    const r = registry.route(command, text);
    return r.ok ? `${r.route.family.name} ${r.route.command.name} | ${r.route.scanner.remainder()}` : r;
  };

  it.each([
    ['/day2', 'demo show prod', 'demo show | prod'],
    ['/demo', 'show prod 3', 'demo show | prod 3'],
    ['/DEMO', 'SHOW prod', 'demo show | prod'],
    ['/day2', 'Demo Show prod', 'demo show | prod'],
    ['/day2', '', 'help help | '],
    ['/day2', '   ', 'help help | '],
    ['/day2', 'demo', 'help help | demo'],
    ['/demo', '', 'help help | demo'],
    ['/day2', 'whoami', 'system whoami | '],
    ['/day2', 'system whoami', 'system whoami | '],
    ['/day2', 'help demo', 'help help | demo'],
    ['/demo', 'help', 'help help | demo'],
    ['/day2', 'demo help', 'help help | demo'],
  ])('%s %s', (command, text, expected) => {
    expect(routeName(command, text)).toBe(expected);
  });

  it.each([
    ['/day2', 'dmeo show', { input: '/day2 dmeo show', suggestion: '/day2 demo', usage: '/day2 help' }],
    ['/day2', 'whoiam', { input: '/day2 whoiam', suggestion: '/day2 whoami', usage: '/day2 help' }],
    ['/day2', 'zzzzzz', { input: '/day2 zzzzzz', usage: '/day2 help' }],
    ['/demo', 'shwo prod', { input: '/demo shwo prod', suggestion: '/demo show', usage: '/day2 help demo' }],
    ['/day2', 'demo sched x', { input: '/day2 demo sched x', usage: '/day2 help demo' }],
    ['/other', 'x', { input: '/other x', usage: '/day2 help' }],
  ])('unknown: %s %s', (command, text, expected) => {
    expect(registry.route(command, text)).toEqual({ ok: false, suggestion: undefined, ...expected });
  });

  it('routes free text to a family\'s default command, and refuses an unknown default', () => {
    const base = demoFamily();
    const asking = { ...base, name: 'asking', aliases: ['/asking'], defaultCommand: 'show', commands: base.commands.map((c) => ({ ...c, examples: [] })) };
    const r = createRegistry([helpFamily, asking]).route('/asking', 'prod 3');
    expect(r.ok && `${r.route.command.name} | ${r.route.scanner.remainder()}`).toBe('show | prod 3');
    expect(() => createRegistry([{ ...asking, defaultCommand: 'nope' }])).toThrow(/defaultCommand "nope" is not one of its commands/);
  });

  it('builds usage lines from the declarations', () => {
    const demo = registry.family('demo')!;
    expect(registry.usageOf(demo, demo.commands[0]!)).toBe('/day2 demo show <env> [count]');
    const system = registry.family('system')!;
    expect(registry.usageOf(system, system.commands[0]!)).toBe('/day2 whoami');
  });

  it('routes buttons and forms by id', () => {
    expect(registry.button('demoAck')?.family.name).toBe('demo');
    expect(registry.form('demoForm')?.family.name).toBe('demo');
    expect(registry.button('nope')).toBeUndefined();
  });
});
