/**
 * What handoff planning needs and offers: its deps and the planner interface, the payload of the
 * handoff and reminder timers, and how their timer ids and delivery keys are built.
 */
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { OncallService } from './service.js';
import type { SupportService } from './support.js';
import type { Scheduler } from '../../delivery/scheduler.js';

const DAY = 86_400_000;
/** How far around an instant to resolve to find handoffs (the previous holder may be weeks back). */
export const WINDOW = 70 * DAY;

export const timerData = z.object({ rotationId: z.string(), slot: z.string(), at: z.number() });
export type HandoffTimer = z.output<typeof timerData>;

export interface HandoffDeps {
  oncall: OncallService;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  platforms: () => ReadonlySet<Platform>;
  log: Logger;
  clock: () => Date;
  /** Support requests move to the incoming tribute at each handoff (support.ts). */
  support?: Pick<SupportService, 'handOver'>;
  /**
   * Alert paging: at a handoff of the first slot to a person, the team's open pages nobody
   * acknowledged move to them (src/services/alert/handover.ts). Late-bound: alert paging is
   * wired after on-call.
   */
  pages?: { handOver(rotationId: string, team: string, to: string, at: Date): Promise<unknown> };
  /** The rotation's on-duty groups (duty-groups.ts), synced at each handoff and change. */
  dutyGroups?: { request(rotationId: string, at: Date): Promise<void> };
}

export interface HandoffPlanner {
  /** Move the timers of one rotation to its next handoffs (or cancel them). */
  plan(rotationId: string, now?: Date): Promise<void>;
  planAll(now?: Date): Promise<void>;
}

export const timerId = (rotationId: string, slot: string) => `${rotationId}.${slot}`;
export const key = (what: string, rotationId: string, slot: string, at: number) => `oncall-${what}-${rotationId}-${slot}-${at}`;
