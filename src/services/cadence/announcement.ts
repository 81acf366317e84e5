/**
 * An occurrence's announcement: which template renders it and the data it is rendered with
 * (RSVP counts overall and per invited role, the agenda, and the button value).
 */
import type { Cadence, OccurrenceState, RsvpChoice } from '../../domain/cadence/model.js';

export function announcementTemplate(c: Cadence): string {
  return c.template ?? `cadence/${c.kind}`;
}

/** `invitees`: the people holding the given roles, by person id (asked only when the cadence invites roles). */
export function announcementData(c: Cadence, s: OccurrenceState, invitees: (roles: readonly string[]) => string[]) {
  const votes = Object.values(s.rsvp);
  const count = (choice: RsvpChoice) => votes.filter((v) => v.choice === choice).length;
  const byRole = c.invite.map((role) => ({
    role,
    going: votes.filter((v) => v.choice === 'going' && v.roles.includes(role)).length,
    invited: true,
  }));
  return {
    cadence: { name: c.name, title: c.title ?? c.name, kind: c.kind },
    at: new Date(s.at),
    late: s.late,
    agenda: s.agenda.map((a) => a.text),
    going: count('going'),
    notGoing: count('not-going'),
    maybe: count('maybe'),
    goingNames: votes.filter((v) => v.choice === 'going').map((v) => v.name),
    rsvp: c.kind !== 'announcement',
    roles: byRole,
    /** Mention references of the people holding the invited roles (exercises). */
    invitees: c.invite.length > 0 ? invitees(c.invite).map((id) => `person:${id}`) : [],
    value: `${c.name}~${s.occurrence}`,
  };
}
