/**
 * The Slack app manifest offers exactly the slash commands Day2 answers: the root command plus
 * every family alias. A family that gains an alias without a manifest entry (or a manifest entry
 * left behind for a command that does not exist) fails here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { allFamilies } from '../../../commands/index.js';
import { ROOT_COMMAND } from '../../../src/dispatch/registry.js';

interface ManifestCommand {
  command?: unknown;
  url?: unknown;
  description?: unknown;
  should_escape?: unknown;
}

const manifest = parse(readFileSync(fileURLToPath(new URL('../../../slack-app-manifest.yaml', import.meta.url)), 'utf8')) as {
  features?: { slash_commands?: ManifestCommand[] };
  settings?: { interactivity?: { request_url?: unknown } };
};
const entries = manifest.features?.slash_commands ?? [];
const declared = [ROOT_COMMAND, ...allFamilies.flatMap((f) => f.aliases)];

describe('slack-app-manifest.yaml', () => {
  it('lists exactly /day2 and every family alias, each once', () => {
    const listed = entries.map((c) => c.command);
    expect(new Set(listed).size).toBe(listed.length);
    expect(new Set(listed)).toEqual(new Set(declared));
  });

  it('sends every command to the one events endpoint, escaped, with a description', () => {
    const endpoint = manifest.settings?.interactivity?.request_url;
    expect(endpoint).toMatch(/\/slack\/events$/);
    for (const c of entries) {
      expect(c.url, String(c.command)).toBe(endpoint);
      expect(c.should_escape, String(c.command)).toBe(true);
      expect(typeof c.description === 'string' && c.description.trim() !== '', String(c.command)).toBe(true);
    }
  });
});
