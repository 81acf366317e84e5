/**
 * `day2 import opsgenie|pagerduty|grafana-oncall`: read another on-call tool's schedules (read-only),
 * print the plan, prove the result against the source's own timeline, and write a day2.yaml
 * fragment. Nothing is applied silently: the fragment is for review and git; overrides reach Day2
 * only with --apply-overrides.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import { formatProblems, parseConfig } from '../../config.js';
import { buildFragment, type Fragment } from '../../domain/import/fragment.js';
import { matchPeople } from '../../domain/import/people.js';
import { createTextRenderer, type TextRenderer } from '../../render/text.js';
import { SourceError, sourceClient } from './http.js';
import { planText } from './plan.js';
import { compareSchedule, parseMerged } from './verify.js';
import type { ImportIo, Vendor } from './vendor.js';

export type { ImportIo } from './vendor.js';

const VENDORS = ['opsgenie', 'pagerduty', 'grafana-oncall'] as const;
const HORIZON_MS = 8 * 7 * 86_400_000;

export interface ImportArgs {
  vendor: (typeof VENDORS)[number];
  schedule?: string;
  url?: string;
  config?: string;
  out?: string;
  now?: number;
  applyOverrides: boolean;
  acceptDifferences: boolean;
}

const VALUE_FLAGS = new Set(['--schedule', '--url', '--config', '--out', '--now']);
const BOOL_FLAGS = new Set(['--dry-run', '--apply-overrides', '--accept-differences']);

/** What is wrong with the command line: templates/import/bad-arguments.hbs words each. */
export type ArgsProblem =
  | { problem: 'no-source' }
  | { problem: 'unknown-source'; source: string }
  | { problem: 'needs-value' | 'unknown-option'; option: string }
  | { problem: 'dry-run-and-apply' }
  | { problem: 'bad-now'; value: string };

export function parseImportArgs(argv: readonly string[]): { ok: true; args: ImportArgs } | { ok: false; problem: ArgsProblem } {
  const [vendor, ...rest] = argv;
  if (!VENDORS.includes(vendor as ImportArgs['vendor'])) return { ok: false, problem: vendor === undefined ? { problem: 'no-source' } : { problem: 'unknown-source', source: vendor } };
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (BOOL_FLAGS.has(a)) flags.add(a);
    else if (VALUE_FLAGS.has(a)) {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) return { ok: false, problem: { problem: 'needs-value', option: a } };
      values.set(a, v);
    } else return { ok: false, problem: { problem: 'unknown-option', option: a } };
  }
  if (flags.has('--dry-run') && flags.has('--apply-overrides')) return { ok: false, problem: { problem: 'dry-run-and-apply' } };
  const nowText = values.get('--now');
  const now = nowText === undefined ? undefined : Date.parse(nowText);
  if (now !== undefined && (!Number.isFinite(now) || !/^\d{4}-\d{2}-\d{2}T/.test(nowText!))) return { ok: false, problem: { problem: 'bad-now', value: nowText! } };
  const opt = (k: string) => values.get(k);
  return {
    ok: true,
    args: {
      vendor: vendor as ImportArgs['vendor'],
      ...(opt('--schedule') ? { schedule: opt('--schedule')! } : {}),
      ...(opt('--url') ? { url: opt('--url')! } : {}),
      ...(opt('--config') ? { config: opt('--config')! } : {}),
      ...(opt('--out') ? { out: opt('--out')! } : {}),
      ...(now !== undefined ? { now } : {}),
      applyOverrides: flags.has('--apply-overrides'),
      acceptDifferences: flags.has('--accept-differences'),
    },
  };
}

async function vendorOf(name: ImportArgs['vendor']): Promise<Vendor> {
  if (name === 'opsgenie') return (await import('./opsgenie.js')).opsgenie;
  if (name === 'pagerduty') return (await import('./pagerduty.js')).pagerduty;
  return (await import('./grafana-oncall.js')).grafanaOnCall;
}

function fragmentYaml(vendor: string, now: number, f: Fragment, text: TextRenderer): string {
  const doc = new Document({ ...(f.people.length > 0 ? { people: f.people } : {}), teams: f.teams, rotations: f.rotations, ...(f.alerts ? { alerts: f.alerts } : {}) });
  // Short lists (queues, days) and restrictions on one line, as day2.example.yaml writes them.
  visit(doc, {
    Seq: (_k, node) => void (node.flow = node.items.every((i) => isScalar(i))),
    // Times and dates quoted, as day2.example.yaml has them (a YAML 1.1 reader takes 09:00 for a number).
    Scalar: (_k, node) => void (typeof node.value === 'string' && /^\d/.test(node.value) && (node.type = 'QUOTE_DOUBLE')),
    Pair: (_k, pair) => void (isScalar(pair.key) && pair.key.value === 'restriction' && isMap(pair.value) && (pair.value.flow = true)),
  });
  if (isMap(doc.contents)) for (const section of doc.contents.items) if (isSeq(section.value) && isScalar(section.key) && section.key.value === 'people') for (const p of section.value.items) if (isMap(p)) p.flow = true;
  return text.render('fragment', { vendor, asOf: now, yaml: doc.toString({ lineWidth: 0 }) });
}

async function readConfigText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SourceError('config-unreadable', { file, reason: (e as Error).message }, 2);
  }
}

/** `day2 import …`, and `day2 import --help`; the wording is templates/import/ (DAY2_TEMPLATES_DIR/import/ overrides it). */
export async function runImport(argv: readonly string[], env: NodeJS.ProcessEnv, io: ImportIo): Promise<number> {
  const text = await createTextRenderer({ family: 'import', overlayDir: env.DAY2_TEMPLATES_DIR });
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.out(text.render('usage'));
    return 0;
  }
  const parsed = parseImportArgs(argv);
  if (!parsed.ok) {
    io.err(text.render('bad-arguments', parsed.problem));
    return 2;
  }
  const a = parsed.args;
  try {
    return await importWith(a, await vendorOf(a.vendor), env, io, text);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    io.err(text.render(`errors/${e.problem}`, e.data));
    return e.exitCode;
  }
}

async function importWith(a: ImportArgs, vendor: Vendor, env: NodeJS.ProcessEnv, io: ImportIo, text: TextRenderer): Promise<number> {
  const token = env[vendor.tokenVar]?.trim();
  if (!token) throw new SourceError('token-missing', { vendor: vendor.name, tokenVar: vendor.tokenVar }, 2);
  const configFile = a.config ?? env.DAY2_CONFIG ?? './day2.yaml';
  const configText = await readConfigText(configFile);
  const existing = configText === undefined ? undefined : parseConfig(configText);
  if (existing && !existing.ok) throw new SourceError('config-invalid', { file: configFile, problems: formatProblems(existing.problems) }, 2);
  const now = a.now ?? Date.now();
  const until = now + HORIZON_MS;
  const waiting = (wait: number, nextTry: number) => io.err(text.render('rate-limited', { vendor: vendor.name, wait, nextTry }));
  const client = sourceClient({ vendor: vendor.name, base: a.url ?? vendor.defaultUrl, auth: vendor.auth(token), tokenVar: vendor.tokenVar, waiting });
  const read = await vendor.read(client, { ...(a.schedule ? { scheduleId: a.schedule } : {}), now, until });
  const cfg = existing?.ok ? existing.config : undefined;
  const match = matchPeople(read.flatMap((r) => r.mapped.people), cfg?.people ?? []);
  const fragment = buildFragment(read.map((r) => r.mapped), match, { teams: cfg?.teams ?? [], rotations: cfg?.rotations ?? [] });
  const merged = parseMerged(configText, fragment);
  if (!merged.ok) throw new SourceError('fragment-invalid', { problems: formatProblems(merged.problems) }, 1);
  const schedules = read.map((r) => ({ mapped: r.mapped, differences: compareSchedule(merged.config, r.mapped, r.shifts, match, now, until) }));
  const differences = schedules.reduce((n, s) => n + s.differences.length, 0);
  const plan = planText({ vendor: vendor.name, schedules, fragment, match, now, until, applyOverrides: a.applyOverrides }, text);
  const planOut = a.out ? io.out : io.err;
  planOut(plan);
  if (differences > 0 && !a.acceptDifferences) {
    io.err(text.render('differences', { differences, vendor: vendor.name }));
    return 1;
  }
  const yaml = fragmentYaml(vendor.name, now, fragment, text);
  if (a.out) {
    await writeFile(a.out, yaml, 'utf8');
    io.out(text.render('wrote', { file: a.out }));
  } else io.out(yaml);
  if (a.applyOverrides) {
    const { applyOverrides } = await import('./apply-overrides.js');
    return applyOverrides(schedules.map((s) => s.mapped), match, merged.config, env, now, io, text);
  }
  return 0;
}
