/**
 * Step one of dispatch: route an inbound event to its declaration and validate its input. Pure
 * apart from reading the registry; what comes out is either a Plan, ready to authorize and run,
 * or a Stop, the answer decided before anything ran.
 */
import { randomBytes } from 'node:crypto';
import type { OutboundMessage } from '../chat/message.js';
import type { DispatchResult, InboundEvent } from '../chat/port.js';
import { isDay2Error, shownMessage, type TextPart } from '../errors.js';
import type { Logger } from '../log.js';
import { ArgError, readArgs, validateForm } from './bind.js';
import type { Registry } from './registry.js';
import type { CommandContext, CommandResult, FamilyDecl, RoleRequirement } from './types.js';
import { suggestCommands } from './suggest-commands.js';

export type Outcome = 'ok' | 'invalid' | 'forbidden' | 'error' | 'duplicate';

/** A parsed and validated action, ready to authorize and run. */
export interface Plan {
  family: FamilyDecl;
  kind: 'command' | 'button' | 'form';
  /** Command name, button action id or form id. */
  action: string;
  role: RoleRequirement;
  mutates: boolean;
  /** Usage line shown with input errors (commands only). */
  usage?: string;
  /** What the audit entry records as the arguments. */
  args: Record<string, unknown>;
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** An answer decided before anything ran. */
export interface Stop {
  outcome: Outcome;
  family: string;
  result: DispatchResult;
  /** Nothing was asked of Day2 (a closed form no one listens for): not counted as a command. */
  quiet?: boolean;
}

export type Render = (name: string, data: Record<string, unknown>) => OutboundMessage;

/** A short reference for an error: the caller is given it, the log has the details. */
export const reference = () => randomBytes(4).toString('hex');

/** The answers that stop an event: bad input (with usage and hint) and an unexpected error. */
export function stopsFor(render: Render) {
  const invalid = (family: string, message: string | readonly TextPart[], extra: { usage?: string; hint?: string } = {}): Stop => ({
    outcome: 'invalid',
    family,
    result: { reply: render('errors/invalid-input', { message, ...extra }) },
  });

  const internal = (log: Logger, family: string, err: unknown, what: string): Stop => {
    const ref = reference();
    log.error({ err, reference: ref }, what);
    let reply: OutboundMessage;
    try {
      reply = render('errors/internal', { reference: ref });
    } catch (renderErr) {
      // The last answer must not fail too (a broken overlay template): say it plainly.
      log.error({ err: renderErr, reference: ref }, 'errors/internal template failed');
      reply = { body: `Something went wrong. Reference: ${ref}`, summary: `Something went wrong (reference ${ref})` };
    }
    return { outcome: 'error', family, result: { reply } };
  };
  return { invalid, internal };
}

export type Stops = ReturnType<typeof stopsFor>;

/** Route and validate an event. */
export function planEvent(registry: Registry, render: Render, stops: Stops, event: InboundEvent): Plan | Stop {
  if (event.kind === 'button') return planButton(registry, stops, event);
  if (event.kind === 'form') return planForm(registry, stops, event);
  return planCommand(registry, render, stops, event);
}

function planButton(registry: Registry, { invalid }: Stops, event: Extract<InboundEvent, { kind: 'button' }>): Plan | Stop {
  const found = registry.button(event.actionId);
  if (!found) return invalid('unknown', 'This button is no longer handled. Run the command again for a fresh message.');
  const { family, decl } = found;
  return { family, kind: 'button', action: decl.actionId, role: decl.role, mutates: decl.mutates, args: { value: event.value }, run: (ctx) => decl.handler(ctx, event.value) };
}

function planForm(registry: Registry, { invalid }: Stops, event: Extract<InboundEvent, { kind: 'form' }>): Plan | Stop {
  if (event.closed) {
    // A closed form is not a submission: nothing to validate, and no answer unless the form
    // asked to hear of it (e.g. to keep a draft).
    const found = registry.form(event.formId);
    const onClose = found?.decl.onClose;
    if (!found || !onClose) return { outcome: 'ok', family: found?.family.name ?? 'unknown', result: {}, quiet: true };
    const { family, decl } = found;
    return { family, kind: 'form', action: decl.formId, role: decl.role, mutates: decl.mutates, args: { closed: true, values: event.values }, run: (ctx) => onClose.call(decl, ctx, event.values, event.state) };
  }
  const found = registry.form(event.formId);
  if (!found) return invalid('unknown', 'This form is no longer handled. Start again from the command.');
  const { family, decl } = found;
  const checked = validateForm(decl.schema, event.values);
  if (!checked.ok) return { outcome: 'invalid', family: family.name, result: { formErrors: checked.errors } };
  return { family, kind: 'form', action: decl.formId, role: decl.role, mutates: decl.mutates, args: checked.values, run: (ctx) => decl.handler(ctx, checked.values, event.state) };
}

/** Slash commands, and DMs read as if typed after the root command (or as a full slash command). */
function planCommand(registry: Registry, render: Render, { invalid }: Stops, event: Extract<InboundEvent, { kind: 'command' | 'dm' }>): Plan | Stop {
  let command: string;
  let text: string;
  if (event.kind === 'command') {
    command = event.command;
    text = event.text;
  } else {
    const m = /^\s*(\/\S+)\s*([\s\S]*)$/.exec(event.text);
    command = m ? m[1]! : registry.root;
    text = m ? m[2]! : event.text;
  }
  let routed;
  try {
    routed = registry.route(command, text);
  } catch (e) {
    if (isDay2Error(e) && e.code === 'invalid_input') return invalid('unknown', e.message, { usage: `${registry.root} help` });
    throw e;
  }
  if (!routed.ok && event.kind === 'dm' && !event.text.trimStart().startsWith('/')) {
    // Words of their own, not a command: a friendly pointer to the closest commands.
    const suggestions = suggestCommands(registry, event.text);
    return { outcome: 'invalid', family: 'unknown', result: { reply: render('errors/plain-line', { suggestions, help: `${registry.root} help` }) } };
  }
  if (!routed.ok) {
    return {
      outcome: 'invalid',
      family: 'unknown',
      result: { reply: render('errors/unknown-command', { input: routed.input, suggestion: routed.suggestion, usage: routed.usage }) },
    };
  }
  const { family, command: decl, scanner } = routed.route;
  const usage = registry.usageOf(family, decl);
  try {
    const args = readArgs(decl, scanner) as Record<string, unknown>;
    return { family, kind: 'command', action: decl.name, role: decl.role, mutates: decl.mutates, usage, args, run: (ctx) => decl.handler(ctx, args) };
  } catch (e) {
    if (isDay2Error(e) && e.code === 'invalid_input') return invalid(family.name, shownMessage(e as Error), { usage, hint: e instanceof ArgError ? e.hint : undefined });
    throw e;
  }
}
