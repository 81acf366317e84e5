/**
 * The one entry point for everything users do: slash commands, DMs, button clicks and form
 * submissions all arrive here as an InboundEvent and leave as a DispatchResult.
 *
 *   parse → validate → run-once claim (state changes and DMs) → authorize → run → audit
 *
 * Each step can only stop the ones after it: bad input or a missing role answers the caller and
 * nothing runs or is written (a run-once marker taken is released too, so no key is left behind).
 * An unexpected error is logged under a short reference that the caller is given instead of a
 * stack trace. Only a successful run of a `mutates` declaration is audited.
 */
import { randomBytes } from 'node:crypto';
import type { FormSpec, OutboundMessage } from '../chat/message.js';
import type { Dispatch, DispatchResult, InboundEvent, UserRef } from '../chat/port.js';
import { isDay2Error } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { Logger } from '../log.js';
import { createDedupe, type Dedupe } from '../store/dedupe.js';
import { allows, roleLabel } from './authorize.js';
import { ArgError, readArgs, validateForm } from './bind.js';
import { Registry } from './registry.js';
import type { Services } from './services.js';
import type { Caller, CommandContext, CommandResult, FamilyDecl, RoleRequirement } from './types.js';

export interface DispatcherDeps {
  families: readonly FamilyDecl[];
  services: Services;
  metrics: Metrics;
  log: Logger;
  /** Group principals of a user (see ChatAdapter.groupsOf); asked only when the config grants roles to groups. */
  groupsOf?: (user: UserRef) => Promise<string[]>;
  /** Defaults to the system clock. */
  clock?: () => Date;
  /** Root slash command; default `/day2`. */
  root?: string;
  /** Run-once guard; defaults to one on `services.redis`. */
  dedupe?: Dedupe;
}

type Outcome = 'ok' | 'invalid' | 'forbidden' | 'error' | 'duplicate';

/** A parsed and validated action, ready to authorize and run. */
interface Plan {
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
interface Stop {
  outcome: Outcome;
  family: string;
  result: DispatchResult;
  /** Nothing was asked of Day2 (a closed form no one listens for): not counted as a command. */
  quiet?: boolean;
}

const reference = () => randomBytes(4).toString('hex');

/** Builds the dispatcher; throws FamilyLoadError when a family is malformed (fail closed at boot). */
export function createDispatcher(deps: DispatcherDeps): Dispatch {
  const registry = new Registry(deps.families, { root: deps.root });
  const dedupe = deps.dedupe ?? createDedupe(deps.services.redis);
  const clock = deps.clock ?? (() => new Date());
  const { services, metrics } = deps;
  const render = (name: string, data: Record<string, unknown>) => services.renderer.render(name, data);
  const count = (family: string, outcome: Outcome) => metrics.commands.inc({ family, outcome });

  const invalid = (family: string, message: string, extra: { usage?: string; hint?: string } = {}): Stop => ({
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

  /** Route and validate; pure apart from reading the registry. */
  function plan(event: InboundEvent): Plan | Stop {
    if (event.kind === 'button') {
      const found = registry.button(event.actionId);
      if (!found) return invalid('unknown', 'This button is no longer handled. Run the command again for a fresh message.');
      const { family, decl } = found;
      return { family, kind: 'button', action: decl.actionId, role: decl.role, mutates: decl.mutates, args: { value: event.value }, run: (ctx) => decl.handler(ctx, event.value) };
    }
    if (event.kind === 'form' && event.closed) {
      // A closed form is not a submission: nothing to validate, and no answer unless the form
      // asked to hear of it (e.g. to keep a draft).
      const found = registry.form(event.formId);
      const onClose = found?.decl.onClose;
      if (!found || !onClose) return { outcome: 'ok', family: found?.family.name ?? 'unknown', result: {}, quiet: true };
      const { family, decl } = found;
      return { family, kind: 'form', action: decl.formId, role: decl.role, mutates: decl.mutates, args: { closed: true, values: event.values }, run: (ctx) => onClose.call(decl, ctx, event.values, event.state) };
    }
    if (event.kind === 'form') {
      const found = registry.form(event.formId);
      if (!found) return invalid('unknown', 'This form is no longer handled. Start again from the command.');
      const { family, decl } = found;
      const checked = validateForm(decl.schema, event.values);
      if (!checked.ok) return { outcome: 'invalid', family: family.name, result: { formErrors: checked.errors } };
      return { family, kind: 'form', action: decl.formId, role: decl.role, mutates: decl.mutates, args: checked.values, run: (ctx) => decl.handler(ctx, checked.values, event.state) };
    }

    // Slash commands, and DMs read as if typed after the root command (or as a full slash command).
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
      if (isDay2Error(e) && e.code === 'invalid_input') return invalid(family.name, e.message, { usage, hint: e instanceof ArgError ? e.hint : undefined });
      throw e;
    }
  }

  async function callerOf(event: InboundEvent, log: Logger): Promise<Caller> {
    const directory = services.directory();
    let groups: string[] = [];
    if (deps.groupsOf && directory.usesGroups) {
      try {
        groups = await deps.groupsOf(event.user);
      } catch (err) {
        // Fail closed: without the groups, only direct grants count.
        log.warn({ err }, 'group lookup failed; using direct role grants only');
      }
    }
    return { user: event.user, person: directory.personOf(event.user), roles: directory.rolesOf(event.user, groups), zone: directory.zoneOf(event.user) };
  }

  function contextFor(event: InboundEvent, caller: Caller, log: Logger): CommandContext {
    return {
      event,
      caller,
      services,
      now: clock,
      log,
      render,
      reply: (template, data = {}) => ({ reply: render(template, data) }),
      update: (template, data = {}) => ({ updateMessage: render(template, data) }),
      ok: (text) => ({ reply: render('system/ok', { text }) }),
      openForm: (form: FormSpec) => services.openForm(event, form),
      may: (role) => allows(role, caller.roles),
      catalog: registry,
    };
  }

  /** Authorize, run and audit a planned action. `commit` says whether the event counts as handled. */
  async function handle(event: InboundEvent, p: Plan, log: Logger): Promise<Stop & { commit: boolean }> {
    const runLog = log.child({ family: p.family.name, [p.kind]: p.action });

    const caller = await callerOf(event, runLog);
    if (!allows(p.role, caller.roles)) {
      runLog.info({ user: event.user, required: p.role }, 'refused: missing role');
      return { outcome: 'forbidden', family: p.family.name, commit: false, result: { reply: render('errors/forbidden', { message: `You need the ${roleLabel(p.role)} role for this.`, role: roleLabel(p.role) }) } };
    }

    let result: CommandResult;
    try {
      result = await p.run(contextFor(event, caller, runLog));
    } catch (e) {
      // Handlers may refuse with the same coded errors the framework uses.
      if (isDay2Error(e) && e.code === 'invalid_input') return { ...invalid(p.family.name, e.message, { usage: p.usage, hint: e instanceof ArgError ? e.hint : undefined }), commit: false };
      if (isDay2Error(e) && e.code === 'forbidden') return { outcome: 'forbidden', family: p.family.name, commit: false, result: { reply: render('errors/forbidden', { message: e.message, role: roleLabel(p.role) }) } };
      return { ...internal(runLog, p.family.name, e, 'handler failed'), commit: false };
    }

    const { changed, ...answer } = result ?? {};
    if (answer.formErrors && Object.keys(answer.formErrors).length > 0) return { outcome: 'invalid', family: p.family.name, result: answer, commit: false };
    if (p.mutates && changed !== false) {
      try {
        await services.audit.append({
          at: clock().toISOString(),
          eventId: event.eventId,
          platform: event.platform,
          userId: event.user.id,
          userName: event.user.name,
          person: caller.person?.id,
          channelId: event.channel.id || undefined,
          kind: p.kind,
          family: p.family.name,
          action: p.action,
          args: p.args,
        });
      } catch (err) {
        // The change happened; failing the reply now would invite a retry that repeats it.
        runLog.error({ err, reference: reference() }, 'audit append failed after a successful change');
      }
    }
    return { outcome: 'ok', family: p.family.name, result: answer, commit: true };
  }

  return async function dispatch(event: InboundEvent): Promise<DispatchResult> {
    const log = deps.log.child({ eventId: event.eventId, platform: event.platform, eventKind: event.kind });
    const key = `${event.platform}:${event.eventId}`;

    let planned: Plan | Stop;
    try {
      planned = plan(event);
    } catch (e) {
      planned = internal(log, 'unknown', e, 'dispatch failed');
    }
    // The run-once guard costs a Redis round trip on the acknowledgement path, so it is taken only
    // where a second run could do harm: a state change, or a DM, whose answer is a separate post.
    // A read-only command, click or form answers inside its own request: a redelivery just gets
    // its own answer.
    if (!('run' in planned) && event.kind !== 'dm') {
      if (!planned.quiet) count(planned.family, planned.outcome);
      return planned.result;
    }
    if ('run' in planned && !planned.mutates && event.kind !== 'dm') {
      const outcome = await handle(event, planned, log).catch((e: unknown) => internal(log, planned.family.name, e, 'dispatch failed'));
      count(outcome.family, outcome.outcome);
      return outcome.result;
    }

    let claim;
    try {
      claim = await dedupe.begin(key);
    } catch (e) {
      // Without the run-once guard we cannot promise not to run twice: refuse rather than guess.
      const stop = internal(log, 'unknown', e, 'dedupe unavailable');
      count(stop.family, stop.outcome);
      return stop.result;
    }
    const family = 'run' in planned ? planned.family.name : planned.family;
    if (claim.state !== 'new') {
      log.info({ state: claim.state, retryNum: event.retryNum }, 'duplicate delivery; not running again');
      count(family, 'duplicate');
      return claim.state === 'done' ? claim.result : {};
    }

    let outcome: Stop & { commit: boolean };
    if (!('run' in planned)) {
      // A DM with bad input: answered once; a retry after a failed answer may answer again.
      outcome = { ...planned, commit: true };
    } else {
      try {
        outcome = await handle(event, planned, log);
      } catch (e) {
        outcome = { ...internal(log, family, e, 'dispatch failed'), commit: false };
      }
    }
    const markerFailed = (err: unknown) => log.warn({ err }, 'could not update the run-once marker');
    if (outcome.commit) {
      // Not awaited: the answer is on every command's acknowledgement path, and the run-once
      // claim already holds. The command is sent now, so a redelivery read on this connection
      // sees "done"; should the write fail, the "running" marker expires on its own.
      dedupe.finish(key, outcome.result).catch(markerFailed);
    } else {
      // Awaited: a retry must find the marker gone, or it would be refused as a duplicate.
      await dedupe.release(key, claim.token).catch(markerFailed);
    }
    count(outcome.family, outcome.outcome);
    return outcome.result;
  };
}
