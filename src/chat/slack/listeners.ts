/**
 * Bolt listeners: every Slack request becomes one neutral event handed to `dispatch`, and Slack's
 * 3-second acknowledgement is handled here so it never reaches the core.
 *
 * Commands and modal submissions wait for the dispatcher up to the ack budget, so a quick answer
 * rides on the ack itself (and form errors can keep a modal open). When the dispatcher is slower,
 * Slack gets a short "Working on it…" ack in time and the answer follows as an ephemeral message.
 * Button clicks are acked at once (Slack ignores an ack body for them) and answered afterwards.
 */
import { performance } from 'node:perf_hooks';
import type { App, RespondArguments, RespondFn } from '@slack/bolt';
import type { OutboundMessage } from '../message.js';
import type { Dispatch, DispatchResult, MessageRef, RenderTarget } from '../port.js';
import { Day2Error } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';
import { escapeMarkup } from '../../render/markup.js';
import { buttonEvent, commandEvent, directMessageEvent, formClosedEvent, formEvent, type SlackMessageEvent } from './inbound.js';
import { RECEIVED_AT } from './receiver.js';

export const WORKING_TEXT = 'Working on it…';
export const FAILED_TEXT = 'Sorry, that did not work because of a problem on our side. Please try again in a moment.';
export const NOT_READY_TEXT = 'Day2 is starting up. Please try again in a few seconds.';

/** What the listeners need from the adapter to answer after the ack. */
export interface Replier {
  render(message: OutboundMessage, target?: RenderTarget): { text: string; blocks: Record<string, unknown>[] };
  post(channelId: string, message: OutboundMessage): Promise<MessageRef>;
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
  ephemeral(channelId: string, userId: string, message: OutboundMessage): Promise<void>;
  dm(userId: string, message: OutboundMessage): Promise<MessageRef>;
}

export interface ListenerDeps {
  dispatch: () => Dispatch | undefined;
  replier: Replier;
  botUserId: string;
  ackBudgetMs: number;
  log: Logger;
  metrics: Metrics;
}

type Settled = { ok: true; value: DispatchResult } | { ok: false; error: unknown };

/** A fixed or dispatcher-provided text as a message; escaped so none of it is read as markup. */
const plainMessage = (text: string): OutboundMessage => ({ body: escapeMarkup(text), summary: text });

export function registerListeners(app: App, deps: ListenerDeps): void {
  const { log, metrics } = deps;

  const arrival = (context: Record<string, unknown>) => (typeof context[RECEIVED_AT] === 'number' ? (context[RECEIVED_AT] as number) : performance.now());
  const observeAck = (since: number) => metrics.ackLatency.observe({ platform: 'slack' }, (performance.now() - since) / 1000);

  /** Dispatch without ever rejecting, so a late failure is not an unhandled rejection. */
  const run = (dispatch: Dispatch, event: Parameters<Dispatch>[0]): Promise<Settled> =>
    dispatch(event).then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );

  /** The settled result if it arrives before the budget (counted from arrival) runs out. */
  const within = async (p: Promise<Settled>, since: number): Promise<Settled | undefined> => {
    const left = Math.max(0, deps.ackBudgetMs - (performance.now() - since));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), left);
    });
    try {
      return await Promise.race([p, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  const ephemeralBody = (message: OutboundMessage): RespondArguments => {
    const { text, blocks } = deps.replier.render(message);
    return { response_type: 'ephemeral', text, blocks } as RespondArguments;
  };

  /**
   * An answer to one person after the ack: ephemeral in the channel; if Slack refuses that (the
   * bot is not in a private channel, a DM between two other people), through the request's
   * response_url; failing that, as a DM.
   */
  const answer = async (channelId: string, userId: string, message: OutboundMessage, respond?: RespondFn): Promise<void> => {
    const attempts: [string, () => Promise<unknown>][] = [];
    if (channelId) attempts.push(['chat.postEphemeral', () => deps.replier.ephemeral(channelId, userId, message)]);
    if (respond) attempts.push(['response_url', () => respond({ ...ephemeralBody(message), replace_original: false })]);
    attempts.push(['dm', () => deps.replier.dm(userId, message)]);
    for (const [how, attempt] of attempts) {
      try {
        await attempt();
        return;
      } catch (err) {
        log.warn({ err, how, channelId, userId }, 'slack: could not deliver an answer this way, trying the next');
      }
    }
    log.error({ channelId, userId }, 'slack: answer could not be delivered');
  };

  const failed = (err: unknown, eventId: string) => {
    // Dispatch should turn domain failures into replies itself; this is the last resort.
    log.error({ err, eventId, code: err instanceof Day2Error ? err.code : undefined }, 'slack: dispatch failed');
  };

  app.command(/.*/, async ({ command, ack, respond, context }) => {
    const since = arrival(context);
    const dispatch = deps.dispatch();
    if (!dispatch) {
      await ack({ response_type: 'ephemeral', text: NOT_READY_TEXT });
      observeAck(since);
      return;
    }
    const event = commandEvent(command, context.retryNum);
    const pending = run(dispatch, event);
    const early = await within(pending, since);
    if (early) {
      let body: RespondArguments | undefined;
      if (!early.ok) {
        failed(early.error, event.eventId);
        body = { response_type: 'ephemeral', text: FAILED_TEXT };
      } else if (early.value.reply) {
        try {
          body = ephemeralBody(early.value.reply);
        } catch (err) {
          failed(err, event.eventId);
          body = { response_type: 'ephemeral', text: FAILED_TEXT };
        }
      }
      await ack(body);
      observeAck(since);
      return;
    }
    await ack({ response_type: 'ephemeral', text: WORKING_TEXT });
    observeAck(since);
    const late = await pending;
    if (!late.ok) {
      failed(late.error, event.eventId);
      await answer(event.channel.id, event.user.id, plainMessage(FAILED_TEXT), respond);
    } else if (late.value.reply) {
      await answer(event.channel.id, event.user.id, late.value.reply, respond);
    }
  });

  app.action({ type: 'block_actions' }, async ({ body, ack, respond, context }) => {
    const since = arrival(context);
    await ack();
    observeAck(since);
    const event = buttonEvent(body, context.retryNum);
    const dispatch = deps.dispatch();
    if (!event || !dispatch) return;
    const done = await run(dispatch, event);
    if (!done.ok) {
      failed(done.error, event.eventId);
      await answer(event.channel.id, event.user.id, plainMessage(FAILED_TEXT), respond);
      return;
    }
    const { updateMessage, reply } = done.value;
    if (updateMessage && event.message) {
      try {
        // Ephemeral messages have no ts Slack can update; only their response_url can replace them.
        if ((body.container as { is_ephemeral?: boolean }).is_ephemeral) await respond({ ...ephemeralBody(updateMessage), replace_original: true });
        else await deps.replier.update(event.message, updateMessage);
      } catch (err) {
        log.error({ err, eventId: event.eventId }, 'slack: could not update the message the button was on');
      }
    }
    if (reply) await answer(event.channel.id, event.user.id, reply, respond);
  });

  app.view({ type: 'view_submission' }, async ({ body, ack, context }) => {
    const since = arrival(context);
    if (body.type !== 'view_submission') {
      await ack();
      return;
    }
    const dispatch = deps.dispatch();
    if (!dispatch) {
      const errors = errorsFor({ _form: NOT_READY_TEXT }, body.view.blocks);
      await ack(Object.keys(errors).length > 0 ? { response_action: 'errors', errors } : undefined);
      observeAck(since);
      return;
    }
    const event = formEvent(body, context.retryNum);
    const pending = run(dispatch, event);
    const early = await within(pending, since);
    if (early) {
      const formErrors = early.ok ? early.value.formErrors : { _form: FAILED_TEXT };
      if (!early.ok) failed(early.error, event.eventId);
      const errors = formErrors ? errorsFor(formErrors, body.view.blocks) : {};
      if (Object.keys(errors).length > 0) {
        // The modal stays open with the messages under the fields.
        await ack({ response_action: 'errors', errors });
        observeAck(since);
        return;
      }
      await ack();
      observeAck(since);
      // A view without input blocks cannot show errors; say it in a message instead.
      if (formErrors && Object.keys(formErrors).length > 0) await answer(event.channel.id, event.user.id, formErrorsMessage(formErrors));
      if (early.ok && early.value.reply) await answer(event.channel.id, event.user.id, early.value.reply);
      return;
    }
    // Too slow to keep the modal open: close it now and report the outcome as a message.
    await ack();
    observeAck(since);
    const late = await pending;
    if (!late.ok) {
      failed(late.error, event.eventId);
      await answer(event.channel.id, event.user.id, plainMessage(FAILED_TEXT));
      return;
    }
    const { formErrors, reply } = late.value;
    if (formErrors && Object.keys(formErrors).length > 0) await answer(event.channel.id, event.user.id, formErrorsMessage(formErrors));
    if (reply) await answer(event.channel.id, event.user.id, reply);
  });

  // A closed modal: Slack ignores the ack body, so ack at once; anything to say goes as a message.
  app.view({ type: 'view_closed' }, async ({ body, ack, context }) => {
    const since = arrival(context);
    await ack();
    observeAck(since);
    const dispatch = deps.dispatch();
    if (body.type !== 'view_closed' || !dispatch) return;
    const event = formClosedEvent(body, context.retryNum);
    const done = await run(dispatch, event);
    if (!done.ok) {
      failed(done.error, event.eventId);
      return;
    }
    if (done.value.reply) await answer(event.channel.id, event.user.id, done.value.reply);
  });

  app.event('message', async ({ event, body, context }) => {
    // Events are acked by Bolt before listeners run.
    observeAck(arrival(context));
    const dm = directMessageEvent(body as { event_id?: string; team_id?: string }, event as SlackMessageEvent, deps.botUserId, context.retryNum);
    const dispatch = deps.dispatch();
    if (!dm || !dispatch) return;
    const done = await run(dispatch, dm);
    if (!done.ok) {
      failed(done.error, dm.eventId);
      return;
    }
    if (done.value.reply) {
      try {
        await deps.replier.post(dm.channel.id, done.value.reply);
      } catch (err) {
        log.error({ err, eventId: dm.eventId }, 'slack: could not answer a direct message');
      }
    }
  });

  app.error(async (err) => {
    log.error({ err }, 'slack: unhandled error in a listener');
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
