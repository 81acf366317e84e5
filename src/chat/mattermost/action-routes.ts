/**
 * `POST /mattermost/actions`: button clicks and dialog submissions (or cancellations). Each is
 * validated, checked against its signature and against Mattermost (action-checks.ts) before
 * anything runs, then dispatched and answered within the ack budget; whatever comes later is
 * sent through the API.
 */
import type { Request, Response } from 'express';
import type { OutboundMessage } from '../message.js';
import type { DispatchResult, InboundEvent } from '../port.js';
import { buttonBody, checkClick, checkDialog, dialogBody, type ButtonBody, type DialogBody } from './action-checks.js';
import { submissionValues } from './dialog.js';
import { buttonEvent, formEvent } from './inbound.js';
import { dispatchAndAnswer, FAILED, failedReply, sendJson, type RouteDeps } from './route-kit.js';

/** Button click or dialog submission, told apart by the body's `type`; any other shape is a 400. */
export async function handleAction(deps: RouteDeps, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  const raw: unknown = req.body;
  const isDialog = typeof raw === 'object' && raw !== null && (raw as Record<string, unknown>).type === 'dialog_submission';
  if (isDialog) {
    const body = dialogBody.safeParse(raw);
    if (body.success) await handleDialog(deps, body.data, res, started);
    else sendJson(res, 400, { error: 'malformed dialog submission' });
    return;
  }
  const body = buttonBody.safeParse(raw);
  if (body.success) await handleButton(deps, body.data, res, started);
  else sendJson(res, 400, { error: 'malformed action request' });
}

async function handleButton(deps: RouteDeps, body: ButtonBody, res: Response, started: number): Promise<void> {
  const channelId = body.channel_id;
  const checked = await checkClick(deps.identity, deps.actionSecret, body, deps.log);
  if (!checked.ok) {
    if (checked.forbidden) {
      deps.log.warn({ channelId }, 'mattermost button click with an invalid signature rejected');
      sendJson(res, 403, { error: 'invalid context' });
    } else sendJson(res, 200, { ephemeral_text: checked.text, skip_slack_parsing: true });
    return;
  }
  const click = checked.value;
  const event = buttonEvent(body, click);
  if (!event) {
    sendJson(res, 400, { error: 'missing channel_id' });
    return;
  }
  // An update keeps the post's key and audience, so its new buttons still verify against it.
  const bind = { key: click.key, ...(click.audience ? { audience: click.audience } : {}) };
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
      if (result?.updateMessage) answer.update = await deps.render(result.updateMessage, channelId, undefined, bind);
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

async function handleDialog(deps: RouteDeps, body: DialogBody, res: Response, started: number): Promise<void> {
  const checked = await checkDialog(deps.identity, deps.actionSecret, body, deps.log);
  if (!checked.ok) {
    if (checked.forbidden) {
      deps.log.warn('mattermost dialog submission with an invalid state rejected');
      sendJson(res, 403, { error: 'invalid state' });
    } else sendJson(res, 200, body.cancelled === true ? {} : { error: checked.text });
    return;
  }
  const { signed, user } = checked.value;
  const event = formEvent(body, signed, body.cancelled === true ? {} : submissionValues(body.submission, signed.multi), user);
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
