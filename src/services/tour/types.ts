/**
 * What the tours-of-duty service needs and offers: its deps and interface, and the payload of
 * its timers (id = tour id).
 */
import { z } from 'zod';
import type { Platform } from '../../chat/port.js';
import type { Logger } from '../../log.js';
import type { Renderer } from '../../render/renderer.js';
import type { Tour, TourStore } from '../../store/tour/store.js';
import type { DeliveryService } from '../../delivery/service.js';
import type { OncallService } from '../oncall/service.js';
import type { Scheduler } from '../../delivery/scheduler.js';

export interface TourDeps {
  store: TourStore;
  oncall: OncallService;
  scheduler: Scheduler;
  deliveries: DeliveryService;
  renderer: Renderer;
  platforms: () => ReadonlySet<Platform>;
  log: Logger;
}

export interface TourService {
  assign(t: { person: string; host: string; from: Date; to: Date; goal?: string; assignedBy: string }, now: Date): Promise<Tour>;
  /** Tours not over at `at`, soonest first. */
  current(at: Date): Promise<Tour[]>;
  /** The person's tour that is running or ahead at `at`. */
  activeFor(person: string, at: Date): Promise<Tour | undefined>;
  moveEnd(tour: Tour, to: Date, now: Date): Promise<Tour>;
  all(): Promise<Tour[]>;
  /** Lessons learned, posted to both teams and kept on the tour. */
  lessons(tourId: string, answers: { well: string; change: string }, now: Date): Promise<Tour>;
}

export const timer = z.object({ id: z.string() });
