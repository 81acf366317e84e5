/**
 * Test rig: a fake Mattermost, the adapter mounted on a real express app listening on loopback,
 * and a dispatch function the test controls. Mattermost-facing helpers live on `fake`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createMattermostAdapter, type MattermostAdapter, type MattermostAdapterOptions } from '../../../src/chat/mattermost/adapter.js';
import type { DispatchResult, InboundEvent } from '../../../src/chat/port.js';
import { createMetrics, type Metrics } from '../../../src/metrics.js';
import { silentLogger } from '../../../src/log.js';
import { FakeMattermost, type FakeChannel, type FakeTeam, type FakeUser } from '../../fakes/mattermost.js';

export const COMMAND_TOKEN = 'cmdtoken0000000000000000aa';
export const ACTION_SECRET = 'test-action-secret-0123456789';

export interface Harness {
  fake: FakeMattermost;
  adapter: MattermostAdapter;
  metrics: Metrics;
  /** Where the app listens, e.g. http://127.0.0.1:PORT. */
  appUrl: string;
  team: FakeTeam;
  alice: FakeUser;
  bob: FakeUser;
  /** A public channel with alice, bob and the bot. */
  town: FakeChannel;
  /** Every event dispatched, in order. */
  events: InboundEvent[];
  /** What dispatch does; replace per test. Defaults to answering nothing. */
  handler: (event: InboundEvent) => Promise<DispatchResult>;
  /** Resolves when `n` events have been dispatched (rejects after `timeoutMs`, default 10 s). */
  waitForEvents(n: number, timeoutMs?: number): Promise<InboundEvent[]>;
  close(): Promise<void>;
}

export async function startHarness(
  opts: { start?: boolean; adapter?: Partial<MattermostAdapterOptions>; fake?: Parameters<typeof FakeMattermost.start>[0] } = {},
): Promise<Harness> {
  const fake = await FakeMattermost.start(opts.fake);
  const team = fake.addTeam('ops');
  const alice = fake.addUser({ username: 'alice', first_name: 'Alice', last_name: 'Liddell', timezone: { useAutomaticTimezone: 'false', manualTimezone: 'Europe/Berlin', automaticTimezone: 'America/New_York' } });
  const bob = fake.addUser({ username: 'bob', timezone: { useAutomaticTimezone: 'true', automaticTimezone: 'Asia/Tokyo', manualTimezone: '' } });
  team.members.add(alice.id).add(bob.id);
  const town = fake.addChannel({ team, name: 'town-square', members: [alice.id, bob.id] });

  const app = express();
  const router = express.Router();
  app.use(router);
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const metrics = createMetrics({ defaultMetrics: false });
  const adapter = await createMattermostAdapter({
    url: fake.url,
    token: fake.botToken,
    commandTokens: [COMMAND_TOKEN],
    actionSecret: ACTION_SECRET,
    publicUrl: appUrl,
    router,
    websocket: false,
    mentions: () => () => undefined,
    zone: () => 'UTC',
    log: silentLogger,
    metrics,
    websocketRetry: { minMs: 50, jitterMs: 10 },
    ...opts.adapter,
  });

  const events: InboundEvent[] = [];
  let waiters: { n: number; resolve: (e: InboundEvent[]) => void }[] = [];
  const h: Harness = {
    fake,
    adapter,
    metrics,
    appUrl,
    team,
    alice,
    bob,
    town,
    events,
    handler: async () => ({}),
    waitForEvents(n, timeoutMs = 10_000) {
      if (events.length >= n) return Promise.resolve(events.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${n} events, got ${events.length}`)), timeoutMs);
        waiters.push({ n, resolve: (e) => (clearTimeout(timer), resolve(e)) });
      });
    },
    async close() {
      await adapter.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    },
  };
  if (opts.start ?? true) {
    await adapter.start(async (event) => {
      events.push(event);
      waiters = waiters.filter((w) => {
        if (events.length >= w.n) w.resolve(events.slice());
        return events.length < w.n;
      });
      return h.handler(event);
    });
  }
  return h;
}

/** Poll `check` until it returns a value (for effects that happen after a response). */
export async function eventually<T>(check: () => T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A promise with its resolver, to hold a dispatch until the test lets it go. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}
