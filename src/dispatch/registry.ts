/**
 * The command registry: routes `/day2 <family> <sub> …` and each family's aliases to a command
 * declaration, and buttons/forms to theirs. Loading is fail-closed: a family with a missing or
 * malformed role, a duplicate name, a bad action id or an example that does not parse is a
 * load-time error listing every problem, so a mistake never reaches production as an open door.
 */
import { z } from 'zod';
import { argInfo } from './args.js';
import { isValidRequirement } from './authorize.js';
import { readArgs } from './bind.js';
import { closest } from './suggest.js';
import { Scanner } from './tokenize.js';
import type { ButtonDecl, Catalog, CommandDecl, FamilyDecl, FormDecl } from './types.js';
import { count } from '../domain/wording.js';

export const ROOT_COMMAND = '/day2';

export class FamilyLoadError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`command families failed to load (${count(problems.length, 'problem')}):\n${problems.map((p) => `  ✖ ${p}`).join('\n')}`);
    this.name = 'FamilyLoadError';
    this.problems = problems;
  }
}

/** A command line resolved to its declaration; `scanner` is positioned at its arguments. */
export interface Route {
  family: FamilyDecl;
  command: CommandDecl;
  scanner: Scanner;
}

export type RouteResult =
  | { ok: true; route: Route }
  /** No such family or subcommand: `input` as typed, a close match, and where to look. */
  | { ok: false; input: string; suggestion?: string; usage: string };

const NAME = /^[a-z][a-z0-9-]{0,31}$/;
const ALIAS = /^\/[a-z0-9][a-z0-9_-]{0,31}$/;
const ACTION_ID = /^[A-Za-z0-9]{1,255}$/;
const FORM_ID = /^[A-Za-z0-9_.-]{1,255}$/;
const HELP = 'help';

export class Registry implements Catalog {
  readonly root: string;
  readonly families: readonly FamilyDecl[];
  private readonly byName = new Map<string, FamilyDecl>();
  private readonly byAlias = new Map<string, FamilyDecl>();
  /** Commands of `root: true` families, reachable as `/day2 <command>`. */
  private readonly rootCommands = new Map<string, { family: FamilyDecl; command: CommandDecl }>();
  private readonly buttons = new Map<string, { family: FamilyDecl; decl: ButtonDecl }>();
  private readonly forms = new Map<string, { family: FamilyDecl; decl: FormDecl }>();

  /** Throws FamilyLoadError listing every problem found in `families`. */
  constructor(families: readonly FamilyDecl[], options: { root?: string } = {}) {
    this.root = (options.root ?? ROOT_COMMAND).toLowerCase();
    this.families = families;
    const problems: string[] = [];
    if (!Array.isArray(families)) throw new FamilyLoadError(['families must be an array of family declarations']);
    for (const family of families) this.load(family, problems);
    this.checkRootClashes(problems);
    for (const family of families) checkExamples(this, family, problems);
    if (problems.length > 0) throw new FamilyLoadError(problems);
  }

  family(name: string): FamilyDecl | undefined {
    return this.byName.get(name.toLowerCase());
  }

  usageOf(family: FamilyDecl, command: CommandDecl): string {
    return family.root ? `${this.root} ${command.usage}` : `${this.root} ${family.name} ${command.usage}`;
  }

  button(actionId: string): { family: FamilyDecl; decl: ButtonDecl } | undefined {
    return this.buttons.get(actionId);
  }

  form(formId: string): { family: FamilyDecl; decl: FormDecl } | undefined {
    return this.forms.get(formId);
  }

  /**
   * Resolve a slash command and its text. `/day2` with nothing after it, and a family with no
   * subcommand (`/oncall`, `/day2 oncall`), go to `help`. Throws TokenizeError (an InputError)
   * when the command words themselves cannot be read.
   */
  route(command: string, text: string): RouteResult {
    const slash = command.trim().toLowerCase();
    const scanner = new Scanner(text);
    const input = `${command.trim()} ${text.trim()}`.trim();
    const alias = this.byAlias.get(slash);
    if (alias) return this.routeFamily(alias, scanner, slash, input);
    if (slash !== this.root) return { ok: false, input, usage: `${this.root} ${HELP}` };

    const first = scanner.next();
    if (first === undefined) return this.help(scanner, '');
    const word = first.kind === 'word' ? first.value.toLowerCase() : '';
    const rootCommand = this.rootCommands.get(word);
    if (rootCommand) return { ok: true, route: { ...rootCommand, scanner } };
    const family = this.byName.get(word);
    if (family) return this.routeFamily(family, scanner, `${this.root} ${family.name}`, input);
    const guess = closest(first.value, [...this.byName.keys(), ...this.rootCommands.keys()]);
    return { ok: false, input, suggestion: guess ? `${this.root} ${guess}` : undefined, usage: `${this.root} ${HELP}` };
  }

  private routeFamily(family: FamilyDecl, scanner: Scanner, prefix: string, input: string): RouteResult {
    const start = scanner.position;
    const sub = scanner.next();
    if (sub === undefined) return this.help(new Scanner(family.name), input, family);
    const word = sub.kind === 'word' ? sub.value.toLowerCase() : '';
    const command = family.commands.find((c) => c.name === word);
    if (command) return { ok: true, route: { family, command, scanner } };
    // `/oncall help` (what every alias's usage hint offers) is the family's help page.
    if (word === HELP && !scanner.peek()) return this.help(new Scanner(family.name), input, family);
    const fallback = family.defaultCommand ? family.commands.find((c) => c.name === family.defaultCommand) : undefined;
    if (fallback) {
      scanner.seek(start);
      return { ok: true, route: { family, command: fallback, scanner } };
    }
    const guess = closest(sub.value, family.commands.map((c) => c.name));
    return { ok: false, input, suggestion: guess ? `${prefix} ${guess}` : undefined, usage: `${this.root} ${HELP} ${family.name}` };
  }

  /** Route to the root `help` command with `scanner` as its arguments, when one is loaded. */
  private help(scanner: Scanner, input: string, family?: FamilyDecl): RouteResult {
    const help = this.rootCommands.get(HELP);
    if (help) return { ok: true, route: { ...help, scanner } };
    return { ok: false, input: input || this.root, usage: family ? `${this.root} ${family.name} <command>` : `${this.root} <family> <command>` };
  }

  private load(family: FamilyDecl, problems: string[]): void {
    const where = `family "${String(family?.name)}"`;
    if (typeof family !== 'object' || family === null) {
      problems.push('a family declaration is not an object (check commands/index.ts)');
      return;
    }
    if (typeof family.name !== 'string' || !NAME.test(family.name)) problems.push(`${where}: name must be lowercase letters, digits and "-", starting with a letter`);
    else if (this.byName.has(family.name)) problems.push(`${where}: declared twice (family names must be unique)`);
    else this.byName.set(family.name, family);
    if (typeof family.summary !== 'string' || family.summary.trim() === '') problems.push(`${where}: summary is missing`);

    if (!Array.isArray(family.aliases)) problems.push(`${where}: aliases must be a list (use [] for none)`);
    else {
      for (const alias of family.aliases) {
        if (typeof alias !== 'string' || !ALIAS.test(alias)) problems.push(`${where}: alias "${String(alias)}" must look like "/oncall" (lowercase)`);
        else if (alias === this.root) problems.push(`${where}: alias "${alias}" is the root command`);
        else if (this.byAlias.has(alias)) problems.push(`${where}: alias "${alias}" is already used by family "${this.byAlias.get(alias)!.name}"`);
        else this.byAlias.set(alias, family);
      }
    }

    const commands = Array.isArray(family.commands) ? family.commands : [];
    if (!Array.isArray(family.commands)) problems.push(`${where}: commands must be a list`);
    if (commands.length === 0 && (family.buttons ?? []).length === 0 && (family.forms ?? []).length === 0) problems.push(`${where}: declares no commands, buttons or forms`);
    const seen = new Set<string>();
    for (const command of commands) {
      const at = `${where} command "${String(command?.name)}"`;
      if (typeof command !== 'object' || command === null) {
        problems.push(`${where}: a command declaration is not an object`);
        continue;
      }
      checkCommand(command, at, problems);
      if (typeof command.name !== 'string') continue;
      if (seen.has(command.name)) problems.push(`${at}: declared twice in this family`);
      seen.add(command.name);
      if (family.root) {
        const clash = this.rootCommands.get(command.name);
        if (clash) problems.push(`${at}: root command "${command.name}" is also declared by family "${clash.family.name}"`);
        else this.rootCommands.set(command.name, { family, command });
      }
    }

    if (family.defaultCommand !== undefined && !commands.some((c) => c?.name === family.defaultCommand))
      problems.push(`${where}: defaultCommand "${String(family.defaultCommand)}" is not one of its commands`);

    for (const button of family.buttons ?? []) {
      const at = `${where} button "${String(button?.actionId)}"`;
      if (typeof button?.actionId !== 'string' || !ACTION_ID.test(button.actionId)) problems.push(`${at}: actionId must be letters and digits only (Mattermost routes clicks on [A-Za-z0-9]+)`);
      else if (this.buttons.has(button.actionId)) problems.push(`${at}: actionId is already used by family "${this.buttons.get(button.actionId)!.family.name}"`);
      else this.buttons.set(button.actionId, { family, decl: button });
      checkCommon(button, at, problems);
    }
    for (const form of family.forms ?? []) {
      const at = `${where} form "${String(form?.formId)}"`;
      if (typeof form?.formId !== 'string' || !FORM_ID.test(form.formId)) problems.push(`${at}: formId must be letters, digits, "_", "." or "-"`);
      else if (this.forms.has(form.formId)) problems.push(`${at}: formId is already used by family "${this.forms.get(form.formId)!.family.name}"`);
      else this.forms.set(form.formId, { family, decl: form });
      checkCommon(form, at, problems);
      if (!(form?.schema instanceof z.ZodObject)) problems.push(`${at}: schema must be a z.object(...)`);
      if (form?.onClose !== undefined && typeof form.onClose !== 'function') problems.push(`${at}: onClose must be a function`);
    }
  }

  /** Called after every family is loaded, so clashes are checked against all of them. */
  private checkRootClashes(problems: string[]): void {
    for (const [name, { family }] of this.rootCommands) {
      const other = this.byName.get(name);
      if (other && other !== family) problems.push(`family "${family.name}" command "${name}": root command hides family "${other.name}"`);
    }
  }
}

/** Role, mutates and handler: the parts every declaration (command, button, form) must have. */
function checkCommon(decl: { role?: unknown; mutates?: unknown; handler?: unknown } | undefined, at: string, problems: string[]): void {
  if (decl?.role === undefined) problems.push(`${at}: role is missing (use 'anyone' to allow everyone; there is no default)`);
  else if (!isValidRequirement(decl.role)) problems.push(`${at}: role ${JSON.stringify(decl.role)} is not 'anyone', a role, or a non-empty list of roles`);
  if (typeof decl?.mutates !== 'boolean') problems.push(`${at}: mutates must be true or false (true writes an audit entry)`);
  if (typeof decl?.handler !== 'function') problems.push(`${at}: handler is missing`);
}

function checkCommand(command: CommandDecl, at: string, problems: string[]): void {
  if (typeof command.name !== 'string' || !NAME.test(command.name)) problems.push(`${at}: name must be lowercase letters, digits and "-", starting with a letter`);
  if (typeof command.summary !== 'string' || command.summary.trim() === '') problems.push(`${at}: summary is missing`);
  if (typeof command.usage !== 'string' || command.usage.split(/\s+/)[0] !== command.name) problems.push(`${at}: usage must start with the command name ("${String(command.name)} …")`);
  if (!Array.isArray(command.examples) || command.examples.some((e) => typeof e !== 'string')) problems.push(`${at}: examples must be a list of command lines`);
  checkCommon(command, at, problems);
  if (!(command.args instanceof z.ZodObject)) {
    problems.push(`${at}: args must be a z.object(...) (use z.object({}) for none)`);
    return;
  }
  const shape = command.args.shape as Record<string, z.ZodType>;
  if (!Array.isArray(command.positional)) {
    problems.push(`${at}: positional must be a list of argument names (use [] for none)`);
    return;
  }
  command.positional.forEach((key, i) => {
    if (!Object.hasOwn(shape, key)) problems.push(`${at}: positional "${key}" is not one of its args`);
    if (command.positional.indexOf(key) !== i) problems.push(`${at}: positional "${key}" is listed twice`);
  });
  for (const [key, schema] of Object.entries(shape)) {
    if (argInfo(schema)?.kind === 'rest' && command.positional[command.positional.length - 1] !== key) problems.push(`${at}: "${key}" takes the rest of the line, so it must be the last positional`);
  }
}

function checkExamples(registry: Registry, family: FamilyDecl, problems: string[]): void {
  if (family === null || typeof family !== 'object') return;
  for (const command of Array.isArray(family.commands) ? family.commands : []) {
    if (!Array.isArray(command?.examples) || !(command.args instanceof z.ZodObject) || !Array.isArray(command.positional)) continue;
    for (const example of command.examples) {
      if (typeof example !== 'string') continue;
      const at = `family "${family.name}" command "${command.name}" example "${example}"`;
      const m = /^(\/\S+)(?:\s+([\s\S]*))?$/.exec(example.trim());
      if (!m) {
        problems.push(`${at}: must be a full command line starting with the slash command`);
        continue;
      }
      try {
        const r = registry.route(m[1]!, m[2] ?? '');
        if (!r.ok) problems.push(`${at}: does not name a command`);
        else if (r.route.command !== command) problems.push(`${at}: runs "${r.route.family.name} ${r.route.command.name}" instead`);
        else readArgs(command, r.route.scanner);
      } catch (e) {
        problems.push(`${at}: ${(e as Error).message}`);
      }
    }
  }
}

/** Load families into a registry; throws FamilyLoadError listing every problem. */
export function createRegistry(families: readonly FamilyDecl[], options: { root?: string } = {}): Registry {
  return new Registry(families, options);
}
