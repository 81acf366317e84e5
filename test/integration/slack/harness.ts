/**
 * Test rig: a fake Slack, a real express app on a loopback port with the Slack adapter mounted
 * on a router (as Day2's HTTP server does), and a dispatch function that records events and
 * answers whatever the test says.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSlackAdapter, type SlackAdapter } from '../../../src/chat/slack/adapter.js';
import type { DispatchResult, InboundEvent } from '../../../src/chat/port.js';
import { createMetrics, type Metrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import type { MentionResolver } from '../../../src/render/serialize-options.js';
import { startFakeSlack, type FakeSlack, type FakeSlackOptions } from '../../fakes/slack.js';

export type Handler = (event: InboundEvent) => Promise<DispatchResult>;

export interface Harness {
  fake: FakeSlack;
  adapter: SlackAdapter;
  metrics: Metrics;
  /** Every event dispatch received, in order. */
  events: InboundEvent[];
  /** What dispatch answers from now on. */
  handle(handler: Handler): void;
  appUrl: string;
  close(): Promise<void>;
}

export async function startHarness(opts: { fake?: FakeSlackOptions; ackBudgetMs?: number; mentions?: MentionResolver; start?: boolean } = {}): Promise<Harness> {
  const fake = await startFakeSlack(opts.fake);
  const app = express();
  const router = express.Router();
  app.use(router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.appBaseUrl = appUrl;

  const metrics = createMetrics({ defaultMetrics: false });
  const events: InboundEvent[] = [];
  let handler: Handler = async () => ({});
  const adapter = await createSlackAdapter({
    token: fake.token,
    signingSecret: fake.signingSecret,
    apiUrl: fake.apiUrl,
    router,
    mentions: () => opts.mentions ?? (() => undefined),
    zone: () => 'UTC',
    log: silentLogger,
    metrics,
    ...(opts.ackBudgetMs !== undefined ? { ackBudgetMs: opts.ackBudgetMs } : {}),
  });
  if (opts.start ?? true) {
    await adapter.start(async (event) => {
      events.push(event);
      return handler(event);
    });
  }
  return {
    fake,
    adapter,
    metrics,
    events,
    handle: (h) => {
      handler = h;
    },
    appUrl,
    close: async () => {
      await adapter.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await fake.close();
    },
  };
}

/** A small neutral message. */
export function msg(body: string, extra: Partial<import('../../../src/chat/message.js').OutboundMessage> = {}) {
  return { body, summary: body, ...extra };
}

/** Poll until `check` passes (returns truthy) or time runs out; for effects that happen after an ack. */
export async function eventually<T>(check: () => T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
