/**
 * The Slack app manifest requests a scope for every Web API method the Slack adapter calls, as
 * Slack's spec names them: a method added to the adapter without its scope in the manifest (or a
 * manifest scope nothing uses) fails here, before an installed app answers `missing_scope`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { manifestBotScopes, scopesFor } from '../../../fakes/slack-scopes.js';

const slackDir = fileURLToPath(new URL('../../../../src/chat/slack/', import.meta.url));

/** Every `slackCall('<method>', …)` in the Slack adapter's sources: the calls Day2 makes. */
function calledMethods(): string[] {
  const methods = new Set<string>();
  for (const file of readdirSync(slackDir).filter((f) => f.endsWith('.ts'))) {
    for (const m of readFileSync(`${slackDir}${file}`, 'utf8').matchAll(/slackCall\(\s*'([a-zA-Z.]+)'/g)) methods.add(m[1]!);
  }
  return [...methods].sort();
}

/** Scopes for things other than a Web API method: slash commands, posting where the bot was not invited. */
const NOT_FOR_A_METHOD = new Set(['commands', 'chat:write.public']);

describe('slack-app-manifest.yaml scopes', () => {
  const methods = calledMethods();
  const granted = manifestBotScopes();

  it('finds the adapter calls, the on-duty group methods among them', () => {
    expect(methods).toEqual(expect.arrayContaining(['chat.postMessage', 'usergroups.list', 'usergroups.users.update', 'usergroups.create', 'usergroups.disable', 'usergroups.enable']));
  });

  it('grants a scope for every method the adapter calls', () => {
    // apps.connections.open uses the app-level token (connections:write), not the bot's.
    const missing = methods.filter((m) => m !== 'apps.connections.open').filter((m) => scopesFor(m).length > 0 && !scopesFor(m).some((s) => granted.includes(s)));
    expect(missing.map((m) => `${m} needs one of ${scopesFor(m).join(', ')}`)).toEqual([]);
  });

  it('asks for no scope that no call needs', () => {
    const used = new Set(methods.flatMap((m) => scopesFor(m)));
    expect(granted.filter((s) => !used.has(s) && !NOT_FOR_A_METHOD.has(s))).toEqual([]);
  });
});
