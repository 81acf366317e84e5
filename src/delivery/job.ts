/**
 * The delivery job: its data (validated on the way in and on the way out, since a queue outlives
 * the code that filled it) and its id.
 */
import { z } from 'zod';
import type { OutboundMessage } from '../chat/message.js';
import { deliveryTargetSchema, targetId, type DeliveryTarget } from './outbox.js';
import { jobId } from './job-id.js';

export type { DeliveryTarget };

export interface DeliveryRequest {
  /** Stable identity of the logical message, `[A-Za-z0-9_.-]+`, e.g. `notice-42` or `notice-42-u3`. */
  key: string;
  /** 1 for the first version; bump on each edit of the same message. */
  revision: number;
  target: DeliveryTarget;
  /** Post as a thread reply under this message's copy in the same channel (or DM). */
  parentKey?: string;
  /** Neutral message; its `key` is set to `key` on delivery. */
  message: OutboundMessage;
}

export const deliveryKeySchema = z.string().regex(/^[A-Za-z0-9_.-]{1,200}$/, { error: 'delivery keys are 1-200 of [A-Za-z0-9_.-]' });

const markup = z.string();
export const outboundMessageSchema = z.object({
  title: z.string().optional(),
  zone: z.string().optional(),
  body: markup,
  fields: z.array(z.object({ label: z.string(), value: markup, short: z.boolean().optional() })).optional(),
  context: markup.optional(),
  buttons: z
    .array(
      z.object({
        actionId: z.string().regex(/^[A-Za-z0-9]+$/),
        label: z.string(),
        value: z.string(),
        style: z.enum(['default', 'primary', 'danger']).optional(),
        confirm: z.string().optional(),
      }),
    )
    .optional(),
  summary: z.string(),
  key: z.string().optional(),
});

export const deliveryRequestSchema = z.object({
  key: deliveryKeySchema,
  revision: z.int().min(1),
  target: deliveryTargetSchema,
  parentKey: deliveryKeySchema.optional(),
  message: outboundMessageSchema,
});

/** Job data: the request plus the job's places in its channel's and platform's pacing lines, once it has them. */
export const deliveryJobSchema = deliveryRequestSchema.extend({ slotAt: z.number().optional(), platformSlotAt: z.number().optional() });
export type DeliveryJobData = z.infer<typeof deliveryJobSchema>;

export function deliveryJobId(req: Pick<DeliveryRequest, 'key' | 'target' | 'revision'>): string {
  return jobId('d', [req.key, targetId(req.target), `r${req.revision}`]);
}
