/**
 * Hand-over: at each handoff of the rotation's first slot, open requests nobody has acknowledged
 * move to the incoming tribute (kept in `holders`). An acknowledged request stays with whoever
 * acknowledged it: they said "I have it" and carry its context; moving it would silently hand
 * half-done work to someone who never saw it.
 */
import type { SupportShared } from './support-shared.js';
import type { HandOver, SupportDeps, SupportService } from './support-types.js';

export function handOverOps(deps: SupportDeps, shared: SupportShared): Pick<SupportService, 'handOver'> {
  const { store, oncall } = deps;
  const { postRequests, firstSlot, moveTo } = shared;
  return {
    async handOver(rotationId, slot, to, at) {
      const entry = oncall.entry(rotationId);
      const out: HandOver = { taken: [], waiting: [], kept: [] };
      // Requests are addressed to the first slot only; a secondary's handoff moves nothing.
      if (!entry || (await firstSlot(rotationId, at))?.slot !== slot) return out;
      for (const r of await store.open(entry.team)) {
        if (r.ackedAt) out.kept.push(r);
        else if (to === null) out.waiting.push(r);
        else out.taken.push(await moveTo(r, to, at));
      }
      // The channel post names the holder: edit it. Delivered revisions are skipped, so a second
      // run (or a request moved by an earlier run) sends nothing twice.
      if (out.taken.length > 0) await deps.deliveries.enqueue(out.taken.flatMap(postRequests));
      return out;
    },
  };
}
