/**
 * What support routing needs and offers: its deps and interface, the hand-over report, the SLA
 * timer kind and its payload, and the delivery key of a request's channel post.
 */
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import type { SupportStats } from '../../domain/oncall/support-stats.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { SupportRequest, SupportStore } from '../../store/oncall/support-store.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { OncallService } from './service.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export interface SupportDeps {
  store: SupportStore;
  oncall: OncallService;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  platforms: () => ReadonlySet<Platform>;
  log: Logger;
  clock: () => Date;
  metrics?: Metrics;
}

export interface SupportService {
  create(input: { team: string; text: string; asker: SupportRequest['asker'] }, now: Date): Promise<SupportRequest>;
  ack(id: string, person: string, now: Date): Promise<SupportRequest>;
  resolve(id: string, person: string, now: Date): Promise<SupportRequest>;
  get(id: string): Promise<SupportRequest | undefined>;
  open(team: string): Promise<SupportRequest[]>;
  /**
   * The handoff of `slot` in `rotationId` to `to` (null: a gap) at `at`. Idempotent: running it
   * again moves nothing more and reports the same requests, so a doubled handoff timer is harmless.
   */
  handOver(rotationId: string, slot: string, to: string | null, at: Date): Promise<HandOver>;
  /** Time to ack and to resolve of a team's requests created in `[from, to)`, for `/oncall stats`. */
  stats(team: string, from: Date, to: Date): Promise<SupportStats>;
}

export interface HandOver {
  /** Open, unacknowledged requests the incoming tribute holds now (moved now or before). */
  taken: SupportRequest[];
  /** Open, unacknowledged requests left where they were because nobody comes on duty (a gap). */
  waiting: SupportRequest[];
  /** Open requests acknowledged by someone: they stay with whoever acknowledged them. */
  kept: SupportRequest[];
}

export const SLA_TIMER = 'oncall-support-sla';
export const slaData = z.object({ id: z.string(), stage: z.int().min(1).max(2) });
export type SlaTimer = z.output<typeof slaData>;
export const postKey = (id: string) => `oncall-sup-${id}`;
