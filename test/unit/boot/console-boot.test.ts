/** Start-up pieces of the console: the port check, log lines for people, and delivery routing. */
import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { humanLine } from '../../../src/boot/console-log.js';
import { platformsFor } from '../../../src/boot/console-routing.js';
import { portProblem } from '../../../src/boot/port-check.js';
import { consoleQueueName, routeOf } from '../../../src/delivery/routing.js';

const req = (platform: 'slack' | 'mattermost' | 'console') => ({ key: 'k', revision: 1, target: { platform, channelId: 'c' }, message: { body: 'b', summary: 's' } });

describe('portProblem', () => {
  it('is one line naming the port and the variable when the port is taken, nothing when free', async () => {
    const server: Server = await new Promise((r) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => r(s));
    });
    const port = (server.address() as { port: number }).port;
    const problem = await portProblem(port, '127.0.0.1');
    expect(problem).toBe(`Day2 cannot start: port ${port} is taken (is another Day2 running?). Set PORT to another port, e.g. PORT=${port + 1} npm start`);
    await new Promise((r) => server.close(r));
    expect(await portProblem(port, '127.0.0.1')).toBeUndefined();
  });
});

describe('humanLine', () => {
  it('turns a JSON log line into one readable line', () => {
    expect(humanLine('{"level":40,"time":1,"pid":2,"hostname":"h","name":"day2","job":"d-1","msg":"delivery job failed"}')).toBe('day2 warn: delivery job failed (job=d-1)');
    expect(humanLine('{"level":50,"msg":"boom","err":{"message":"ECONNREFUSED"}}')).toBe('day2 error: boom — ECONNREFUSED');
    expect(humanLine('not json\n')).toBe('not json');
  });
});

describe('delivery routing', () => {
  it('knows the platforms from the settings before any adapter exists', () => {
    expect(platformsFor({ SLACK_BOT_TOKEN: 'xoxb-1', MATTERMOST_URL: undefined, MATTERMOST_TOKEN: undefined }, true)).toEqual(['slack', 'console']);
    expect(platformsFor({ SLACK_BOT_TOKEN: undefined, MATTERMOST_URL: 'https://mm', MATTERMOST_TOKEN: 't' }, false)).toEqual(['mattermost']);
  });

  it('sends console targets to the owning console, skips platforms not running, queues the rest', () => {
    const routing = { running: () => ['slack', 'console'] as const, consoleOwner: 'host-1-abc' };
    expect(routeOf(req('console'), routing)).toEqual({ queue: consoleQueueName('host-1-abc') });
    expect(routeOf(req('slack'), routing)).toEqual({ queue: 'delivery' });
    expect(routeOf(req('mattermost'), routing)).toEqual({ skip: 'mattermost is not connected to this Day2' });
    // A bot without a console sends console targets to the live console, or records them as not sent.
    const noConsole = { running: () => ['slack'] as const };
    expect(routeOf(req('console'), noConsole, 'other-2-def')).toEqual({ queue: consoleQueueName('other-2-def') });
    expect(routeOf(req('console'), noConsole)).toEqual({ skip: 'no console is running' });
    // Without routing (tools, older callers) everything is queued as before.
    expect(routeOf(req('mattermost'), undefined)).toEqual({ queue: 'delivery' });
  });
});
