/**
 * What the Mattermost HTTP routes (routes.ts, command-route.ts, action-routes.ts) share: what
 * they need from the adapter, the exact-JSON response writer, and the one way every request is
 * dispatched and answered within the ack budget, with a late answer going through the API.
 */
import type { Response } from 'express';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { OutboundMessage } from '../message.js';
import type { Dispatch, DispatchResult, InboundEvent, MessageRef } from '../port.js';
import { withinBudget } from './budget.js';
import type { IdentityGate } from './identity.js';
import type { PostBinding, PostFields } from './render.js';

export const FAILED = 'Sorry, that did not work. The error has been logged.';
export const failedReply: OutboundMessage = { body: FAILED, summary: FAILED };

/** What the routes need from the adapter to answer after the budget. */
export interface LateReplies {
  ephemeral(channelId: string, userId: string, message: OutboundMessage): Promise<void>;
  /** A slash command's late answer, through its `response_url` when it came with one. */
  commandReply(responseUrl: unknown, channelId: string, userId: string, message: OutboundMessage): Promise<void>;
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
}

export interface RouteDeps {
  commandTokens: readonly string[];
  actionSecret: string;
  ackBudgetMs: number;
  log: Logger;
  metrics: Metrics;
  /** The dispatcher, or undefined before start() / after stop() (requests then get 503). */
  dispatch: () => Dispatch | undefined;
  /**
   * Post fields for `msg` in `channelId`; with `readerId` the message is for that user alone:
   * dates in their zone, buttons only they may click. `bind` keeps an updated post's key.
   */
  render: (msg: OutboundMessage, channelId: string, readerId?: string, bind?: PostBinding) => Promise<PostFields>;
  /** Who clicks or submits, per Mattermost, and whether the post a click names is real. */
  identity: IdentityGate;
  late: LateReplies;
}

/** How a request is answered once the budget has run out: an ack now, the outcome later. */
export interface AfterBudget {
  ack: unknown;
  deliver: (result: DispatchResult) => Promise<void>;
  fail: () => Promise<void>;
}

/** The HTTP answer for a dispatch that settled in time (`failed`: it threw). */
export type InTimeAnswer = (result: DispatchResult | undefined, failed: boolean) => Promise<unknown>;

/**
 * Send JSON with `Content-Type: application/json` exactly. Express would append
 * `; charset=utf-8`, and Mattermost clients compare the header verbatim.
 */
export function sendJson(res: Response, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
  res.end(payload);
}

function observeAck(deps: RouteDeps, started: number): void {
  deps.metrics.ackLatency.observe({ platform: 'mattermost' }, (performance.now() - started) / 1000);
}

/** Run `event` through dispatch; `onResult` answers in time, `afterBudget` handles lateness. */
export async function dispatchAndAnswer(deps: RouteDeps, event: InboundEvent, res: Response, started: number, onResult: InTimeAnswer, afterBudget: AfterBudget): Promise<void> {
  const dispatch = deps.dispatch();
  if (!dispatch) {
    sendJson(res, 503, { error: 'not ready' });
    return;
  }
  const elog = deps.log.child({ eventId: event.eventId, kind: event.kind });
  const outcome = await withinBudget(dispatch(event), deps.ackBudgetMs);
  if (outcome.inTime) {
    if (!outcome.ok) elog.error({ err: outcome.error }, 'mattermost dispatch failed');
    sendJson(res, 200, await onResult(outcome.ok ? outcome.value : undefined, !outcome.ok));
    observeAck(deps, started);
    return;
  }
  sendJson(res, 200, afterBudget.ack);
  observeAck(deps, started);
  outcome.later
    .then(
      (result) => afterBudget.deliver(result),
      async (err: unknown) => {
        elog.error({ err }, 'mattermost dispatch failed after the ack');
        await afterBudget.fail();
      },
    )
    .catch((err: unknown) => elog.error({ err }, 'mattermost late reply failed'));
}
