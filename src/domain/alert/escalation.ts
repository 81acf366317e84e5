/**
 * Who an unacknowledged page goes to next: the holder of the next escalation layer that has
 * someone on duty who was not paged yet, then the team's managers, then nobody (the page stays
 * where it is). Pure: the caller reads who is on duty in each layer now.
 */
export type EscalationLayer = number | 'managers';

export interface EscalationStep {
  layer: EscalationLayer;
  to: string[];
}

/**
 * `holders[i]` is the person on duty in layer i now (undefined: nobody); `reached` the last layer
 * the page went to; `notified` everyone already paged.
 */
export function nextEscalation(holders: (string | undefined)[], reached: EscalationLayer, notified: readonly string[], managers: readonly string[]): EscalationStep | undefined {
  if (reached === 'managers') return undefined;
  for (let i = reached + 1; i < holders.length; i++) {
    const p = holders[i];
    if (p && !notified.includes(p)) return { layer: i, to: [p] };
  }
  return managers.length > 0 ? { layer: 'managers', to: [...managers] } : undefined;
}

/** The first page: layer 0's holder, or, when nobody is on duty, the managers at once. */
export function firstRecipients(holders: (string | undefined)[], managers: readonly string[]): { step: EscalationStep; nobodyOnDuty: boolean } {
  const first = holders[0] ?? holders.find((p): p is string => !!p);
  if (first) return { step: { layer: Math.max(0, holders.indexOf(first)), to: [first] }, nobodyOnDuty: false };
  return { step: { layer: 'managers', to: [...managers] }, nobodyOnDuty: true };
}

/**
 * May `person` press a page's buttons: members of its team, its managers, whoever holds one of
 * its escalation layers, and admins.
 */
export function mayAnswerPage(person: string | undefined, who: { members: readonly string[]; managers: readonly string[]; layerHolders: readonly (string | undefined)[]; isAdmin: boolean }): boolean {
  if (who.isAdmin) return true;
  if (!person) return false;
  return who.members.includes(person) || who.managers.includes(person) || who.layerHolders.includes(person);
}
