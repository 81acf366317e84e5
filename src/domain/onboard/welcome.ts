/**
 * The platform welcome pack, built from config: each environment with its intent, the catalog
 * services it offers, its roadmap and where to get help; services that differ between
 * environments; how to request a new capability; what the platform expects of a team.
 */
import type { OnboardingConfig } from './config.js';

interface EnvironmentView {
  id: string;
  name: string;
  classification: string;
  description?: string;
}

export function buildWelcomePack(cfg: { environments: EnvironmentView[] }, ob: OnboardingConfig): Record<string, unknown> {
  const offered = (envId: string) => ob.services.filter((s) => !s.environments || s.environments.includes(envId));
  const environments = cfg.environments.map((e) => ({
    name: e.name,
    classification: e.classification,
    ...(e.description ? { description: e.description } : {}),
    services: offered(e.id).map((s) => s.name),
    ...(ob.welcome.roadmap[e.id] ? { roadmap: ob.welcome.roadmap[e.id] } : {}),
    ...(ob.welcome.help[e.id] ? { help: ob.welcome.help[e.id] } : {}),
  }));
  const names = new Map(cfg.environments.map((e) => [e.id, e.name]));
  const differences = ob.services
    .filter((s) => s.environments && cfg.environments.some((e) => !s.environments!.includes(e.id)))
    .map((s) => ({ name: s.name, environments: s.environments!.map((id) => names.get(id) ?? id) }));
  return { intro: ob.welcome.intro, environments, differences, newCapability: ob.welcome.newCapability, expectations: ob.welcome.expectations };
}
