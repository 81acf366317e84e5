/**
 * OAuth scopes: what each Web API method needs (from Slack's spec) and what Day2's app asks for
 * (slack-app-manifest.yaml). The fake Slack grants the manifest's scopes by default and answers
 * `missing_scope` like Slack when a method needs one it was not granted, so a method the adapter
 * starts calling without a manifest scope fails every test that reaches it.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { specScopes } from './slack-spec.js';

/**
 * The 2020 spec still names the classic scopes of chat.*; granular bot tokens hold `chat:write`
 * in their place (https://docs.slack.dev/reference/scopes/chat.write).
 */
const GRANULAR: Record<string, string> = { 'chat:write:bot': 'chat:write', 'chat:write:user': 'chat:write' };

/** Any one of these scopes lets a bot token call `method` (empty: no scope needed). */
export function scopesFor(method: string): string[] {
  const declared = specScopes(method).filter((s) => s !== 'none');
  return [...new Set(declared.map((s) => GRANULAR[s] ?? s))];
}

let manifestScopes: string[] | undefined;

/** The bot scopes slack-app-manifest.yaml requests. */
export function manifestBotScopes(): string[] {
  if (!manifestScopes) {
    const file = fileURLToPath(new URL('../../slack-app-manifest.yaml', import.meta.url));
    const manifest = parse(readFileSync(file, 'utf8')) as { oauth_config?: { scopes?: { bot?: string[] } } };
    manifestScopes = manifest.oauth_config?.scopes?.bot ?? [];
  }
  return manifestScopes;
}

/** The scope to report as `needed` when `granted` holds none of those `method` takes; undefined when allowed. */
export function missingScope(method: string, granted: readonly string[]): string | undefined {
  const any = scopesFor(method);
  if (any.length === 0 || any.some((s) => granted.includes(s))) return undefined;
  return any[0];
}
