/**
 * Bolt listeners: every Slack request becomes one neutral event handed to `dispatch`, and Slack's
 * 3-second acknowledgement is handled here so it never reaches the core.
 *
 * Commands and modal submissions wait for the dispatcher up to the ack budget, so a quick answer
 * rides on the ack itself (and form errors can keep a modal open). When the dispatcher is slower,
 * Slack gets a short "Working on it…" ack in time and the answer follows as an ephemeral message.
 * Button clicks are acked at once (Slack ignores an ack body for them) and answered afterwards.
 */
import type { App, RespondArguments } from '@slack/bolt';
import type { OutboundMessage } from '../message.js';
import type { InboundEvent } from '../port.js';
import { arrival, ListenerKit, requestDigest, plainMessage, settledDispatch, type ListenerDeps, type Settled } from './listener-kit.js';
import { buttonEvent, commandEvent, directMessageEvent, formClosedEvent, formEvent, type SlackMessageEvent } from './inbound.js';

export type { ListenerDeps, Replier } from './listener-kit.js';

export const WORKING_TEXT = 'Working on it…';
export const FAILED_TEXT = 'Sorry, that did not work because of a problem on our side. Please try again in a moment.';
export const NOT_READY_TEXT = 'Day2 is starting up. Please try again in a few seconds.';

export function registerListeners(app: App, deps: ListenerDeps): void {
  const kit = new ListenerKit(deps);
  onSlashCommand(app, kit);
  onButtonClick(app, kit);
  onModalSubmission(app, kit);
  onModalClosed(app, kit);
  onDirectMessage(app, kit);
  app.error(async (err) => {
    deps.log.error({ err }, 'slack: unhandled error in a listener');
  });
}

/** The ack body for a command whose dispatch settled within the budget. */
function commandAckBody(kit: ListenerKit, early: Settled, eventId: string): RespondArguments | undefined {
  if (!early.ok) {
    kit.failed(early.error, eventId);
    return { response_type: 'ephemeral', text: FAILED_TEXT };
  }
  if (!early.value.reply) return undefined;
  try {
    return kit.ephemeralBody(early.value.reply);
  } catch (err) {
    kit.failed(err, eventId);
    return { response_type: 'ephemeral', text: FAILED_TEXT };
  }
}

function onSlashCommand(app: App, kit: ListenerKit): void {
  app.command(/.*/, async ({ command, ack, respond, context }) => {
    const since = arrival(context);
    const dispatch = kit.deps.dispatch();
    if (!dispatch) {
      await ack({ response_type: 'ephemeral', text: NOT_READY_TEXT });
      kit.observeAck(since);
      return;
    }
    const event = commandEvent(command, requestDigest(context, command), context.retryNum);
    const pending = settledDispatch(dispatch, event);
    const early = await kit.within(pending, since);
    if (early) {
      await ack(commandAckBody(kit, early, event.eventId));
      kit.observeAck(since);
      return;
    }
    await ack({ response_type: 'ephemeral', text: WORKING_TEXT });
    kit.observeAck(since);
    const late = await pending;
    if (!late.ok) {
      kit.failed(late.error, event.eventId);
      await kit.answer(event.channel.id, event.user.id, plainMessage(FAILED_TEXT), respond);
    } else if (late.value.reply) {
      await kit.answer(event.channel.id, event.user.id, late.value.reply, respond);
    }
  });
}

function onButtonClick(app: App, kit: ListenerKit): void {
  app.action({ type: 'block_actions' }, async ({ body, ack, respond, context }) => {
    const since = arrival(context);
    await ack();
    kit.observeAck(since);
    const event = buttonEvent(body, requestDigest(context, body), context.retryNum);
    const dispatch = kit.deps.dispatch();
    if (!event || !dispatch) return;
    const done = await settledDispatch(dispatch, event);
    if (!done.ok) {
      kit.failed(done.error, event.eventId);
      await kit.answer(event.channel.id, event.user.id, plainMessage(FAILED_TEXT), respond);
      return;
    }
    const { updateMessage, reply } = done.value;
    if (updateMessage && event.message) {
      try {
        // Ephemeral messages have no ts Slack can update; only their response_url can replace them.
        if ((body.container as { is_ephemeral?: boolean }).is_ephemeral) await respond({ ...kit.ephemeralBody(updateMessage), replace_original: true });
        else await kit.deps.replier.update(event.message, updateMessage);
      } catch (err) {
        kit.deps.log.error({ err, eventId: event.eventId }, 'slack: could not update the message the button was on');
      }
    }
    if (reply) await kit.answer(event.channel.id, event.user.id, reply, respond);
  });
}

/** After a submission's ack: form errors the modal could not show, then any reply, as messages. */
async function tellSubmissionOutcome(kit: ListenerKit, event: InboundEvent, formErrors: Record<string, string> | undefined, reply: OutboundMessage | undefined): Promise<void> {
  if (formErrors && Object.keys(formErrors).length > 0) await kit.answer(event.channel.id, event.user.id, formErrorsMessage(formErrors));
  if (reply) await kit.answer(event.channel.id, event.user.id, reply);
}

function onModalSubmission(app: App, kit: ListenerKit): void {
  app.view({ type: 'view_submission' }, async ({ body, ack, context }) => {
    const since = arrival(context);
    if (body.type !== 'view_submission') {
      await ack();
      return;
    }
    const dispatch = kit.deps.dispatch();
    if (!dispatch) {
      const errors = errorsFor({ _form: NOT_READY_TEXT }, body.view.blocks);
      await ack(Object.keys(errors).length > 0 ? { response_action: 'errors', errors } : undefined);
      kit.observeAck(since);
      return;
    }
    const event = formEvent(body, requestDigest(context, body), context.retryNum);
    const pending = settledDispatch(dispatch, event);
    const early = await kit.within(pending, since);
    if (early) {
      const formErrors = early.ok ? early.value.formErrors : { _form: FAILED_TEXT };
      if (!early.ok) kit.failed(early.error, event.eventId);
      const errors = formErrors ? errorsFor(formErrors, body.view.blocks) : {};
      if (Object.keys(errors).length > 0) {
        // The modal stays open with the messages under the fields.
        await ack({ response_action: 'errors', errors });
        kit.observeAck(since);
        return;
      }
      await ack();
      kit.observeAck(since);
      // A view without input blocks cannot show errors; say it in a message instead.
      await tellSubmissionOutcome(kit, event, formErrors, early.ok ? early.value.reply : undefined);
      return;
    }
    // Too slow to keep the modal open: close it now and report the outcome as a message.
    await ack();
    kit.observeAck(since);
    const late = await pending;
    if (!late.ok) {
      kit.failed(late.error, event.eventId);
      await kit.answer(event.channel.id, event.user.id, plainMessage(FAILED_TEXT));
      return;
    }
    await tellSubmissionOutcome(kit, event, late.value.formErrors, late.value.reply);
  });
}

// A closed modal: Slack ignores the ack body, so ack at once; anything to say goes as a message.
function onModalClosed(app: App, kit: ListenerKit): void {
  app.view({ type: 'view_closed' }, async ({ body, ack, context }) => {
    const since = arrival(context);
    await ack();
    kit.observeAck(since);
    const dispatch = kit.deps.dispatch();
    if (body.type !== 'view_closed' || !dispatch) return;
    const event = formClosedEvent(body, context.retryNum);
    const done = await settledDispatch(dispatch, event);
    if (!done.ok) {
      kit.failed(done.error, event.eventId);
      return;
    }
    if (done.value.reply) await kit.answer(event.channel.id, event.user.id, done.value.reply);
  });
}

function onDirectMessage(app: App, kit: ListenerKit): void {
  app.event('message', async ({ event, body, context }) => {
    // Events are acked by Bolt before listeners run.
    kit.observeAck(arrival(context));
    const dm = directMessageEvent(body as { event_id?: string; team_id?: string }, event as SlackMessageEvent, kit.deps.botUserId, context.retryNum);
    const dispatch = kit.deps.dispatch();
    if (!dm || !dispatch) return;
    const done = await settledDispatch(dispatch, dm);
    if (!done.ok) {
      kit.failed(done.error, dm.eventId);
      return;
    }
    if (done.value.reply) {
      try {
        await kit.deps.replier.post(dm.channel.id, done.value.reply);
      } catch (err) {
        kit.deps.log.error({ err, eventId: dm.eventId }, 'slack: could not answer a direct message');
      }
    }
  });
}

function formErrorsMessage(formErrors: Record<string, string>): OutboundMessage {
  const lines = Object.entries(formErrors).map(([field, msg]) => (field === '_form' ? `• ${msg}` : `• ${field}: ${msg}`));
  return plainMessage(`The form was not saved:\n${lines.join('\n')}`);
}

/**
 * Form errors keyed by field name -> `response_action: errors` keyed by block id (the same, see
 * form.ts). Slack rejects errors for block ids that are not input blocks of the view, so errors
 * for unknown keys (e.g. a whole-form error) are shown on the first input instead.
 */
export function errorsFor(formErrors: Record<string, string>, blocks: { type: string; block_id?: string }[]): Record<string, string> {
  const inputs = blocks.filter((b) => b.type === 'input' && b.block_id).map((b) => b.block_id!);
  const out: Record<string, string> = {};
  const stray: string[] = [];
  for (const [key, msg] of Object.entries(formErrors)) {
    if (inputs.includes(key)) out[key] = out[key] ? `${out[key]} ${msg}` : msg;
    else stray.push(msg);
  }
  const first = inputs[0];
  if (stray.length > 0 && first) out[first] = [out[first], ...stray].filter(Boolean).join(' ');
  return out;
}
