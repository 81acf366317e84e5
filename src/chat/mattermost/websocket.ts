/**
 * The Mattermost WebSocket, used to receive direct messages. Wraps @mattermost/client's
 * WebSocketClient, which was written for browsers: on Node 20 it needs a global WebSocket and
 * CloseEvent, and after a dropped connection it reconnect-loops unless a missed-message listener
 * is registered (see ensureGlobals and start).
 */
import mm from '@mattermost/client';
import { CloseEvent as UndiciCloseEvent, WebSocket as UndiciWebSocket } from 'undici';
import type { Logger } from '../../log.js';

const { WebSocketClient } = mm;
type WebSocketClientInstance = InstanceType<typeof WebSocketClient>;

/**
 * WebSocketClient reads `WebSocket.OPEN` and constructs `CloseEvent` from globals even when given
 * a socket factory; Node 20 has neither. Install undici's (the same implementation Node 22 ships).
 */
export function ensureWebSocketGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  if (g.WebSocket === undefined) g.WebSocket = UndiciWebSocket;
  if (g.CloseEvent === undefined) g.CloseEvent = UndiciCloseEvent;
}

export interface SocketMessage {
  event?: string;
  data?: Record<string, unknown>;
  broadcast?: Record<string, unknown>;
  seq?: number;
}

export interface MattermostSocketOptions {
  /** Server address, http(s)://…; the socket URL is derived from it. */
  url: string;
  token: string;
  log: Logger;
  onMessage: (msg: SocketMessage) => void;
  /** Reconnect delay floor and jitter (client defaults: 3000 and 2000 ms). */
  minRetryMs?: number;
  jitterMs?: number;
  /** Client ping interval (default 30 000 ms). */
  pingIntervalMs?: number;
}

export function socketUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '').replace(/^http/, 'ws')}/api/v4/websocket`;
}

export class MattermostSocket {
  private client: WebSocketClientInstance | undefined;

  constructor(private readonly opts: MattermostSocketOptions) {}

  start(): void {
    if (this.client) return;
    ensureWebSocketGlobals();
    const { log } = this.opts;
    const client = new WebSocketClient({
      ...(this.opts.minRetryMs !== undefined ? { minWebSocketRetryTime: this.opts.minRetryMs } : {}),
      ...(this.opts.jitterMs !== undefined ? { reconnectJitterRange: this.opts.jitterMs } : {}),
      ...(this.opts.pingIntervalMs !== undefined ? { clientPingInterval: this.opts.pingIntervalMs } : {}),
    });
    client.addMessageListener((msg) => {
      try {
        this.opts.onMessage(msg as unknown as SocketMessage);
      } catch (err) {
        log.error({ err }, 'mattermost websocket message handler failed');
      }
    });
    // Without this listener the client keeps its old sequence number after a reconnect, the
    // server restarts at 0, and the client drops and redials forever ("missed websocket event").
    // Having a listener makes it reset the sequence when the server hands out a new connection id.
    // Direct messages sent while we were away are not replayed; Mattermost users see the bot was
    // offline and resend, which is good enough for conversational prompts.
    client.addMissedMessageListener(() => log.info('mattermost websocket: new server session, sequence reset'));
    client.addFirstConnectListener(() => log.info('mattermost websocket connected'));
    client.addReconnectListener(() => log.info('mattermost websocket reconnected'));
    client.addCloseListener((failCount) => log.warn({ failCount }, 'mattermost websocket closed, will reconnect'));
    this.client = client;
    client.initialize(socketUrl(this.opts.url), this.opts.token);
  }

  /** Close the socket and cancel any pending reconnect. Idempotent. */
  stop(): void {
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    const internals = client as unknown as { conn: WebSocket | null };
    const conn = internals.conn;
    client.close();
    // close() only closes an open socket and leaves its error handler attached; a socket that is
    // still connecting would go on to authenticate and start a ping loop. Detach and close it.
    if (conn) {
      conn.onopen = null;
      conn.onmessage = null;
      conn.onclose = null;
      conn.onerror = null;
      try {
        conn.close();
      } catch {
        // already closing
      }
    }
    internals.conn = null;
  }
}
