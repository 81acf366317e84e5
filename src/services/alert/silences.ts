/**
 * Silences in an Alertmanager through its v2 API: created when a page is acknowledged or snoozed
 * (per integration), and expired when the page resolves; maintenance windows use them too
 * (maintenance.ts). The matchers are the labels every alert
 * of the group shares, so the silence covers that group and nothing wider.
 */
import { z } from 'zod';
import type { NormalizedAlert } from '../../domain/alert/model.js';

export interface SilenceRequest {
  url: string;
  matchers: Record<string, string>;
  /** Label -> anchored regular expression (Alertmanager anchors them), e.g. component "api|db". */
  regexMatchers?: Record<string, string>;
  /** Replace this silence (Alertmanager may answer with a new id when it cannot edit in place). */
  id?: string;
  startsAt: Date;
  endsAt: Date;
  comment: string;
}

export interface Silencer {
  /** Creates the silence; resolves its id. Throws on refusal or an unreachable Alertmanager. */
  create(req: SilenceRequest): Promise<string>;
  expire(url: string, silenceId: string): Promise<void>;
  /** The id of a silence not yet expired whose comment contains `marker`, if any. */
  findByComment(url: string, marker: string): Promise<string | undefined>;
}

const created = z.object({ silenceID: z.string().min(1) });
const listed = z.array(z.looseObject({ id: z.string(), comment: z.string().default(''), status: z.looseObject({ state: z.string() }) }));
const TIMEOUT_MS = 5_000;

/** The labels every alert of the group carries with the same value. */
export function commonLabels(alerts: readonly NormalizedAlert[]): Record<string, string> {
  const [first, ...rest] = alerts;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first.labels).filter(([k, v]) => rest.every((a) => a.labels[k] === v)));
}

export function httpSilencer(fetchImpl: typeof fetch = fetch): Silencer {
  const base = (url: string) => url.replace(/\/+$/, '');
  return {
    async create(req) {
      const matchers = [
        ...Object.entries(req.matchers).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })),
        ...Object.entries(req.regexMatchers ?? {}).map(([name, value]) => ({ name, value, isRegex: true, isEqual: true })),
      ];
      if (matchers.length === 0) throw new Error('the alerts share no label, so a silence would match everything');
      const res = await fetchImpl(`${base(req.url)}/api/v2/silences`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...(req.id ? { id: req.id } : {}), matchers, startsAt: req.startsAt.toISOString(), endsAt: req.endsAt.toISOString(), createdBy: 'Day2', comment: req.comment }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (!res.ok) throw new Error(`Alertmanager refused the silence: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
      return created.parse(await res.json()).silenceID;
    },
    async findByComment(url, marker) {
      const res = await fetchImpl(`${base(url)}/api/v2/silences`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!res.ok) throw new Error(`Alertmanager did not list its silences: HTTP ${res.status}`);
      return listed.parse(await res.json()).find((s) => s.status.state !== 'expired' && s.comment.includes(marker))?.id;
    },
    async expire(url, silenceId) {
      const res = await fetchImpl(`${base(url)}/api/v2/silence/${encodeURIComponent(silenceId)}`, { method: 'DELETE', signal: AbortSignal.timeout(TIMEOUT_MS) });
      // Already expired or gone is what we wanted (Alertmanager answers 500 "already expired").
      if (!res.ok && res.status !== 404 && !/already expired/i.test(await res.text())) throw new Error(`Alertmanager did not expire silence ${silenceId}: HTTP ${res.status}`);
    },
  };
}
