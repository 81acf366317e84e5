/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on a free loopback port with its own
 * storage folder and clustering off, for tests; stopped by killing exactly the process started.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort, until } from './servers.js';

export const ALERTMANAGER_BIN = '/usr/bin/prometheus-alertmanager';

export interface Alertmanager {
  url: string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** `config` is the YAML of alertmanager.yml. */
export async function startAlertmanager(root: string, config: string, port?: number): Promise<Alertmanager> {
  const p = port ?? (await freePort());
  const dir = join(root, `alertmanager-${p}`);
  await mkdir(join(dir, 'data'), { recursive: true });
  await writeFile(join(dir, 'alertmanager.yml'), config);
  const proc = spawn(
    ALERTMANAGER_BIN,
    [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${p}`, '--cluster.listen-address=', `--web.external-url=http://127.0.0.1:${p}`, '--log.level=warn'],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${p}`;
  await until(`alertmanager on ${p}`, async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok === true, 20_000);
  return {
    url,
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((r) => proc.once('exit', () => r()));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Push alerts through Alertmanager's own API, as Prometheus does. */
export async function pushAlerts(url: string, alerts: { labels: Record<string, string>; annotations?: Record<string, string>; startsAt?: string; endsAt?: string }[]): Promise<void> {
  const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
  if (!res.ok) throw new Error(`alertmanager refused the alerts: ${res.status} ${await res.text()}`);
}
