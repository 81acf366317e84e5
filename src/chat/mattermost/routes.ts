/**
 * The HTTP endpoints Mattermost calls: `POST|GET /mattermost/command` (custom slash commands) and
 * `POST /mattermost/actions` (button clicks and dialog submissions). Each request is checked
 * before anything runs, dispatched, and answered within the ack budget; a late answer goes to the
 * command's response_url, or through the API.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import type { OutboundMessage } from '../message.js';
import type { Dispatch, DispatchResult, InboundEvent, MessageRef } from '../port.js';
import { withinBudget } from './budget.js';
import { ephemeralCommandResponse } from './command-hook.js';
import { submissionValues } from './dialog.js';
import { buttonEvent, commandEvent, formEvent } from './inbound.js';
import type { PostFields } from './render.js';
import { safeEqual, verifyButton, verifyDialogState } from './signing.js';

export const COMMAND_PATH = '/mattermost/command';
export const ACTIONS_PATH = '/mattermost/actions';

const WORKING = 'Working on it…';
const FAILED = 'Sorry, that did not work. The error has been logged.';

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
  /** Post fields for `msg` in `channelId`; with `readerId`, dates are shown in that user's zone. */
  render: (msg: OutboundMessage, channelId: string, readerId?: string) => Promise<PostFields>;
  late: LateReplies;
}

/**
 * Send JSON with `Content-Type: application/json` exactly. Express would append
 * `; charset=utf-8`, and Mattermost clients compare the header verbatim.
 */
function sendJson(res: Response, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
  res.end(payload);
}

function fieldsOf(req: Request): Record<string, unknown> {
  const body = typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {};
  return { ...(req.query as Record<string, unknown>), ...body };
}

/** Slash command token: form field `token` or header `Authorization: Token <t>`. */
function commandToken(req: Request, fields: Record<string, unknown>): string | undefined {
  const header = req.get('authorization');
  const m = header ? /^Token\s+(\S+)$/i.exec(header) : null;
  if (m?.[1]) return m[1];
  return typeof fields.token === 'string' ? fields.token : undefined;
}

function tokenAccepted(token: string | undefined, accepted: readonly string[]): boolean {
  if (!token) return false;
  let ok = false;
  // No early exit: the time taken does not reveal which configured token came closest.
  for (const t of accepted) ok = safeEqual(token, t) || ok;
  return ok;
}

const failedReply: OutboundMessage = { body: FAILED, summary: FAILED };

export function mattermostRoutes(deps: RouteDeps): Router {
  const router = express.Router();
  const { log, metrics } = deps;
  const observeAck = (started: number) => metrics.ackLatency.observe({ platform: 'mattermost' }, (performance.now() - started) / 1000);

  /** Run `event` through dispatch; `onResult` answers in time, `afterBudget` handles lateness. */
  async function run(
    event: InboundEvent,
    res: Response,
    started: number,
    onResult: (result: DispatchResult | undefined, failed: boolean) => Promise<unknown>,
    afterBudget: { ack: unknown; deliver: (result: DispatchResult) => Promise<void>; fail: () => Promise<void> },
  ): Promise<void> {
    const dispatch = deps.dispatch();
    if (!dispatch) {
      sendJson(res, 503, { error: 'not ready' });
      return;
    }
    const elog = log.child({ eventId: event.eventId, kind: event.kind });
    const outcome = await withinBudget(dispatch(event), deps.ackBudgetMs);
    if (outcome.inTime) {
      if (!outcome.ok) elog.error({ err: outcome.error }, 'mattermost dispatch failed');
      sendJson(res, 200, await onResult(outcome.ok ? outcome.value : undefined, !outcome.ok));
      observeAck(started);
      return;
    }
    sendJson(res, 200, afterBudget.ack);
    observeAck(started);
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

  const handleCommand = async (req: Request, res: Response) => {
    const started = performance.now();
    const fields = fieldsOf(req);
    if (!tokenAccepted(commandToken(req, fields), deps.commandTokens)) {
      log.warn({ path: req.path }, 'mattermost command with a missing or unknown token rejected');
      sendJson(res, 401, { error: 'invalid token' });
      return;
    }
    const event = commandEvent(fields);
    if (!event) {
      sendJson(res, 400, { error: 'missing user_id, channel_id or command' });
      return;
    }
    const channelId = event.channel.id;
    await run(
      event,
      res,
      started,
      async (result, failed) => {
        const reply = failed ? failedReply : result?.reply;
        return ephemeralCommandResponse(reply ? await deps.render(reply, channelId, event.user.id) : undefined);
      },
      {
        ack: { response_type: 'ephemeral', text: WORKING },
        deliver: async (result) => {
          if (result.reply) await deps.late.commandReply(fields.response_url, channelId, event.user.id, result.reply);
        },
        fail: () => deps.late.commandReply(fields.response_url, channelId, event.user.id, failedReply),
      },
    );
  };

  const handleButton = async (body: Record<string, unknown>, res: Response, started: number) => {
    const channelId = typeof body.channel_id === 'string' ? body.channel_id : '';
    const action = verifyButton(deps.actionSecret, body.context, channelId);
    if (!action) {
      log.warn({ channelId }, 'mattermost button click with an invalid signature rejected');
      sendJson(res, 403, { error: 'invalid context' });
      return;
    }
    const event = buttonEvent(body, action);
    if (!event) {
      sendJson(res, 400, { error: 'missing user_id or channel_id' });
      return;
    }
    const userId = event.user.id;
    const elog = log.child({ eventId: event.eventId });
    await run(
      event,
      res,
      started,
      async (result, failed) => {
        const answer: Record<string, unknown> = { skip_slack_parsing: true };
        // Mattermost replaces the post with `update` as given: a missing message would empty it,
        // so always send the whole rendered message.
        if (result?.updateMessage) answer.update = await deps.render(result.updateMessage, channelId);
        const reply = failed ? failedReply : result?.reply;
        if (reply) {
          const fields = await deps.render(reply, channelId, userId);
          // ephemeral_text is text only; replies with buttons or fields go through the API.
          if (fields.props.attachments) void deps.late.ephemeral(channelId, userId, reply).catch((err: unknown) => elog.error({ err }, 'mattermost ephemeral reply failed'));
          else answer.ephemeral_text = fields.message;
        }
        return answer;
      },
      {
        ack: {},
        deliver: async (result) => {
          if (result.updateMessage && event.message) await deps.late.update(event.message, result.updateMessage);
          if (result.reply) await deps.late.ephemeral(channelId, userId, result.reply);
        },
        fail: () => deps.late.ephemeral(channelId, userId, failedReply),
      },
    );
  };

  const handleDialog = async (body: Record<string, unknown>, res: Response, started: number) => {
    const signed = verifyDialogState(deps.actionSecret, body.state);
    if (!signed || signed.formId !== body.callback_id) {
      log.warn('mattermost dialog submission with an invalid state rejected');
      sendJson(res, 403, { error: 'invalid state' });
      return;
    }
    const event = formEvent(body, signed, body.cancelled === true ? {} : submissionValues(body.submission, signed.multi));
    if (!event) {
      sendJson(res, 400, { error: 'missing user_id' });
      return;
    }
    const channelId = event.channel.id;
    const userId = event.user.id;
    const elog = log.child({ eventId: event.eventId });
    if (event.closed) {
      // The dialog is gone (the webapp ignores this answer): anything to say goes as a message.
      const tell = async (result: DispatchResult | undefined) => {
        if (result?.reply && channelId) await deps.late.ephemeral(channelId, userId, result.reply);
      };
      await run(
        event,
        res,
        started,
        async (result) => {
          void tell(result).catch((err: unknown) => elog.error({ err }, 'mattermost ephemeral reply failed'));
          return {};
        },
        { ack: {}, deliver: tell, fail: async () => undefined },
      );
      return;
    }
    const errorsAsMessage = (errors: Record<string, string>): OutboundMessage => {
      const text = Object.entries(errors)
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n');
      return { body: '', summary: text, fields: Object.entries(errors).map(([label, value]) => ({ label, value })) };
    };
    await run(
      event,
      res,
      started,
      async (result, failed) => {
        if (result?.formErrors && Object.keys(result.formErrors).length > 0) return { errors: result.formErrors };
        if (failed) return { error: FAILED };
        if (result?.reply && channelId) void deps.late.ephemeral(channelId, userId, result.reply).catch((err: unknown) => elog.error({ err }, 'mattermost ephemeral reply failed'));
        return {};
      },
      {
        ack: {},
        deliver: async (result) => {
          if (!channelId) return;
          // The dialog has closed by now: show validation errors as a message instead.
          if (result.formErrors && Object.keys(result.formErrors).length > 0) await deps.late.ephemeral(channelId, userId, errorsAsMessage(result.formErrors));
          if (result.reply) await deps.late.ephemeral(channelId, userId, result.reply);
        },
        fail: async () => {
          if (channelId) await deps.late.ephemeral(channelId, userId, failedReply);
        },
      },
    );
  };

  const wrap = (h: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response) => {
    h(req, res).catch((err: unknown) => {
      log.error({ err }, 'mattermost request handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
    });
  };

  const form = express.urlencoded({ extended: false, limit: '256kb' });
  router.post(COMMAND_PATH, form, wrap(handleCommand));
  router.get(COMMAND_PATH, wrap(handleCommand));
  router.post(
    ACTIONS_PATH,
    express.json({ limit: '1mb' }),
    wrap(async (req, res) => {
      const started = performance.now();
      const body = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
      if (!body) {
        sendJson(res, 400, { error: 'expected a JSON object' });
        return;
      }
      if (body.type === 'dialog_submission') await handleDialog(body, res, started);
      else await handleButton(body, res, started);
    }),
  );
  return router;
}
