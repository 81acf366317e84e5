/**
 * Where on-call messages go: a team's channels and a person's DM addresses, on the platforms this
 * bot is connected to. Shared by support routing and tours of duty.
 */
import type { Platform } from '../../chat/port.js';
import type { DeliveryTarget } from '../../delivery/service.js';
import type { OncallService } from './service.js';
import { channelCount, channelTargets, type PlatformChannels } from '../../domain/channels.js';

export interface OncallTargets {
  /** The team's configured channels on every connected platform. */
  team(teamId: string): DeliveryTarget[];
  /** Where the team's support requests go: its support channels if it names any, else its channels. */
  support(teamId: string): DeliveryTarget[];
  /** The person's DM addresses on every connected platform. */
  person(personId: string): Promise<DeliveryTarget[]>;
}

export function oncallTargets(oncall: OncallService, platforms: () => ReadonlySet<Platform>): OncallTargets {
  const targetsIn = (channels: PlatformChannels | undefined): DeliveryTarget[] => channelTargets(channels, platforms());
  return {
    team: (teamId) => targetsIn(oncall.team(teamId)?.channels),
    support(teamId) {
      const team = oncall.team(teamId);
      const own = team?.supportChannels;
      return channelCount(own) > 0 ? targetsIn(own) : targetsIn(team?.channels);
    },
    async person(personId) {
      const on = platforms();
      return (await oncall.addressesOf(personId)).filter((t) => on.has(t.platform));
    },
  };
}
