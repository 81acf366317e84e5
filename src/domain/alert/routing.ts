/**
 * Which team an alert belongs to and how urgent it is: the first route whose every matcher
 * matches the alert's labels wins; otherwise the default team, flagged so it is counted and the
 * default team is told. Regexes are anchored, as Alertmanager anchors its matchers.
 */
import type { AlertRoute, AlertsConfig, Urgency } from './config.js';

export interface RouteDecision {
  team: string;
  urgency: Urgency;
  /** No rule matched: the alert went to the default team. */
  unmatched: boolean;
}

export function matches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (pattern.length > 1 && pattern.startsWith('/') && pattern.endsWith('/')) return new RegExp(`^(?:${pattern.slice(1, -1)})$`).test(value);
  return pattern === value;
}

export function routeMatches(route: AlertRoute, labels: Record<string, string>): boolean {
  return Object.entries(route.match).every(([name, pattern]) => matches(pattern, labels[name]));
}

/** `integrationTeams` limits which teams this integration may page (empty: any). */
export function routeAlert(cfg: AlertsConfig, labels: Record<string, string>, integrationTeams: string[] = []): RouteDecision {
  const allowed = (team: string) => integrationTeams.length === 0 || integrationTeams.includes(team);
  const hit = cfg.routes.find((r) => allowed(r.team) && routeMatches(r, labels));
  if (hit) return { team: hit.team, urgency: hit.urgency, unmatched: false };
  return { team: cfg.defaultTeam ?? '', urgency: 'high', unmatched: true };
}
