/**
 * What people do with a page: Acknowledge (stops escalation; may silence the group in its
 * Alertmanager), Resolve (kept even if the alerts still fire: their next change opens a new,
 * linked page), Escalate (the next step now) and Snooze (quiet for a while, then pages again).
 * Who may press: the team's members and managers, whoever holds one of its layers, and admins.
 */
import { mayAnswerPage } from '../../domain/alert/escalation.js';
import { dated, ForbiddenError, InputError, type TextPart } from '../../errors.js';
import type { AlertPage } from '../../store/alert/pages.js';
import { commonLabels } from './silences.js';
import { layerHolders, type Paging } from './paging.js';
import { ESCALATE_TIMER, type PagingDeps } from './types.js';

export interface Responder {
  person: string | undefined;
  isAdmin: boolean;
}

export type PageAction = 'ack' | 'resolve' | 'escalate' | 'snooze';

/** Who answered when an admin without a person in the config did. */
const ADMIN = 'an admin';

/** Throws unless `who` may press the page's buttons. */
export async function checkMayAnswer(deps: Pick<PagingDeps, 'oncall'>, page: AlertPage, who: Responder, now: Date): Promise<void> {
  const team = deps.oncall.team(page.team);
  const ok = mayAnswerPage(who.person, { members: team?.members ?? [], managers: team?.managers ?? [], layerHolders: await layerHolders(deps, page.team, now), isAdmin: who.isAdmin });
  if (!ok) throw new ForbiddenError(`Only members of ${team?.name ?? page.team}, its managers, whoever is on duty in its layers, and admins can answer its pages.`);
}

/** "Page N is already acknowledged by <name>", the name as the platform shows the person. */
const ackedAlready = (p: AlertPage): TextPart[] => dated`Page ${p.id} is already acknowledged by ${p.ackedBy && p.ackedBy !== ADMIN ? { mention: `person:${p.ackedBy}` } : 'an admin'}.`;

export function createResponses(deps: PagingDeps, paging: Paging, escalate: (p: AlertPage, by: string | undefined, now: Date) => Promise<AlertPage | undefined>) {
  const allowed = (page: AlertPage, who: Responder, now: Date) => checkMayAnswer(deps, page, who, now);

  /** Silence the group in its Alertmanager for `minutes`; a failure is logged, the page still changes. */
  const silence = async (page: AlertPage, minutes: number, why: string, now: Date): Promise<string[]> => {
    const url = deps.config().integrations.find((i) => i.id === page.integrationId)?.silences?.url;
    if (!url) return [];
    try {
      const matchers = commonLabels(await deps.groups.alerts(page.groupId));
      return [await deps.silencer.create({ url, matchers, startsAt: now, endsAt: new Date(now.getTime() + minutes * 60_000), comment: `${why} (Day2 page ${page.id})` })];
    } catch (err) {
      deps.log.warn({ err, page: page.id }, 'could not create the silence');
      return [];
    }
  };

  /**
   * Applies `change` to the page as stored, unless `refused` finds it answered already: two
   * people pressing at once get one acknowledgement (one silence), not two.
   */
  const claim = async (id: string, refused: (p: AlertPage) => string | TextPart[] | undefined, change: (p: AlertPage) => AlertPage) => {
    let why: string | TextPart[] | undefined;
    const updated = await deps.pages.update(id, (p) => {
      why = refused(p);
      return why ? p : change(p);
    });
    if (why) throw new InputError(why);
    return updated;
  };
  const answered = (p: AlertPage) => (p.resolvedAt ? `Page ${p.id} is already resolved.` : p.ackedAt ? ackedAlready(p) : undefined);
  /** The silences made after the claim, recorded on the page (they are lifted when it resolves). */
  const withSilences = async (id: string, ids: string[]) => deps.pages.update(id, (p) => (ids.length === 0 ? p : { ...p, silenceIds: [...p.silenceIds, ...ids], revision: p.revision + 1 }));

  const ack = async (page: AlertPage, person: string, now: Date) => {
    await claim(page.id, answered, (p) => ({ ...p, ackedAt: now.toISOString(), ackedBy: person, revision: p.revision + 1 }));
    await deps.scheduler.cancel(ESCALATE_TIMER, page.id);
    deps.metrics.timeToAck.observe({ team: page.team }, Math.max(0, (now.getTime() - Date.parse(page.createdAt)) / 1000));
    const s = deps.config().integrations.find((i) => i.id === page.integrationId)?.silences;
    return withSilences(page.id, s?.onAck ? await silence(page, s.ackMinutes, `Acknowledged by ${person}`, now) : []);
  };

  const snooze = async (page: AlertPage, person: string, now: Date) => {
    const minutes = deps.config().snoozeMinutes;
    const until = new Date(now.getTime() + minutes * 60_000);
    const claimed = await claim(page.id, answered, (p) => ({ ...p, snoozedUntil: until.toISOString(), revision: p.revision + 1 }));
    await deps.scheduler.at(ESCALATE_TIMER, page.id, until, { id: page.id, steps: claimed.value.steps.length });
    const s = deps.config().integrations.find((i) => i.id === page.integrationId)?.silences;
    return withSilences(page.id, s?.onSnooze ? await silence(page, minutes, `Snoozed by ${person}`, now) : []);
  };

  const resolve = async (page: AlertPage, person: string, now: Date) => {
    await deps.groups.closeByHand(page.groupId);
    const updated = await claim(page.id, (p) => (p.resolvedAt ? `Page ${p.id} is already resolved.` : undefined), (p) => ({ ...p, resolvedAt: now.toISOString(), resolvedBy: person, revision: p.revision + 1 }));
    await paging.closed(updated.value);
    return updated;
  };

  /** Runs `action` on page `id` for `who`; resolves the page after it. */
  return async function respond(id: string, action: PageAction, who: Responder, now: Date): Promise<AlertPage> {
    const page = (await deps.pages.get(id))?.value;
    if (!page) throw new InputError(`Page ${id} no longer exists (pages are kept 30 days).`);
    await allowed(page, who, now);
    if (page.resolvedAt) throw new InputError(`Page ${id} is already resolved.`);
    const person = who.person ?? ADMIN;
    if (action === 'escalate') {
      const done = await escalate(page, who.person, now);
      if (done) return done;
      // No step taken: either nobody is left, or another step or answer landed first.
      const current = (await deps.pages.get(id))?.value;
      if (current && (current.revision !== page.revision || current.resolvedAt)) throw new InputError(`Page ${id} changed a moment ago (someone else escalated, acknowledged or resolved it): look at the page again before escalating.`);
      throw new InputError(`Page ${id} has reached everyone it can: nobody else is on duty and the team has no other managers.`);
    }
    // Acknowledge and Snooze refuse an acknowledged page inside their update (claim), on the page as stored.
    const updated = action === 'ack' ? await ack(page, person, now) : action === 'snooze' ? await snooze(page, person, now) : await resolve(page, person, now);
    await paging.publish(updated.value);
    return updated.value;
  };
}

export type Respond = ReturnType<typeof createResponses>;
