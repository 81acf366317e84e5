/**
 * `POST /mattermost/actions`: button clicks and dialog submissions (or cancellations). Each is
 * checked against its HMAC signature before anything runs, then dispatched and answered within
 * the ack budget; whatever comes later is sent through the API.
 */
import type { Request, Response } from 'express';
import type { OutboundMessage } from '../message.js';
import type { DispatchResult, InboundEvent } from '../port.js';
import { submissionValues } from './dialog.js';
import { buttonEvent, formEvent } from './inbound.js';
import { dispatchAndAnswer, FAILED, failedReply, sendJson, type RouteDeps } from './route-kit.js';
import { verifyButton, verifyDialogState } from './signing.js';

/** Button click or dialog submission, told apart by the body's `type`. */
export async function handleAction(deps: RouteDeps, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  const body = typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : undefined;
  if (!body) {
    sendJson(res, 400, { error: 'expected a JSON object' });
    return;
  }
  if (body.type === 'dialog_submission') await handleDialog(deps, body, res, started);
  else await handleButton(deps, body, res, started);
}

async function handleButton(deps: RouteDeps, body: Record<string, unknown>, res: Response, started: number): Promise<void> {
  const channelId = typeof body.channel_id === 'string' ? body.channel_id : '';
  const action = verifyButton(deps.actionSecret, body.context, channelId);
  if (!action) {
    deps.log.warn({ channelId }, 'mattermost button click with an invalid signature rejected');
    sendJson(res, 403, { error: 'invalid context' });
    return;
  }
  const event = buttonEvent(body, action);
  if (!event) {
    sendJson(res, 400, { error: 'missing user_id or channel_id' });
    return;
  }
  const userId = event.user.id;
  const elog = deps.log.child({ eventId: event.eventId });
  await dispatchAndAnswer(
    deps,
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
}

async function handleDialog(deps: RouteDeps, body: Record<string, unknown>, res: Response, started: number): Promise<void> {
  const signed = verifyDialogState(deps.actionSecret, body.state);
  if (!signed || signed.formId !== body.callback_id) {
    deps.log.warn('mattermost dialog submission with an invalid state rejected');
    sendJson(res, 403, { error: 'invalid state' });
    return;
  }
  const event = formEvent(body, signed, body.cancelled === true ? {} : submissionValues(body.submission, signed.multi));
  if (!event) {
    sendJson(res, 400, { error: 'missing user_id' });
    return;
  }
  if (event.closed) await answerClosedDialog(deps, event, res, started);
  else await answerSubmittedDialog(deps, event, res, started);
}

/** The dialog is gone (the webapp ignores this answer): anything to say goes as a message. */
async function answerClosedDialog(deps: RouteDeps, event: InboundEvent, res: Response, started: number): Promise<void> {
  const channelId = event.channel.id;
  const userId = event.user.id;
  const elog = deps.log.child({ eventId: event.eventId });
  const tell = async (result: DispatchResult | undefined) => {
    if (result?.reply && channelId) await deps.late.ephemeral(channelId, userId, result.reply);
  };
  await dispatchAndAnswer(
    deps,
    event,
    res,
    started,
    async (result) => {
      void tell(result).catch((err: unknown) => elog.error({ err }, 'mattermost ephemeral reply failed'));
      return {};
    },
    { ack: {}, deliver: tell, fail: async () => undefined },
  );
}

/** Validation errors as a message, for when the dialog has closed and cannot show them. */
function errorsAsMessage(errors: Record<string, string>): OutboundMessage {
  const text = Object.entries(errors)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return { body: '', summary: text, fields: Object.entries(errors).map(([label, value]) => ({ label, value })) };
}

async function answerSubmittedDialog(deps: RouteDeps, event: InboundEvent, res: Response, started: number): Promise<void> {
  const channelId = event.channel.id;
  const userId = event.user.id;
  const elog = deps.log.child({ eventId: event.eventId });
  await dispatchAndAnswer(
    deps,
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
}
