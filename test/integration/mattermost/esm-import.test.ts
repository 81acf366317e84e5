import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('Mattermost adapter under plain node ESM', () => {
  // Vitest resolves `import { Client4 } from '@mattermost/client'` happily; node does not (CJS
  // getter re-exports). Load the adapter the way production does to catch that.
  it('imports and builds its clients outside vitest', async () => {
    const script = [
      "const m = await import('./src/chat/mattermost/adapter.ts');",
      "const r = await import('./src/chat/mattermost/rest.ts');",
      "const w = await import('./src/chat/mattermost/websocket.ts');",
      // The command list is derived from commands/ at import time.
      "const c = await import('./commands/index.ts');",
      "if (!c.DAY2_SLASH_COMMANDS.some((x) => x.trigger === 'day2')) throw new Error('no /day2');",
      "new r.MattermostRest({ url: 'http://127.0.0.1:1', token: 't' });",
      'w.ensureWebSocketGlobals();',
      "console.log(typeof m.createMattermostAdapter, typeof globalThis.WebSocket, typeof globalThis.CloseEvent);",
    ].join('\n');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo });
    expect(stdout.trim()).toBe('function function function');
  });
});
