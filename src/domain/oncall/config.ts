/**
 * The `rotations:` section of the config: each team's tribute / on-call rotation, declared in
 * GitOps style. Chat changes (overrides, swaps, leave, member edits) live in Redis on top of it.
 *
 *   rotations:
 *     - id: payments-tribute
 *       team: payments
 *       timezone: Europe/Berlin       # handoffs happen at this zone's wall-clock time
 *       anchor: "2026-11-02 09:00"    # the first handoff, local time
 *       turn: 1w                      # 12h, 1d, 2w, 1mo …
 *       members: [alice, bob]         # the queue, in order
 *       restriction: { days: [mon, tue, wed, thu, fri], from: "09:00", to: "17:00" }
 *       layers:                       # optional; without it there is one layer, "primary"
 *         - { name: primary, precedence: 1, members: [alice, bob] }
 *         - { name: secondary, precedence: 2, members: [carol], turn: 2w }
 *         # a layer may keep its own zone (follow-the-sun): its anchor and restriction are read in it
 *         - { name: amer, slot: primary, precedence: 3, timezone: America/New_York, members: [dan] }
 *       reminderBefore: 24h           # reminder to the incoming person
 *       supportSla: 15m               # /support: re-notify, then escalate, after this long
 *       dutyGroup: { slack: {}, mattermost: {} }   # keep @payments-tribute current (duty-group-config.ts)
 */
import { z } from 'zod';
import { isRealDate } from '../../time/when.js';
import { isValidZone } from '../../time/zone.js';
import { checkDutyGroup, dutyGroupConfig } from './duty-group-config.js';
import type { LayerDecl, Restriction, RotationDecl, TurnLength } from './types.js';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'must be lowercase letters, digits and "-" (e.g. "payments-tribute")' });

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

const zone = z.string().refine(isValidZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone (e.g. "Europe/Berlin")` });

const localTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a 24-hour local time such as "09:00"' });

const anchor = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]([01]\d|2[0-3]):[0-5]\d$/, { error: 'the first handoff as local "YYYY-MM-DD HH:MM", e.g. "2026-11-02 09:00"' })
  .refine((s) => isRealDate({ year: +s.slice(0, 4), month: +s.slice(5, 7), day: +s.slice(8, 10) }), { error: 'is not a real calendar date' });

const turn = z.string().regex(/^[1-9]\d{0,3}(h|d|w|mo)$/, { error: 'a turn length such as 12h, 1d, 1w, 2w or 1mo' });

const restriction = z.strictObject({
  days: z.array(z.enum(DAYS)).min(1),
  from: localTime,
  to: localTime,
});

const duration = z.string().regex(/^\d{1,5}(s|m|h|d)$/, { error: 'a duration such as 15m, 2h or 1d' });

const layer = z.strictObject({
  name: id,
  /** Which duty the layer fills; layers sharing a slot split it (follow-the-sun). Default: its name. */
  slot: id.optional(),
  /** Lower wins where layers of one slot overlap. */
  precedence: z.int().min(1).max(99),
  /** The layer's own zone (follow-the-sun); its anchor and restriction are local to it. Default: the rotation's. */
  timezone: zone.optional(),
  members: z.array(id).default([]),
  anchor: anchor.optional(),
  turn: turn.optional(),
  restriction: restriction.optional(),
});

export const rotationEntry = z.strictObject({
  id,
  team: id,
  timezone: zone.optional(),
  anchor,
  turn,
  members: z.array(id).default([]),
  restriction: restriction.optional(),
  layers: z.array(layer).min(1).optional(),
  reminderBefore: duration.default('24h'),
  supportSla: duration.default('15m'),
  /** Keep a Slack user group / Mattermost channel header showing who is on duty (duty-group-config.ts). */
  dutyGroup: dutyGroupConfig.optional(),
});

export const rotationsConfig = z.array(rotationEntry);
export type RotationEntry = z.infer<typeof rotationEntry>;

interface IssueSink {
  addIssue(issue: { code: 'custom'; path: (string | number)[]; message: string }): void;
}

/** Cross-references for `rotations:`; called from the config's superRefine. */
export function checkRotationsConfig(
  cfg: { rotations: RotationEntry[]; teams: { id: string; members: string[]; managers: string[]; channels?: { mattermost: string[] } }[]; people: { id: string }[] },
  ctx: IssueSink,
): void {
  const teams = new Map(cfg.teams.map((t) => [t.id, t]));
  const people = new Set(cfg.people.map((p) => p.id));
  const ids = new Set<string>();
  const teamsSeen = new Map<string, string>();
  cfg.rotations.forEach((r, i) => {
    const at = (...path: (string | number)[]) => ['rotations', i, ...path];
    if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: at('id'), message: `duplicate rotation id "${r.id}"` });
    ids.add(r.id);
    const team = teams.get(r.team);
    if (!team) {
      ctx.addIssue({ code: 'custom', path: at('team'), message: `unknown team "${r.team}": add it under teams: or fix the spelling` });
    } else if (teamsSeen.has(r.team)) {
      ctx.addIssue({ code: 'custom', path: at('team'), message: `team "${r.team}" already has rotation "${teamsSeen.get(r.team)}": one rotation per team (use layers for primary/secondary)` });
    }
    teamsSeen.set(r.team, r.id);
    if (r.dutyGroup) checkDutyGroup(r.dutyGroup, team, at('dutyGroup'), ctx);
    const checkMembers = (members: string[], path: (string | number)[]) =>
      members.forEach((m, j) => {
        if (!people.has(m)) ctx.addIssue({ code: 'custom', path: [...path, j], message: `unknown person "${m}": add them under people: or fix the spelling` });
        else if (team && !team.members.includes(m) && !team.managers.includes(m)) ctx.addIssue({ code: 'custom', path: [...path, j], message: `"${m}" is not a member of team "${r.team}": add them to the team's members first` });
        if (members.indexOf(m) !== j) ctx.addIssue({ code: 'custom', path: [...path, j], message: `"${m}" is in the queue twice` });
      });
    checkMembers(r.members, at('members'));
    if (r.layers) {
      if (r.members.length > 0) ctx.addIssue({ code: 'custom', path: at('members'), message: 'with layers, list members under each layer instead' });
      const names = new Set<string>();
      const precedences = new Map<string, Set<number>>();
      r.layers.forEach((l, j) => {
        if (names.has(l.name)) ctx.addIssue({ code: 'custom', path: at('layers', j, 'name'), message: `duplicate layer name "${l.name}"` });
        names.add(l.name);
        const slot = l.slot ?? l.name;
        const used = precedences.get(slot) ?? new Set<number>();
        if (used.has(l.precedence)) ctx.addIssue({ code: 'custom', path: at('layers', j, 'precedence'), message: `two layers of slot "${slot}" have precedence ${l.precedence}: precedence decides overlaps, so it must differ` });
        used.add(l.precedence);
        precedences.set(slot, used);
        checkMembers(l.members, at('layers', j, 'members'));
      });
    }
  });
}

function parseLocal(s: string) {
  return { year: +s.slice(0, 4), month: +s.slice(5, 7), day: +s.slice(8, 10), hour: +s.slice(11, 13), minute: +s.slice(14, 16) };
}

function parseTurn(s: string): TurnLength {
  const m = /^(\d+)(h|d|w|mo)$/.exec(s)!;
  const unit = ({ h: 'hours', d: 'days', w: 'weeks', mo: 'months' } as const)[m[2] as 'h' | 'd' | 'w' | 'mo'];
  return { unit, count: Number(m[1]) };
}

function parseRestriction(r: z.infer<typeof restriction>): Restriction {
  const t = (s: string) => ({ hour: +s.slice(0, 2), minute: +s.slice(3, 5) });
  return { weekdays: r.days.map((d) => DAYS.indexOf(d)), from: t(r.from), to: t(r.to) };
}

/** Milliseconds of a `30s` / `15m` / `24h` / `1d` duration from the config. */
export function durationMs(s: string): number {
  const n = Number(s.slice(0, -1));
  return n * ({ s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const)[s.slice(-1) as 's' | 'm' | 'h' | 'd'];
}

/** The domain declaration of a config entry; layers inherit anchor, turn and restriction. */
export function toRotationDecl(r: RotationEntry, defaultZone: string): RotationDecl {
  const base = (l?: z.infer<typeof layer>): Omit<LayerDecl, 'name' | 'precedence' | 'members'> => {
    const res = l?.restriction ?? r.restriction;
    return {
      anchor: parseLocal(l?.anchor ?? r.anchor),
      turn: parseTurn(l?.turn ?? r.turn),
      ...(res ? { restriction: parseRestriction(res) } : {}),
      ...(l?.slot ? { slot: l.slot } : {}),
      ...(l?.timezone ? { zone: l.timezone } : {}),
    };
  };
  const layers: LayerDecl[] = r.layers
    ? r.layers.map((l) => ({ name: l.name, precedence: l.precedence, members: l.members, ...base(l) }))
    : [{ name: 'primary', precedence: 1, members: r.members, ...base() }];
  return { id: r.id, team: r.team, zone: r.timezone ?? defaultZone, layers };
}
