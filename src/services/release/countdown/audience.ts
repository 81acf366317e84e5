/**
 * Who hears about a release and what they see: the release as templates show it, the release
 * channels of its environment, DMs to the people involved, and `send`, which renders a message
 * and queues it to them under one delivery key.
 */
import { releaseView } from '../../../domain/release/view.js';
import type { Release } from '../../../domain/release/release.js';
import type { DeliveryTarget } from '../../../delivery/service.js';
import type { CountdownDeps } from './types.js';
import { channelTargets as targetsOf } from '../../../domain/channels.js';

export type CountdownAudience = ReturnType<typeof countdownAudience>;

export function countdownAudience(deps: CountdownDeps) {
  const view = (r: Release) => {
    const cfg = deps.config();
    const env = cfg.environments.find((e) => e.id === r.env);
    const app = cfg.releases.apps.find((a) => a.id === r.app);
    return releaseView(r, {
      checklist: cfg.releases.checklist,
      required: cfg.releases.signoffs,
      appName: app?.name ?? r.app,
      envName: env?.name ?? r.env,
      classification: env?.classification ?? 'UNCLASSIFIED',
      missing: deps.coordinator.missing(r),
    });
  };

  /** The release channels of the environment on the running platforms. */
  const channelTargets = (r: Release): DeliveryTarget[] => {
    const cfg = deps.config();
    const env = cfg.environments.find((e) => e.id === r.env);
    const own = cfg.releases.environments.find((e) => e.env === r.env)?.channels;
    const channels = own ?? env?.channels ?? { slack: [], mattermost: [] };
    return targetsOf(channels, deps.platforms());
  };

  /** DMs to the people involved: proposer, app owners, and everyone who ticked or signed. */
  const dmTargets = async (r: Release): Promise<DeliveryTarget[]> => {
    const cfg = deps.config();
    const refs = new Set([...r.participants, ...Object.values(r.signoffs).map((s) => s.by), ...Object.values(r.checks).map((s) => s.by)]);
    const on = deps.platforms();
    const out: DeliveryTarget[] = [];
    for (const ref of refs) {
      if (!ref.startsWith('person:')) continue;
      const person = cfg.people.find((p) => p.id === ref.slice('person:'.length));
      if (!person) continue;
      if (on.has('slack') && person.slack) out.push({ platform: 'slack', userId: person.slack });
      if (on.has('mattermost') && person.mattermost) {
        const id = (await deps.store.mattermostUserId(person.mattermost)) ?? (await deps.userIdOf?.('mattermost', person.mattermost).catch(() => undefined));
        if (id) out.push({ platform: 'mattermost', userId: id });
      }
      if (on.has('console')) out.push({ platform: 'console', userId: person.id });
    }
    return out;
  };

  const send = async (r: Release, key: string, template: string, data: Record<string, unknown>, dms: boolean) => {
    const message = deps.renderer.render(template, data);
    const targets = [...channelTargets(r), ...(dms ? await dmTargets(r) : [])];
    if (targets.length === 0) return;
    await deps.deliveries.enqueue(targets.map((target) => ({ key, revision: 1, target, message })));
  };

  return { view, channelTargets, dmTargets, send };
}
