/**
 * The zone a queued message is shown in, where the platform cannot show each reader their own
 * (Mattermost, console, Slack's fallback text): a DM in its person's zone, a channel post in the
 * zone of the channel's audience (its environment, else its team's rotation). Decided when the
 * message is queued, for every family at once; a message that names its zone keeps it.
 */
import type { Config } from '../config.js';
import type { DeliveryRequest, DeliveryTarget } from '../delivery/job.js';
import type { DeliveryService } from '../delivery/service.js';

type Lookup = (target: DeliveryTarget) => string | undefined;

/** Channel and person zones as the config declares them (rebuilt when the config changes). */
export function zoneLookup(config: Config): Lookup {
  const channels = new Map<string, string>();
  const setChannel = (platform: string, id: string, zone: string | undefined) => {
    if (zone && !channels.has(`${platform}:${id}`)) channels.set(`${platform}:${id}`, zone);
  };
  const envZone = new Map(config.environments.map((e) => [e.id, e.timezone ?? config.timezone]));
  for (const e of config.environments) {
    for (const c of e.channels.slack) setChannel('slack', c, envZone.get(e.id));
    for (const c of e.channels.mattermost) setChannel('mattermost', c, envZone.get(e.id));
  }
  for (const s of config.notices.subscriptions) setChannel(s.platform, s.channel, envZone.get(s.env));
  // A team's channels read its on-call schedule, so its rotation's zone is the audience's zone.
  for (const r of config.rotations) {
    const team = config.teams.find((t) => t.id === r.team);
    for (const c of [...(team?.channels?.slack ?? []), ...(team?.supportChannels?.slack ?? [])]) setChannel('slack', c, r.timezone);
    for (const c of [...(team?.channels?.mattermost ?? []), ...(team?.supportChannels?.mattermost ?? [])]) setChannel('mattermost', c, r.timezone);
  }
  const people = new Map<string, string>();
  for (const p of config.people) {
    if (!p.timezone) continue;
    people.set(`console:${p.id}`, p.timezone);
    if (p.slack) people.set(`slack:${p.slack}`, p.timezone);
  }
  // Mattermost DMs are addressed by user id, which the config does not hold: the adapter looks
  // up the person's profile zone instead.
  return (target) => ('channelId' in target ? channels.get(`${target.platform}:${target.channelId}`) : people.get(`${target.platform}:${target.userId}`));
}

/** `deliveries` whose enqueue gives each message without a zone its reader's (see above). */
export function withReaderZones(deliveries: DeliveryService, config: () => Config): DeliveryService {
  let built: { from: Config; lookup: Lookup } | undefined;
  const lookup = (): Lookup => {
    const current = config();
    if (built?.from !== current) built = { from: current, lookup: zoneLookup(current) };
    return built.lookup;
  };
  const zoned = (r: DeliveryRequest): DeliveryRequest => {
    if (r.message.zone) return r;
    const zone = lookup()(r.target);
    return zone ? { ...r, message: { ...r.message, zone } } : r;
  };
  return { ...deliveries, enqueue: (requests: DeliveryRequest[]) => deliveries.enqueue(requests.map(zoned)) };
}
