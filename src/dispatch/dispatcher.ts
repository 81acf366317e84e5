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
import type { Dispatch, DispatchResult, InboundEvent, UserRef } from '../chat/port.js';
import type { Metrics } from '../metrics.js';
import type { Logger } from '../log.js';
import { createDedupe, type Dedupe } from '../store/dedupe.js';
import { planEvent, stopsFor, type Outcome, type Plan, type Stop } from './plan.js';
import { Registry } from './registry.js';
import { createRunner, type Handled } from './run.js';
import type { Services } from './services.js';
import type { FamilyDecl } from './types.js';

export interface DispatcherDeps {
  families: readonly FamilyDecl[];
  services: Services;
  metrics: Metrics;
  log: Logger;
  /** Group principals of a user (see ChatAdapter.groupsOf); asked only when the config grants roles to groups. */
  groupsOf?: (user: UserRef) => Promise<string[]>;
  /** Zone from a user's platform profile, for callers the config gives none (see src/boot/profile-zones.ts). */
  profileZoneOf?: (user: UserRef) => Promise<string | undefined>;
  /** Defaults to the system clock. */
  clock?: () => Date;
  /** Root slash command; default `/day2`. */
  root?: string;
  /** Run-once guard; defaults to one on `services.redis`. */
  dedupe?: Dedupe;
}

/** Builds the dispatcher; throws FamilyLoadError when a family is malformed (fail closed at boot). */
export function createDispatcher(deps: DispatcherDeps): Dispatch {
  const registry = new Registry(deps.families, { root: deps.root });
  const dedupe = deps.dedupe ?? createDedupe(deps.services.redis);
  const clock = deps.clock ?? (() => new Date());
  const { services, metrics } = deps;
  const render = (name: string, data: Record<string, unknown>) => services.renderer.render(name, data);
  const count = (family: string, outcome: Outcome) => metrics.commands.inc({ family, outcome });
  const stops = stopsFor(render);
  const { internal } = stops;
  const { handle } = createRunner({ services, registry, render, stops, clock, ...(deps.groupsOf ? { groupsOf: deps.groupsOf } : {}), ...(deps.profileZoneOf ? { profileZoneOf: deps.profileZoneOf } : {}) });
  const plan = (event: InboundEvent): Plan | Stop => planEvent(registry, render, stops, event);

  return async function dispatch(event: InboundEvent): Promise<DispatchResult> {
    const log = deps.log.child({ eventId: event.eventId, platform: event.platform, eventKind: event.kind });
    const key = `${event.platform}:${event.eventId}`;
    const tagged = tagFor(event);

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
      return tagged(planned.result, planned.outcome);
    }
    if ('run' in planned && !planned.mutates && event.kind !== 'dm') {
      const outcome = await handle(event, planned, log).catch((e: unknown) => internal(log, planned.family.name, e, 'dispatch failed'));
      count(outcome.family, outcome.outcome);
      return tagged(outcome.result, outcome.outcome);
    }

    let claim;
    try {
      claim = await dedupe.begin(key);
    } catch (e) {
      // Without the run-once guard we cannot promise not to run twice: refuse rather than guess.
      const stop = internal(log, 'unknown', e, 'dedupe unavailable');
      count(stop.family, stop.outcome);
      return tagged(stop.result, stop.outcome);
    }
    const family = 'run' in planned ? planned.family.name : planned.family;
    if (claim.state !== 'new') {
      log.info({ state: claim.state, retryNum: event.retryNum }, 'duplicate delivery; not running again');
      count(family, 'duplicate');
      return tagged(claim.state === 'done' ? claim.result : {}, 'duplicate');
    }

    let outcome: Handled;
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
    return tagged(outcome.result, outcome.outcome);
  };
}

/**
 * The answer; for the console, also how the dispatch ended (DispatchResult.outcome), which a
 * script's summary counts. Platform answers keep their wire shape.
 */
function tagFor(event: InboundEvent): (result: DispatchResult, outcome: Outcome) => DispatchResult {
  return event.platform === 'console' ? (result, outcome) => ({ ...result, outcome }) : (result) => result;
}
