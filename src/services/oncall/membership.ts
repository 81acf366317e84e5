/**
 * Who belongs to a team right now. By the config, a team's members and managers; while a tour of
 * duty runs, the guest is a member of the host team too (README, Tours of duty). Every check that
 * lets someone act for a team (covers, swaps, support requests, the calendar address) and every
 * default that works out "your teams" asks here, so a guest is treated alike everywhere.
 */
import type { Team } from '../../config.js';
import type { TourService } from '../tour/service.js';

type Tours = Pick<TourService, 'current'> | undefined;

/** A member of the team by the config (members and managers). */
export const isMemberOf = (team: Team, person: string): boolean => team.members.includes(person) || team.managers.includes(person);

/** The teams hosting `person` on a tour running at `at` (begun, not over). */
async function hostsAt(tours: Tours, person: string, at: Date): Promise<Set<string>> {
  const running = (await tours?.current(at)) ?? [];
  return new Set(running.filter((t) => t.person === person && Date.parse(t.from) <= at.getTime()).map((t) => t.host));
}

/** A member by the config, or a guest of the team on a tour of duty running at `at`. */
export async function memberNow(tours: Tours, team: Team, person: string, at: Date): Promise<boolean> {
  return isMemberOf(team, person) || (await hostsAt(tours, person, at)).has(team.id);
}

/** The teams among `teams` that `person` belongs to at `at`, in their order. */
export async function teamsNow(tours: Tours, teams: readonly Team[], person: string, at: Date): Promise<Team[]> {
  const hosts = await hostsAt(tours, person, at);
  return teams.filter((t) => isMemberOf(t, person) || hosts.has(t.id));
}
