/**
 * The door in front of @slack/socket-mode, as request-gate.ts is for HTTP. The SDK (3.1.0) reads
 * every websocket frame without checking its shape: a frame of `null`, or an `events_api`
 * envelope without an event, throws inside its async message handler, and that unhandled
 * rejection ends the process. Here each frame is checked against the envelopes Slack sends
 * first. One that fails is logged and acknowledged when it names an envelope (Slack would
 * otherwise redeliver a payload that can never work; the empty ack shows the user nothing), or
 * dropped when it does not; neither the SDK nor Bolt sees it.
 */
import type { SocketModeReceiver } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../../log.js';
import { commandProblem, envelopeProblem, parseJson } from './request-gate.js';

type SocketClient = SocketModeReceiver['client'];
/** The SDK's own ack sender (`{envelope_id, payload}` on the socket); private in its types. */
type Acker = { send(envelopeId: string): Promise<void> };

/** The SDK's internal event for one received frame (SlackWebSocket emits it on its client). */
const FRAME_EVENT = 'ws_message';

const control = z.object({ type: z.enum(['hello', 'disconnect']) });
const envelope = z.object({
  envelope_id: z.string().min(1),
  type: z.enum(['events_api', 'slash_commands', 'interactive']),
  payload: z.record(z.string(), z.unknown()),
});

/** The interactions listeners.ts handles; Bolt leaves any other one unacknowledged. */
const INTERACTIONS = new Set(['block_actions', 'view_submission', 'view_closed']);

export type FrameVerdict = { ok: true } | { ok: false; reason: string; envelopeId?: string };

/** Whether the SDK may read this text frame; a refusal carries the envelope id to ack, if any. */
export function checkSocketFrame(text: string): FrameVerdict {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, reason: 'frame is not JSON' };
  if (control.safeParse(parsed.value).success) return { ok: true };
  const raw = parsed.value as { envelope_id?: unknown } | null;
  const id = typeof raw === 'object' && raw !== null && typeof raw.envelope_id === 'string' && raw.envelope_id.length > 0 ? { envelopeId: raw.envelope_id } : {};
  const e = envelope.safeParse(parsed.value);
  if (!e.success) return { ok: false, reason: 'not a Socket Mode envelope Slack sends', ...id };
  const { type, payload } = e.data;
  if (type === 'interactive' && !INTERACTIONS.has(String(payload.type))) return { ok: false, reason: 'an interaction Day2 does not handle', ...id };
  const problem = type === 'slash_commands' ? commandProblem(payload) : envelopeProblem(payload);
  return problem ? { ok: false, reason: problem, ...id } : { ok: true };
}

const frameText = (data: unknown): string => (typeof data === 'string' ? data : new TextDecoder().decode(data as ArrayBuffer));

/** Put the check in front of the SDK's frame handler (once, before `start()`). */
export function guardSocketFrames(client: SocketClient, log: Logger): void {
  const handlers = client.listeners(FRAME_EVENT) as ((data: unknown, isBinary: boolean) => unknown)[];
  const acker = client as unknown as Partial<Acker>;
  // An SDK upgrade that renamed these must stop Day2 at boot, not leave it unguarded.
  if (handlers.length !== 1 || typeof acker.send !== 'function') throw new Error(`@slack/socket-mode no longer has one "${FRAME_EVENT}" listener and send(): update src/chat/slack/socket-gate.ts for this SDK version`);
  const sdkHandler = handlers[0]!;
  const ack = (envelopeId: string) => (acker as Acker).send(envelopeId);
  client.removeAllListeners(FRAME_EVENT);
  client.on(FRAME_EVENT, (data: unknown, isBinary: boolean) => {
    // Binary frames are the SDK's to ignore.
    const verdict = isBinary ? ({ ok: true } as const) : checkSocketFrame(frameText(data));
    if (!verdict.ok) {
      log.warn({ reason: verdict.reason, envelopeId: verdict.envelopeId }, 'slack: socket frame refused');
      if (verdict.envelopeId) ack(verdict.envelopeId).catch((err: unknown) => log.warn({ err }, 'slack: could not acknowledge a refused socket frame'));
      return;
    }
    // Whatever the SDK still throws on must not become an unhandled rejection.
    Promise.resolve()
      .then(() => sdkHandler(data, isBinary))
      .catch((err: unknown) => log.error({ err }, 'slack: socket frame failed'));
  });
}
