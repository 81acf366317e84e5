/**
 * Where on-call messages go: a team's channels and a person's DM addresses, on the platforms this
 * bot is connected to. Shared by support routing and tours of duty.
 */
import type { Platform } from '../chat/port.js';
import type { DeliveryTarget } from './delivery.js';
import type { OncallService } from './oncall-service.js';

export interface OncallTargets {
  /** The team's configured channels on every connected platform. */
  team(teamId: string): DeliveryTarget[];
  /** The person's DM addresses on every connected platform. */
  person(personId: string): Promise<DeliveryTarget[]>;
}

export function oncallTargets(oncall: OncallService, platforms: () => ReadonlySet<Platform>): OncallTargets {
  return {
    team(teamId) {
      const team = oncall.team(teamId);
      const on = platforms();
      return [
        ...(on.has('slack') ? (team?.channels?.slack ?? []).map((channelId) => ({ platform: 'slack' as const, channelId })) : []),
        ...(on.has('mattermost') ? (team?.channels?.mattermost ?? []).map((channelId) => ({ platform: 'mattermost' as const, channelId })) : []),
      ];
    },
    async person(personId) {
      const on = platforms();
      return (await oncall.addressesOf(personId)).filter((t) => on.has(t.platform));
    },
  };
}
