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
import { SourceError, sourceClient } from './http.js';
import { planText } from './plan.js';
import { compareSchedule, parseMerged } from './verify.js';
import type { ImportIo, Vendor } from './vendor.js';
import { count } from '../../domain/wording.js';

export type { ImportIo } from './vendor.js';

export const IMPORT_USAGE = `Usage: day2 import <opsgenie|pagerduty|grafana-oncall> [options]

  Token from the environment: OPSGENIE_API_KEY, PAGERDUTY_TOKEN or GRAFANA_ONCALL_TOKEN.
  --schedule <id>         import only this schedule (default: every schedule the token sees)
  --url <base url>        the API's address (EU Opsgenie: https://api.eu.opsgenie.com; self-hosted Grafana OnCall)
  --config <file>         the day2.yaml people are matched against (default: $DAY2_CONFIG or ./day2.yaml)
  --out <file>            write the day2.yaml fragment there (default: stdout, the plan then goes to stderr)
  --dry-run               plan only, change nothing in Day2 (the default)
  --apply-overrides       store the source's overrides from now on as Day2 overrides (needs REDIS_URL)
  --accept-differences    write the fragment even when Day2 would differ from the source's timeline
  --now <ISO instant>     pretend it is this instant (tests, rehearsals)`;

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

export function parseImportArgs(argv: readonly string[]): { ok: true; args: ImportArgs } | { ok: false; problem: string } {
  const [vendor, ...rest] = argv;
  if (!VENDORS.includes(vendor as ImportArgs['vendor'])) return { ok: false, problem: vendor === undefined ? 'say which tool to import from' : `unknown source "${vendor}"` };
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (BOOL_FLAGS.has(a)) flags.add(a);
    else if (VALUE_FLAGS.has(a)) {
      const v = rest[++i];
      if (v === undefined || v.startsWith('--')) return { ok: false, problem: `${a} needs a value` };
      values.set(a, v);
    } else return { ok: false, problem: `unknown option "${a}"` };
  }
  if (flags.has('--dry-run') && flags.has('--apply-overrides')) return { ok: false, problem: '--dry-run and --apply-overrides contradict each other: choose one' };
  const nowText = values.get('--now');
  const now = nowText === undefined ? undefined : Date.parse(nowText);
  if (now !== undefined && (!Number.isFinite(now) || !/^\d{4}-\d{2}-\d{2}T/.test(nowText!))) return { ok: false, problem: `--now "${nowText}" is not an ISO instant such as 2027-03-01T00:00:00Z` };
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

function fragmentYaml(vendor: string, now: number, f: Fragment): string {
  const doc = new Document({ ...(f.people.length > 0 ? { people: f.people } : {}), teams: f.teams, rotations: f.rotations, ...(f.alerts ? { alerts: f.alerts } : {}) });
  // Short lists (queues, days) and restrictions on one line, as day2.example.yaml writes them.
  visit(doc, {
    Seq: (_k, node) => void (node.flow = node.items.every((i) => isScalar(i))),
    // Times and dates quoted, as day2.example.yaml has them (a YAML 1.1 reader takes 09:00 for a number).
    Scalar: (_k, node) => void (typeof node.value === 'string' && /^\d/.test(node.value) && (node.type = 'QUOTE_DOUBLE')),
    Pair: (_k, pair) => void (isScalar(pair.key) && pair.key.value === 'restriction' && isMap(pair.value) && (pair.value.flow = true)),
  });
  if (isMap(doc.contents)) for (const section of doc.contents.items) if (isSeq(section.value) && isScalar(section.key) && section.key.value === 'people') for (const p of section.value.items) if (isMap(p)) p.flow = true;
  return `# Imported from ${vendor} by "day2 import" (as of ${new Date(now).toISOString()}).\n# Review it, then merge these sections into day2.yaml.\n${doc.toString({ lineWidth: 0 })}`;
}

async function readConfigText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SourceError(`cannot read ${file}: ${(e as Error).message}`, 2);
  }
}

export async function runImport(argv: readonly string[], env: NodeJS.ProcessEnv, io: ImportIo): Promise<number> {
  const parsed = parseImportArgs(argv);
  if (!parsed.ok) {
    io.err(`${parsed.problem}.\n\n${IMPORT_USAGE}`);
    return 2;
  }
  const a = parsed.args;
  try {
    return await importWith(a, await vendorOf(a.vendor), env, io);
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    io.err(`✖ ${e.message}`);
    return e.exitCode;
  }
}

async function importWith(a: ImportArgs, vendor: Vendor, env: NodeJS.ProcessEnv, io: ImportIo): Promise<number> {
  const token = env[vendor.tokenVar]?.trim();
  if (!token) throw new SourceError(`set ${vendor.tokenVar} to your ${vendor.name} API token (read access is enough)`, 2);
  const configFile = a.config ?? env.DAY2_CONFIG ?? './day2.yaml';
  const configText = await readConfigText(configFile);
  const existing = configText === undefined ? undefined : parseConfig(configText);
  if (existing && !existing.ok) throw new SourceError(`${configFile} is not a valid Day2 config (fix it first, see "day2 check-config"):\n${formatProblems(existing.problems)}`, 2);
  const now = a.now ?? Date.now();
  const until = now + HORIZON_MS;
  const client = sourceClient({ vendor: vendor.name, base: a.url ?? vendor.defaultUrl, auth: vendor.auth(token), tokenVar: vendor.tokenVar, progress: io.err });
  const read = await vendor.read(client, { ...(a.schedule ? { scheduleId: a.schedule } : {}), now, until });
  const cfg = existing?.ok ? existing.config : undefined;
  const match = matchPeople(read.flatMap((r) => r.mapped.people), cfg?.people ?? []);
  const fragment = buildFragment(read.map((r) => r.mapped), match, { teams: cfg?.teams ?? [], rotations: cfg?.rotations ?? [] });
  const merged = parseMerged(configText, fragment);
  if (!merged.ok) throw new SourceError(`the imported fragment does not make a valid Day2 config, so nothing was written:\n${formatProblems(merged.problems)}`, 1);
  const schedules = read.map((r) => ({ mapped: r.mapped, differences: compareSchedule(merged.config, r.mapped, r.shifts, match, now, until) }));
  const differences = schedules.reduce((n, s) => n + s.differences.length, 0);
  const plan = planText({ vendor: vendor.name, schedules, fragment, match, now, until, applyOverrides: a.applyOverrides });
  const planOut = a.out ? io.out : io.err;
  planOut(plan);
  if (differences > 0 && !a.acceptDifferences) {
    io.err(`✖ ${count(differences, 'difference')} with ${vendor.name}'s own timeline: nothing was written. Fix them, or re-run with --accept-differences to take the fragment as it is.`);
    return 1;
  }
  const yaml = fragmentYaml(vendor.name, now, fragment);
  if (a.out) {
    await writeFile(a.out, yaml, 'utf8');
    io.out(`✔ wrote the day2.yaml fragment to ${a.out}`);
  } else io.out(yaml);
  if (a.applyOverrides) {
    const { applyOverrides } = await import('./apply-overrides.js');
    return applyOverrides(schedules.map((s) => s.mapped), match, merged.config, env, now, io);
  }
  return 0;
}
