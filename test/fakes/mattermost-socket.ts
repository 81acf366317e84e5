/**
 * The fake Mattermost's WebSocket endpoint (`/api/v4/websocket`). Behaves like upstream
 * `api4/websocket.go` for a challenge-authenticated connection: nothing is sent until an
 * `authentication_challenge` with a valid token arrives; then an OK reply, a `hello` event with a
 * fresh connection id, and events numbered from seq 0 — also after a reconnect that asks to
 * resume, which is what trips clients that do not reset their sequence.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SocketConnection {
  ws: WebSocket;
  userId?: string;
  connectionId: string;
  /** Query the client sent (connection_id / sequence_number on reconnects). */
  query: Record<string, string>;
  seq: number;
}

export class FakeSocketHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  readonly connections: SocketConnection[] = [];
  /** Every connection ever opened (authenticated or not), for counting reconnects. */
  opened = 0;
  private waiters: { n: number; resolve: () => void }[] = [];

  constructor(
    private readonly userForToken: (token: string) => string | undefined,
    private readonly newId: () => string,
  ) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (url.pathname !== '/api/v4/websocket') {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, Object.fromEntries(url.searchParams)));
  }

  private accept(ws: WebSocket, query: Record<string, string>): void {
    this.opened++;
    const conn: SocketConnection = { ws, query, connectionId: this.newId(), seq: 0 };
    this.connections.push(conn);
    ws.on('close', () => {
      const i = this.connections.indexOf(conn);
      if (i >= 0) this.connections.splice(i, 1);
    });
    ws.on('message', (raw) => {
      let msg: { action?: string; seq?: number; data?: { token?: string } };
      try {
        msg = JSON.parse(String(raw)) as typeof msg;
      } catch {
        return;
      }
      if (msg.action === 'authentication_challenge') {
        const userId = this.userForToken(msg.data?.token ?? '');
        if (!userId) {
          ws.send(JSON.stringify({ status: 'FAIL', seq_reply: msg.seq, error: { id: 'api.web_socket_router.not_authenticated.app_error', message: 'Invalid or expired session.' } }));
          ws.close();
          return;
        }
        conn.userId = userId;
        ws.send(JSON.stringify({ status: 'OK', seq_reply: msg.seq }));
        this.send(conn, 'hello', { connection_id: conn.connectionId, server_version: '11.9.0.fake', server_hostname: 'fake' }, { omit_users: null, user_id: userId, channel_id: '', team_id: '' });
        this.notify();
        return;
      }
      // Anything else (ping, user_typing…) gets a plain OK, like the real router.
      if (typeof msg.seq === 'number') ws.send(JSON.stringify({ status: 'OK', seq_reply: msg.seq, ...(msg.action === 'ping' ? { data: { text: 'pong', version: '11.9.0.fake' } } : {}) }));
    });
  }

  private send(conn: SocketConnection, event: string, data: Record<string, unknown>, broadcast: Record<string, unknown>): void {
    conn.ws.send(JSON.stringify({ event, data, broadcast, seq: conn.seq++ }));
  }

  /** Authenticated connections. */
  authenticated(): SocketConnection[] {
    return this.connections.filter((c) => c.userId !== undefined);
  }

  /** Send an event to every authenticated connection of the given users. */
  broadcast(userIds: readonly string[], event: string, data: Record<string, unknown>, broadcast: Record<string, unknown>): number {
    let n = 0;
    for (const c of this.authenticated()) {
      if (c.userId && userIds.includes(c.userId)) {
        this.send(c, event, data, broadcast);
        n++;
      }
    }
    return n;
  }

  /** Resolves once at least `n` connections are authenticated. */
  waitForAuthenticated(n = 1): Promise<void> {
    if (this.authenticated().length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  private notify(): void {
    const count = this.authenticated().length;
    this.waiters = this.waiters.filter((w) => {
      if (count >= w.n) w.resolve();
      return count < w.n;
    });
  }

  /** Kill every connection without a close handshake, like a proxy or server restart would. */
  dropAll(): void {
    for (const c of [...this.connections]) c.ws.terminate();
    this.connections.length = 0;
  }

  close(): Promise<void> {
    this.dropAll();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
