/**
 * What every Bolt listener in listeners.ts shares: the adapter-facing interfaces, the ack-latency
 * measurement, a dispatch that never rejects, the race against the ack budget, and the answer
 * after the ack with its fallbacks. Built once at registration, so a request allocates nothing here.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { RespondArguments, RespondFn } from '@slack/bolt';
import type { OutboundMessage } from '../message.js';
import type { Dispatch, DispatchResult, MessageRef, RenderTarget } from '../port.js';
import { Day2Error } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { escapeMarkup } from '../../render/markup.js';
import { RECEIVED_AT, REQUEST_DIGEST } from './receiver.js';

/** What the listeners need from the adapter to answer after the ack. */
export interface Replier {
  render(message: OutboundMessage, target?: RenderTarget): { text: string; blocks: Record<string, unknown>[] };
  post(channelId: string, message: OutboundMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
  ephemeral(channelId: string, userId: string, message: OutboundMessage): Promise<void>;
  dm(userId: string, message: OutboundMessage): Promise<MessageRef>;
}

export interface ListenerDeps {
  dispatch: () => Dispatch | undefined;
  replier: Replier;
  botUserId: string;
  ackBudgetMs: number;
  log: Logger;
  metrics: Metrics;
}

export type Settled = { ok: true; value: DispatchResult } | { ok: false; error: unknown };

/** A fixed or dispatcher-provided text as a message; escaped so none of it is read as markup. */
export const plainMessage = (text: string): OutboundMessage => ({ body: escapeMarkup(text), summary: text });

/** When the request reached the receiver (stamped there), or now if it was not stamped. */
export const arrival = (context: Record<string, unknown>) => (typeof context[RECEIVED_AT] === 'number' ? (context[RECEIVED_AT] as number) : performance.now());

/**
 * The digest naming a request without a trigger id: the receiver's hash of the signed raw body
 * (HTTP), or, in Socket Mode where there is no raw body, a hash of the payload as received.
 */
export const requestDigest = (context: Record<string, unknown>, body: unknown): string =>
  typeof context[REQUEST_DIGEST] === 'string' ? (context[REQUEST_DIGEST] as string) : createHash('sha256').update(JSON.stringify(body) ?? '').digest('hex');

/** Dispatch without ever rejecting, so a late failure is not an unhandled rejection. */
export const settledDispatch = (dispatch: Dispatch, event: Parameters<Dispatch>[0]): Promise<Settled> =>
  dispatch(event).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

export class ListenerKit {
  constructor(readonly deps: ListenerDeps) {}

  observeAck(since: number): void {
    this.deps.metrics.ackLatency.observe({ platform: 'slack' }, (performance.now() - since) / 1000);
  }

  /** The settled result if it arrives before the budget (counted from arrival) runs out. */
  async within(p: Promise<Settled>, since: number): Promise<Settled | undefined> {
    const left = Math.max(0, this.deps.ackBudgetMs - (performance.now() - since));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), left);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  ephemeralBody(message: OutboundMessage): RespondArguments {
    const { text, blocks } = this.deps.replier.render(message);
    return { response_type: 'ephemeral', text, blocks } as RespondArguments;
  }

  /**
   * An answer to one person after the ack: ephemeral in the channel; if Slack refuses that (the
   * bot is not in a private channel, a DM between two other people), through the request's
   * response_url; failing that, as a DM.
   */
  async answer(channelId: string, userId: string, message: OutboundMessage, respond?: RespondFn): Promise<void> {
    const { replier, log } = this.deps;
    const attempts: [string, () => Promise<unknown>][] = [];
    if (channelId) attempts.push(['chat.postEphemeral', () => replier.ephemeral(channelId, userId, message)]);
    if (respond) attempts.push(['response_url', () => respond({ ...this.ephemeralBody(message), replace_original: false })]);
    attempts.push(['dm', () => replier.dm(userId, message)]);
    for (const [how, attempt] of attempts) {
      try {
        await attempt();
        return;
      } catch (err) {
        log.warn({ err, how, channelId, userId }, 'slack: could not deliver an answer this way, trying the next');
      }
    }
    log.error({ channelId, userId }, 'slack: answer could not be delivered');
  }

  failed(err: unknown, eventId: string): void {
    // Dispatch should turn domain failures into replies itself; this is the last resort.
    this.deps.log.error({ err, eventId, code: err instanceof Day2Error ? err.code : undefined }, 'slack: dispatch failed');
  }
}
