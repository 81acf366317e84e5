/**
 * `POST|GET /mattermost/command`: a custom slash command. The token is checked before anything
 * runs; an answer in time rides on the response, a late one goes to the command's response_url.
 */
import type { Request, Response } from 'express';
import { ephemeralCommandResponse } from './command-hook.js';
import { commandEvent } from './inbound.js';
import { dispatchAndAnswer, failedReply, sendJson, type RouteDeps } from './route-kit.js';
import { safeEqual } from './signing.js';

const WORKING = 'Working on it…';

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

export async function handleCommand(deps: RouteDeps, req: Request, res: Response): Promise<void> {
  const started = performance.now();
  const fields = fieldsOf(req);
  if (!tokenAccepted(commandToken(req, fields), deps.commandTokens)) {
    deps.log.warn({ path: req.path }, 'mattermost command with a missing or unknown token rejected');
    sendJson(res, 401, { error: 'invalid token' });
    return;
  }
  const event = commandEvent(fields);
  if (!event) {
    sendJson(res, 400, { error: 'malformed command: user_id, channel_id and command must be strings' });
    return;
  }
  const channelId = event.channel.id;
  await dispatchAndAnswer(
    deps,
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
}
