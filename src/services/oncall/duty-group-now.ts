/**
 * Who an on-duty group should show at an instant: the people on duty by the resolved schedule,
 * per slot, and the next instant that changes (when the next sync is planned).
 */
import type { DutyNow } from './duty-group-types.js';
import type { OncallService } from './service.js';

type Duty = Pick<OncallService, 'duty'>;

/** Who is on duty at `at`, per slot, and the next instant that changes. */
export async function dutyNow(oncall: Duty, rotationId: string, at: Date): Promise<DutyNow> {
  const slots: DutyNow['slots'] = [];
  let nextChange: Date | undefined;
  for (const d of await oncall.duty(rotationId, at)) {
    // Off duty (outside a restricted rotation's hours): the slot is not shown until it starts again.
    if (d.current) slots.push({ slot: d.slot, person: d.current.person });
    const change = !d.current ? d.next?.start : d.next ? d.until : d.until && (await stretchEnd(oncall, rotationId, d.slot, d.current.person, d.until));
    if (change && (!nextChange || change.getTime() < nextChange.getTime())) nextChange = change;
  }
  const people = [...new Set(slots.flatMap((s) => (s.person ? [s.person] : [])))];
  return { slots, people, ...(nextChange ? { nextChange } : {}) };
}

/**
 * When a holder with nobody after them within the resolver's look-ahead really stops: `until`
 * may only be where the look-ahead ended (a one-person queue never hands over). Looks a few
 * look-aheads further; undefined when the same holder goes on beyond that.
 */
async function stretchEnd(oncall: Duty, rotationId: string, slot: string, person: string | null, until: Date): Promise<Date | undefined> {
  let t = until;
  for (let i = 0; i < 4; i++) {
    const later = (await oncall.duty(rotationId, t)).find((x) => x.slot === slot);
    if (!later?.current || later.current.person !== person) return t;
    if (!later.until) return undefined;
    if (later.next) return later.until;
    t = later.until;
  }
  return undefined;
}
