/**
 * Answering a slash command after its HTTP response has gone. Mattermost gives every custom
 * command a `response_url` (`<SiteURL>/hooks/commands/<id>`, upstream app/command.go) that takes a
 * CommandResponse for 30 minutes and up to 5 times (model/command_webhook.go, store TryUse), with
 * no credentials: the id is the secret. Unlike POST /posts/ephemeral it needs no admin rights,
 * and the answer lands where the command was typed (thread included).
 */
import type { PostFields } from './render.js';
import { mapHttpError, mapNetworkError, type CallContext } from './error-mapping.js';

const HOOK_PATH = /\/hooks\/commands\/([A-Za-z0-9]+)$/;

/** The JSON a command answers with, in time or later: ephemeral, rendered by Day2 as is. */
export function ephemeralCommandResponse(fields: PostFields | undefined): Record<string, unknown> {
  // skip_slack_parsing: Slack-style `<!channel>` in echoed user text must stay text.
  return fields ? { response_type: 'ephemeral', text: fields.message, props: fields.props, skip_slack_parsing: true } : { response_type: 'ephemeral', text: '' };
}

/** The hook id in a command's `response_url`, or undefined when it is not one. */
export function commandHookId(responseUrl: unknown): string | undefined {
  if (typeof responseUrl !== 'string' || responseUrl === '') return undefined;
  let path: string;
  try {
    path = new URL(responseUrl).pathname;
  } catch {
    return undefined;
  }
  return HOOK_PATH.exec(path)?.[1];
}

/**
 * POST `body` to the command hook `hookId` on the configured server. Only the id is taken from
 * the request: the URL itself carries the SiteURL, which may be an address Day2 cannot reach
 * (or, in a forged request, any address at all). Failures come out as Day2 errors.
 */
export async function postToCommandHook(serverUrl: string, hookId: string, body: Record<string, unknown>, timeoutMs: number): Promise<void> {
  const path = `/hooks/commands/${hookId}`;
  const ctx: CallContext = { method: 'POST', path, creates: true, posting: false };
  let res: Response;
  try {
    res = await fetch(`${serverUrl.replace(/\/+$/, '')}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw mapNetworkError(err, ctx);
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return;
  let data: unknown = text;
  try {
    data = JSON.parse(text);
  } catch {
    // A plain-text body (a proxy, or the rate limiter) is described as text.
  }
  throw mapHttpError(res.status, res.headers, data, ctx);
}
