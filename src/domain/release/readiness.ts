/**
 * Readiness: the checklist and the sign-offs, who may do which, and what is still missing. A
 * release is *confirmed* only when every item is ticked, every required role has signed and no
 * conflict stands; anything that undoes one of those (a reschedule) takes it back to proposed.
 */
import { dated, plainText, type TextPart } from '../../errors.js';
import type { Role } from '../roles.js';
import type { ReleaseActor } from './config.js';
import type { Release } from './release.js';

export interface ChecklistItem {
  id: string;
  label: string;
  roles: ReleaseActor[];
}

export interface Who {
  /** `person:<id>` or a platform ref. */
  ref: string;
  personId?: string;
  roles: ReadonlySet<Role>;
}

export interface Scope {
  /** Person ids owning the app. */
  owners: readonly string[];
  /** Person ids of the environment's PREs. */
  pres: readonly string[];
}

/** What `who` counts as for this release: their Day2 roles plus owner / PRE of this environment. */
export function actorsOf(who: Who, scope: Scope): Set<ReleaseActor> {
  const out = new Set<ReleaseActor>();
  for (const r of ['rele', 'admin', 'manager', 'obe'] as const) if (who.roles.has(r)) out.add(r);
  if (who.personId && scope.owners.includes(who.personId)) out.add('owner');
  if (who.personId && scope.pres.includes(who.personId)) out.add('pre');
  return out;
}

export class ReadinessError extends Error {
  /** The message with its people and instants kept apart, for the reader's names and zone. */
  readonly parts?: readonly TextPart[];
  constructor(
    readonly kind: 'forbidden' | 'invalid',
    message: string | readonly TextPart[],
  ) {
    super(typeof message === 'string' ? message : plainText(message));
    this.name = 'ReadinessError';
    if (typeof message !== 'string') this.parts = message;
  }
}

export const ACTOR_LABELS: Record<ReleaseActor, string> = {
  rele: 'RelE',
  owner: 'app owner',
  pre: 'PRE of the environment',
  admin: 'admin',
  manager: 'manager',
  obe: 'ObE',
};

const labels = (roles: readonly ReleaseActor[]) => roles.map((r) => ACTOR_LABELS[r]).join(' or ');
/** "a RelE, an app owner or a PRE of the environment": who may do something, each with its article. */
const anyOf = (roles: readonly ReleaseActor[]) => {
  const each = roles.map((r) => `${/^[aeiouAEIOU]/.test(ACTOR_LABELS[r]) ? 'an' : 'a'} ${ACTOR_LABELS[r]}`);
  return each.length > 1 ? `${each.slice(0, -1).join(', ')} or ${each.at(-1)}` : (each[0] ?? '');
};

function assertOpen(r: Release): void {
  if (r.status === 'cancelled') throw new ReadinessError('invalid', `${r.id} is cancelled.`);
  if (r.status === 'done') throw new ReadinessError('invalid', `${r.id} already has an outcome.`);
}

/** Tick `itemId`; throws ReadinessError (unknown item, not allowed, already ticked). */
export function tick(r: Release, checklist: readonly ChecklistItem[], itemId: string, who: Who, scope: Scope, at: Date): Release {
  assertOpen(r);
  const item = checklist.find((i) => i.id === itemId);
  if (!item) throw new ReadinessError('invalid', `"${itemId}" is not on the checklist; items: ${checklist.map((i) => i.id).join(', ')}.`);
  const actors = actorsOf(who, scope);
  if (!item.roles.some((role) => actors.has(role))) throw new ReadinessError('forbidden', `Only ${anyOf(item.roles)} may tick "${item.label}".`);
  const done = r.checks[item.id];
  if (done) throw new ReadinessError('invalid', dated`"${item.label}" was already ticked by ${{ mention: done.by }}, ${new Date(done.at)}.`);
  return { ...r, checks: { ...r.checks, [item.id]: { by: who.ref, at: at.toISOString() } } };
}

/**
 * Sign as `as` (or as the first still-missing required role the caller holds). One signature per
 * role, and one role per person: a sign-off is a second pair of eyes, so nobody signs twice.
 */
export function signOff(r: Release, required: readonly ReleaseActor[], who: Who, scope: Scope, at: Date, as?: ReleaseActor): { release: Release; role: ReleaseActor } {
  assertOpen(r);
  const mine = Object.entries(r.signoffs).find(([, s]) => s.by === who.ref);
  if (mine) throw new ReadinessError('invalid', `You already signed ${r.id} as ${ACTOR_LABELS[mine[0] as ReleaseActor] ?? mine[0]}; each sign-off needs a different person.`);
  const actors = actorsOf(who, scope);
  let role = as;
  if (role === undefined) {
    role = required.find((x) => !r.signoffs[x] && actors.has(x));
    if (!role) {
      const open = required.filter((x) => !r.signoffs[x]);
      throw new ReadinessError(open.length ? 'forbidden' : 'invalid', open.length ? `The sign-offs still missing need ${anyOf(open)}; you are not one for ${r.id}.` : `${r.id} has every sign-off already.`);
    }
  }
  if (!required.includes(role)) throw new ReadinessError('invalid', `${ACTOR_LABELS[role]} is not a required sign-off; required: ${labels(required).replaceAll(' or ', ', ')}.`);
  if (!actors.has(role)) throw new ReadinessError('forbidden', `You cannot sign as ${ACTOR_LABELS[role]} for ${r.id}.`);
  const prior = r.signoffs[role];
  if (prior) throw new ReadinessError('invalid', dated`${r.id} was already signed as ${ACTOR_LABELS[role]} by ${{ mention: prior.by }}.`);
  return { release: { ...r, signoffs: { ...r.signoffs, [role]: { by: who.ref, at: at.toISOString() } } }, role };
}

export interface Missing {
  items: ChecklistItem[];
  signoffs: ReleaseActor[];
}

export function missing(r: Release, checklist: readonly ChecklistItem[], required: readonly ReleaseActor[]): Missing {
  return { items: checklist.filter((i) => !r.checks[i.id]), signoffs: required.filter((x) => !r.signoffs[x]) };
}

/**
 * The status the release should have now: confirmed when complete and free of conflicts, back to
 * proposed otherwise. Records the change in the history.
 */
export function settle(r: Release, complete: boolean, conflictFree: boolean, by: string, at: Date): Release {
  if (r.status !== 'proposed' && r.status !== 'confirmed') return r;
  const should = complete && conflictFree ? 'confirmed' : 'proposed';
  if (should === r.status) return r;
  const entry = { at: at.toISOString(), by, action: should === 'confirmed' ? ('confirmed' as const) : ('unconfirmed' as const) };
  const next: Release = { ...r, status: should, history: [...r.history, entry] };
  if (should === 'confirmed' && !r.confirmedAt) next.confirmedAt = at.toISOString();
  return next;
}
