/**
 * Checks calls recorded by the fake Mattermost against the Mattermost v4 OpenAPI source
 * (mattermost/mattermost `api/v4/source/*.yaml`): the path and method exist, required query
 * parameters are present, and the JSON body has the required fields with the declared kinds.
 *
 * The spec files are reference data outside the repository. They are looked up in
 * MATTERMOST_SPEC_DIR, then `test/specs/mattermost/v4/source` in the repository, then the shared
 * directory next to it.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Upstream builds the document by concatenating the fragments in this order (api/Makefile). */
const FRAGMENTS = ['introduction', 'users', 'status', 'teams', 'channels', 'posts', 'webhooks', 'commands', 'reactions', 'actions', 'bots', 'definitions'];

/**
 * Places where the spec disagrees with the server, so a correct call would be flagged:
 * `props` on post update/patch is declared `string`, but the server (model.PostPatch) takes an
 * object, and Client4 sends one.
 */
const ERRATA: { path: string; method: string; field: string }[] = [
  { path: '/api/v4/posts/{post_id}/patch', method: 'put', field: 'props' },
  { path: '/api/v4/posts/{post_id}', method: 'put', field: 'props' },
];

type Schema = {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
};
type Parameter = { name: string; in: string; required?: boolean };
type Operation = { parameters?: Parameter[]; requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> } };
type Spec = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

export function mattermostSpecDir(): string {
  const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const candidates = [process.env.MATTERMOST_SPEC_DIR, path.join(repo, 'test/specs/mattermost/v4/source'), path.join(repo, '../shared/specs/mattermost/v4/source')];
  for (const dir of candidates) if (dir && existsSync(path.join(dir, 'posts.yaml'))) return dir;
  throw new Error('Mattermost API spec not found: set MATTERMOST_SPEC_DIR to the directory holding posts.yaml, users.yaml… (api/v4/source)');
}

let cached: Spec | undefined;

export function loadMattermostSpec(): Spec {
  if (!cached) {
    const dir = mattermostSpecDir();
    const text = FRAGMENTS.map((f) => readFileSync(path.join(dir, `${f}.yaml`), 'utf8')).join('\n');
    // Parsing 600 kB of YAML takes seconds on a small box; every test file would pay it. Keep the
    // parsed document in the temp dir, keyed by the content hash.
    const file = path.join(tmpdir(), `day2-mattermost-spec-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
    if (existsSync(file)) cached = JSON.parse(readFileSync(file, 'utf8')) as Spec;
    else {
      cached = parse(text, { maxAliasCount: -1 }) as Spec;
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(cached));
      renameSync(tmp, file);
    }
  }
  return cached;
}

function resolve(spec: Spec, s: Schema | undefined): Schema | undefined {
  let cur = s;
  for (let i = 0; cur?.$ref && i < 10; i++) {
    const name = cur.$ref.replace('#/components/schemas/', '');
    cur = spec.components.schemas[name];
  }
  return cur;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function checkValue(spec: Spec, schema: Schema | undefined, value: unknown, where: string, skip: Set<string>, problems: string[], depth = 0): void {
  const s = resolve(spec, schema);
  if (!s || depth > 6) return;
  const kind = kindOf(value);
  const type = s.type ?? (s.properties || s.required ? 'object' : undefined);
  if (type === 'array') {
    if (kind !== 'array') return void problems.push(`${where} should be an array, got ${kind}`);
    const arr = value as unknown[];
    if (s.minItems !== undefined && arr.length < s.minItems) problems.push(`${where} needs at least ${s.minItems} items`);
    if (s.maxItems !== undefined && arr.length > s.maxItems) problems.push(`${where} allows at most ${s.maxItems} items`);
    arr.forEach((item, i) => checkValue(spec, s.items, item, `${where}[${i}]`, skip, problems, depth + 1));
    return;
  }
  if (type === 'object') {
    if (kind !== 'object') return void problems.push(`${where} should be an object, got ${kind}`);
    const obj = value as Record<string, unknown>;
    for (const req of s.required ?? []) if (obj[req] === undefined) problems.push(`${where}.${req} is required`);
    for (const [k, sub] of Object.entries(s.properties ?? {})) {
      const at = `${where}.${k}`;
      if (obj[k] !== undefined && !skip.has(at)) checkValue(spec, sub, obj[k], at, skip, problems, depth + 1);
    }
    return;
  }
  if (type === 'integer' && kind !== 'integer') problems.push(`${where} should be an integer, got ${kind}`);
  else if (type === 'number' && kind !== 'integer' && kind !== 'number') problems.push(`${where} should be a number, got ${kind}`);
  else if ((type === 'string' || type === 'boolean') && kind !== type) problems.push(`${where} should be a ${type}, got ${kind}`);
}

export interface CallToCheck {
  method: string;
  /** Full path, e.g. /api/v4/posts/abc/patch. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

/** Find the spec path template for a concrete path and method (most literal match wins). */
export function matchSpecPath(method: string, actual: string): { template: string; operation: Operation } | undefined {
  const spec = loadMattermostSpec();
  const m = method.toLowerCase();
  const found = Object.entries(spec.paths)
    .filter(([template, ops]) => ops[m] && new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(actual))
    .sort((a, b) => (a[0].match(/\{/g)?.length ?? 0) - (b[0].match(/\{/g)?.length ?? 0));
  const best = found[0];
  return best ? { template: best[0], operation: best[1][m]! } : undefined;
}

/** Problems with one call; empty when it matches the spec. */
export function specProblems(call: CallToCheck): string[] {
  const spec = loadMattermostSpec();
  const match = matchSpecPath(call.method, call.path);
  if (!match) return [`${call.method} ${call.path}: no such operation in the Mattermost v4 spec`];
  const problems: string[] = [];
  for (const p of match.operation.parameters ?? []) {
    if (p.in === 'query' && p.required && call.query?.[p.name] === undefined) problems.push(`query parameter ${p.name} is required`);
  }
  const body = match.operation.requestBody;
  const schema = body?.content?.['application/json']?.schema;
  if (body?.required && call.body === undefined) problems.push('a JSON body is required');
  else if (schema && call.body !== undefined) {
    const skip = new Set(ERRATA.filter((e) => e.path === match.template && e.method === call.method.toLowerCase()).map((e) => `body.${e.field}`));
    checkValue(spec, schema, call.body, 'body', skip, problems);
  }
  return problems.map((p) => `${call.method} ${call.path} (${match.template}): ${p}`);
}

/** Throws with every problem found in `calls`. */
export function assertCallsMatchSpec(calls: readonly CallToCheck[]): void {
  // A command's response_url (/hooks/commands/<id>) is served outside the REST API and its spec.
  const problems = calls.filter((c) => c.path.startsWith('/api/v4/')).flatMap((c) => specProblems(c));
  if (problems.length > 0) throw new Error(`calls do not match the Mattermost API spec:\n${problems.join('\n')}`);
}
