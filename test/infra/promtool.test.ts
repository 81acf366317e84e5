/**
 * `promtool check metrics` (Debian package `prometheus`) on the real /metrics output of a running
 * bot: names, help texts, units and suffixes as Prometheus expects them. The bot handles a
 * command first so labelled counters and histograms have samples, not just declarations.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SLACK_ALICE, SLACK_CHANNEL, startBotRig, type BotRig } from '../support/bot-rig.js';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

function promtoolMissing(): string | undefined {
  const probe = spawnSync(PROMTOOL, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return `promtool not found (${probe.error?.message ?? `exit ${probe.status}`}): install it with \`apt-get install -y prometheus\` (Debian) or set PROMTOOL to its path`;
  }
  return undefined;
}

/** Feed `text` to `promtool check metrics` on stdin; its verdict and everything it printed. */
function checkMetrics(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(PROMTOOL, ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
    child.stdin.end(text);
  });
}

let rig: BotRig;

beforeAll(async () => {
  rig = await startBotRig();
});

afterAll(async () => {
  await rig?.close();
});

describe('promtool check metrics', () => {
  it('reports no problem on the /metrics of a running bot', async () => {
    const missing = promtoolMissing();
    if (missing) throw new Error(missing);
    const cmd = await rig.slack.sendCommand({ command: '/day2', text: 'help', user_id: SLACK_ALICE, channel_id: SLACK_CHANNEL });
    expect(cmd.status).toBe(200);

    const res = await fetch(`${rig.appUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // The output checked is the real one: Day2's own metrics, with samples.
    expect(text).toMatch(/^day2_commands_total\{/m);
    expect(text).toMatch(/^day2_ack_latency_seconds_bucket\{/m);
    expect(text).toMatch(/^day2_queue_depth_age_seconds /m);

    const verdict = await checkMetrics(text);
    expect(verdict.output.trim(), `promtool check metrics complained:\n${verdict.output}`).toBe('');
    expect(verdict.code).toBe(0);
  });
});
