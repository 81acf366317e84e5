/**
 * The chat adapters a bot runs, chosen by which platform settings are present: Slack when a bot
 * token is set, Mattermost when a URL and token are, the console when the bot runs in a terminal.
 */
import { createHash } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import { ConsoleAdapter } from '../chat/console/adapter.js';
import { createMattermostAdapter } from '../chat/mattermost/adapter.js';
import type { ChatAdapter, Platform } from '../chat/port.js';
import { createSlackAdapter } from '../chat/slack/adapter.js';
import type { Directory } from '../directory.js';
import type { Env } from '../env.js';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

export interface ConsoleIo {
  input: Readable;
  output: Writable;
  interactive: boolean;
  userId: string;
  /** The configured people, for `/day2 as`. */
  people?: () => readonly { id: string; name: string }[];
  /** Print each line read (a script's transcript). */
  echo?: boolean;
  /** Awaited after each line (a script waits for what the line caused). */
  afterLine?: () => Promise<void>;
  onClose?: () => void;
}

export interface AdapterContext {
  env: Env;
  http: HttpServer;
  publicUrl: string;
  /** Read at each use: the directory changes on reload. */
  mentions: () => Directory['resolveMention'];
  zone: () => string;
  log: Logger;
  metrics: Metrics;
  console?: ConsoleIo;
}

export async function createAdapters(ctx: AdapterContext): Promise<Map<Platform, ChatAdapter>> {
  const { env, http, mentions, zone, log, metrics } = ctx;
  const adapters = new Map<Platform, ChatAdapter>();
  if (env.SLACK_BOT_TOKEN) {
    adapters.set(
      'slack',
      await createSlackAdapter({
        token: env.SLACK_BOT_TOKEN,
        signingSecret: env.SLACK_SIGNING_SECRET ?? '',
        appToken: env.SLACK_APP_TOKEN,
        apiUrl: env.SLACK_API_URL,
        mountRaw: http.mountRaw,
        mentions,
        zone,
        log: log.child({ platform: 'slack' }),
        metrics,
      }),
    );
  }
  if (env.MATTERMOST_URL && env.MATTERMOST_TOKEN) {
    adapters.set(
      'mattermost',
      await createMattermostAdapter({
        url: env.MATTERMOST_URL,
        token: env.MATTERMOST_TOKEN,
        commandTokens: env.MATTERMOST_COMMAND_TOKENS,
        // Mattermost does not sign button clicks; this key signs what we put in their context.
        actionSecret: env.DAY2_ACTION_SECRET ?? createHash('sha256').update(`day2-actions:${env.MATTERMOST_TOKEN}`).digest('hex'),
        ...(env.DAY2_ACTION_TTL !== undefined ? { actionTtlMs: env.DAY2_ACTION_TTL } : {}),
        publicUrl: ctx.publicUrl,
        router: http.platformRouter,
        websocket: env.MATTERMOST_WEBSOCKET === 'true',
        mentions,
        zone,
        log: log.child({ platform: 'mattermost' }),
        metrics,
      }),
    );
  }
  if (ctx.console) {
    const c = ctx.console;
    adapters.set(
      'console',
      new ConsoleAdapter({ input: c.input, output: c.output, interactive: c.interactive, echo: c.echo, userId: c.userId, people: c.people, afterLine: c.afterLine, mentions, zone, onClose: c.onClose }),
    );
  }
  return adapters;
}
