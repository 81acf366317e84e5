/**
 * Steps two to four of dispatch, for a planned action: who the caller is and which roles they
 * hold, the role check, the handler's run with its context, and the audit entry of a change.
 */
import type { FormSpec, OutboundMessage } from '../chat/message.js';
import type { InboundEvent, UserRef } from '../chat/port.js';
import { isDay2Error, shownMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { confirmWrites, isRedisUnavailable } from '../store/redis.js';
import { allows, roleKeys, roleLabel } from './authorize.js';
import { ArgError } from './bind.js';
import { reference, type Plan, type Render, type Stop, type Stops } from './plan.js';
import type { Registry } from './registry.js';
import type { Services } from './services.js';
import type { Caller, CommandContext, CommandResult } from './types.js';
import { withTypedTimeNotes } from './typed-time-notes.js';

export interface RunnerDeps {
  services: Services;
  registry: Registry;
  render: Render;
  stops: Stops;
  clock: () => Date;
  groupsOf?: (user: UserRef) => Promise<string[]>;
  /** The zone in a user's platform profile (see ChatAdapter.getUser), for people the config gives none. */
  profileZoneOf?: (user: UserRef) => Promise<string | undefined>;
}

export type Handled = Stop & { commit: boolean };

async function callerOf(deps: RunnerDeps, event: InboundEvent, log: Logger): Promise<Caller> {
  const directory = deps.services.directory();
  let groups: string[] = [];
  if (deps.groupsOf && directory.usesGroups) {
    try {
      groups = await deps.groupsOf(event.user);
    } catch (err) {
      // Fail closed: without the groups, only direct grants count.
      log.warn({ err }, 'group lookup failed; using direct role grants only');
    }
  }
  const person = directory.personOf(event.user);
  return { user: event.user, person, roles: directory.rolesOf(event.user, groups), zone: person?.timezone ?? (await profileZone(deps, event.user, log)) ?? directory.zoneOf(event.user) };
}

/** The caller's zone from their platform profile; a failed lookup falls back to the default zone. */
async function profileZone(deps: RunnerDeps, user: UserRef, log: Logger): Promise<string | undefined> {
  if (!deps.profileZoneOf) return undefined;
  try {
    return await deps.profileZoneOf(user);
  } catch (err) {
    log.debug({ err }, 'profile zone lookup failed; using the default zone');
    return undefined;
  }
}

/** An answer to the caller: its dates are shown in the caller's zone. */
const forCaller = (caller: Caller, message: OutboundMessage): OutboundMessage => ({ ...message, zone: caller.zone });

function contextFor(deps: RunnerDeps, event: InboundEvent, caller: Caller, log: Logger): CommandContext {
  const { services, registry, render, clock } = deps;
  return {
    event,
    caller,
    services,
    now: clock,
    log,
    render,
    reply: (template, data = {}) => ({ reply: forCaller(caller, render(template, data)) }),
    // An update replaces a message others may read too (a channel post): not the caller's zone.
    update: (template, data = {}) => ({ updateMessage: render(template, data) }),
    ok: (text) => ({ reply: forCaller(caller, render('system/ok', { text })) }),
    info: (text) => ({ reply: forCaller(caller, render('system/info', { text })) }),
    openForm: (form: FormSpec) => services.openForm(event, form),
    may: (role) => allows(role, caller.roles),
    catalog: registry,
  };
}

/** The answer for a handler that threw. */
function handlerFailed(deps: RunnerDeps, p: Plan, e: unknown, log: Logger): Handled {
  const { invalid, internal } = deps.stops;
  // Handlers may refuse with the same coded errors the framework uses.
  if (isDay2Error(e) && e.code === 'invalid_input') return { ...invalid(p.family.name, shownMessage(e), { usage: p.usage, hint: e instanceof ArgError ? e.hint : undefined }), commit: false };
  if (isDay2Error(e) && e.code === 'forbidden') return { outcome: 'forbidden', family: p.family.name, commit: false, result: { reply: deps.render('errors/forbidden', { message: e.message }) } };
  // Redis failing over past the client's bounded retry: nothing is wrong with the request, and
  // it did not complete, so say "try again" rather than hand out an error reference.
  if (isRedisUnavailable(e)) {
    log.warn({ error: (e as Error).message }, 'handler failed: Redis is reconnecting');
    return { outcome: 'error', family: p.family.name, commit: false, result: { reply: deps.render('errors/reconnecting', {}) } };
  }
  return { ...internal(log, p.family.name, e, 'handler failed'), commit: false };
}

/** Record a successful change; a failure is logged, not raised. */
async function audit(deps: RunnerDeps, event: InboundEvent, caller: Caller, p: Plan, log: Logger): Promise<void> {
  try {
    await deps.services.audit.append({
      at: deps.clock().toISOString(),
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
    log.error({ err, reference: reference() }, 'audit append failed after a successful change');
  }
}

/** `handle(event, plan, log)`: authorize, run and audit; `commit` says whether the event counts as handled. */
export function createRunner(deps: RunnerDeps) {
  const { render } = deps;

  /** Authorize, run and audit a planned action. `commit` says whether the event counts as handled. */
  async function handle(event: InboundEvent, p: Plan, log: Logger): Promise<Handled> {
    const runLog = log.child({ family: p.family.name, [p.kind]: p.action });

    const caller = await callerOf(deps, event, runLog);
    if (!allows(p.role, caller.roles)) {
      runLog.info({ user: event.user, required: p.role }, 'refused: missing role');
      return { outcome: 'forbidden', family: p.family.name, commit: false, result: { reply: forCaller(caller, render('errors/forbidden', { role: roleLabel(p.role), keys: roleKeys(p.role) })) } };
    }

    let result: CommandResult;
    try {
      result = await p.run(contextFor(deps, event, caller, runLog));
      // A change is "done" only once replicated, so a failover cannot take it back (redis-durability.ts).
      if (p.mutates) await confirmWrites(deps.services.redis);
    } catch (e) {
      const failed = handlerFailed(deps, p, e, runLog);
      return failed.result.reply ? { ...failed, result: { ...failed.result, reply: forCaller(caller, failed.result.reply) } } : failed;
    }

    const { changed, ...answer } = result ?? {};
    // A typed time the clock skips or repeats that day: the answer says which instant was used.
    if (p.kind === 'command' && answer.reply) answer.reply = withTypedTimeNotes(answer.reply, p.args, caller.zone, deps.clock(), render);
    if (answer.formErrors && Object.keys(answer.formErrors).length > 0) return { outcome: 'invalid', family: p.family.name, result: answer, commit: false };
    if (p.mutates && changed !== false) await audit(deps, event, caller, p, runLog);
    return { outcome: 'ok', family: p.family.name, result: answer, commit: true };
  }

  return { handle };
}
