/**
 * The status page and the on-call page of a whole bot (fake Slack, real Redis) at a steady
 * RATE requests per second, open loop (requests leave on schedule whether or not earlier ones
 * have answered), with 1,000 notices of history on the environment and a rotation that has run
 * for a year with overrides. Baseline in the same run: a bare Node server sending a static file of
 * the same size as each page.
 *
 * Three ways a page is asked for:
 * - render: every request in another viewer zone (more zones than pages kept), so every answer
 *   is rendered afresh; a warm-up meets each zone once first;
 * - repeat: the same address again, answered from the page kept under its ETag;
 * - 304: the same address with If-None-Match (an unchanged page within the minute).
 *
 *   npm run bench:web                  (BENCH_SECONDS=10 BENCH_RATE=100 by default)
 *   BENCH_DRY=1 npm run bench:web      (print only, do not append to RESULTS.md)
 */
import { appendFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Notice } from '../src/domain/notice/notice.js';
import { startBotRig, type BotRig } from '../test/support/bot-rig.js';

const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const NOTICES = 1000;
const DAY = 86_400_000;
const ZONES = Intl.supportedValuesOf('timeZone');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

/** RATE requests a second for SECONDS, open loop; `url(i)` and `headers` per request. */
async function load(url: (i: number) => string, headers: Record<string, string> = {}): Promise<{ p50: number; p99: number; statuses: Map<number, number>; bytes: number }> {
  const total = RATE * SECONDS;
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let bytes = 0;
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    pending.push(
      (async () => {
        const t0 = performance.now();
        const res = await fetch(url(i), { headers });
        const body = await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        bytes = Math.max(bytes, body.byteLength);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      })(),
    );
  }
  await Promise.all(pending);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), statuses, bytes };
}

async function staticServer(body: Buffer): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(body.length) }).end(body));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}

async function seed(rig: BotRig): Promise<void> {
  const store = rig.bot.services.notices!.store;
  const now = Date.now();
  for (let k = 0; k < NOTICES; k++) {
    const id = await store.nextId();
    const created = new Date(now - ((k * 97) % 120) * DAY - k * 60_000);
    const maintenance = k % 3 === 0;
    const open = k < 3;
    const at = created.toISOString();
    const n = {
      id, env: 'prod-east', kind: maintenance ? 'maintenance' : 'outage', classification: 'UNCLASSIFIED', ...(maintenance ? {} : { severity: (['sev1', 'sev2', 'sev3', 'sev4'] as const)[k % 4] }),
      status: open ? (maintenance ? 'scheduled' : 'investigating') : maintenance ? 'completed' : 'resolved',
      summary: `Notice ${k}: ${maintenance ? 'database upgrade' : 'elevated error rate'}`, components: [['api'], ['db'], ['web'], []][k % 4]!,
      ...(maintenance ? { start: at, end: new Date(created.getTime() + 2 * 3_600_000).toISOString() } : {}),
      zone: 'Europe/Berlin', author: { platform: 'slack', userId: 'U0ALICE01', name: 'Alice Admin' }, createdAt: at, updatedAt: new Date(created.getTime() + 3_600_000).toISOString(),
      audience: [], rootRevision: 1, updates: 2, reminders: [], reports: 0,
      timeline: [
        { at, by: 'Alice Admin', event: 'created', status: 'investigating', text: 'We are looking into it.' },
        { at: new Date(created.getTime() + 1_800_000).toISOString(), by: 'Alice Admin', event: 'update', status: 'identified', text: 'Found the cause; fixing.', update: 1 },
        { at: new Date(created.getTime() + 3_600_000).toISOString(), by: 'Alice Admin', event: 'update', status: open ? 'investigating' : 'resolved', text: 'Back to normal.', update: 2 },
      ],
    } as Notice;
    await store.create(n);
  }
  const oncall = rig.bot.services.oncall!;
  for (let d = -300; d < 30; d += 7) {
    const from = new Date(now + d * DAY + 10 * 3_600_000);
    await oncall.addOverride('payments-tribute', { slot: 'primary', person: ['alice', 'bob'][((d + 300) / 7) % 2]!, from, to: new Date(from.getTime() + 8 * 3_600_000) }, new Date());
  }
}

async function main(): Promise<void> {
  const anchor = new Date(Date.now() - 366 * DAY).toISOString().slice(0, 10);
  const rig = await startBotRig({
    extraConfig: () => `
environments:
  - { id: prod-east, name: Production East, timezone: Europe/Berlin, pres: [alice], components: [api, db, web] }
teams:
  - { id: payments, name: Payments, members: [alice, bob], managers: [alice] }
rotations:
  - { id: payments-tribute, team: payments, timezone: Europe/Berlin, anchor: "${anchor} 09:00", turn: 1d, members: [alice, bob] }
web: { rateLimitPerMinute: 1000000 }
`,
  });
  try {
    await seed(rig);
    const links = rig.bot.services.webLinks!;
    const pages = {
      status: (await links.linkFor('status', 'prod-east', 'alice', new Date(), DAY)).path,
      oncall: (await links.linkFor('oncall', 'payments', 'alice', new Date(), DAY)).path,
    };
    const rows: string[] = [];
    for (const [name, path] of Object.entries(pages)) {
      const fixed = `${rig.appUrl}${path}&tz=Europe/Berlin`;
      const first = await fetch(fixed);
      const body = Buffer.from(await first.arrayBuffer());
      const base = await staticServer(body);
      try {
        const file = await load(() => base.url);
        const zoned = (i: number) => `${rig.appUrl}${path}&tz=${encodeURIComponent(ZONES[i % ZONES.length]!)}`;
        // Warm-up: every zone once, so the measure is rendering, not a process meeting a zone for the first time.
        for (let i = 0; i < ZONES.length; i++) await (await fetch(zoned(i))).arrayBuffer();
        const render = await load(zoned);
        const repeat = await load(() => fixed);
        // The ETag names the minute shown as now: take it just before asking with it.
        const etag = (await fetch(fixed)).headers.get('etag')!;
        const notModified = await load(() => fixed, { 'if-none-match': etag });
        const r = (x: number) => (x / file.p99).toFixed(2);
        const codes = (m: Map<number, number>) => [...m].map(([s, n]) => `${n}×${s}`).join(', ');
        rows.push(`| ${name} (${(body.length / 1024).toFixed(0)} KB) | ${file.p50.toFixed(1)} / ${file.p99.toFixed(1)} | ${render.p50.toFixed(1)} / ${render.p99.toFixed(1)} | **${r(render.p99)}** | ${repeat.p99.toFixed(1)} (**${r(repeat.p99)}**) | ${notModified.p99.toFixed(1)} (**${r(notModified.p99)}**) | ${codes(render.statuses)}; ${codes(notModified.statuses)} |`);
      } finally {
        await base.close();
      }
    }
    const text = `## web-pages — ${new Date().toISOString()}

Command: \`npm run bench:web\` — ${RATE} requests/s for ${SECONDS} s per measure, open loop, against a whole bot (fake Slack, real Redis): the status page of an environment with ${NOTICES} notices of history (a third maintenance, three open) and the on-call page of a two-person daily rotation that has run for a year with weekly overrides. Baseline in the same run: a bare Node server sending a static file of the page's size. "render": each request in another of the ${ZONES.length} viewer zones, cycled (every answer rendered afresh; each zone met once in a warm-up first); "repeat": the same address (the page kept under its ETag); "304": with If-None-Match. Node ${process.version}, 2 shared cores.

| page | static file p50 / p99 ms | render p50 / p99 ms | render p99 / static p99 | repeat p99 ms (ratio) | 304 p99 ms (ratio) | answers |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}
`;
    console.log(text);
    if (process.env.BENCH_DRY !== '1') await appendFile(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), `\n${text}`);
  } finally {
    await rig.close();
  }
}

await main();
