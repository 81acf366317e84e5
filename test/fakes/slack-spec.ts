/**
 * Checks calls and responses against Slack's published Web API spec (slackapi/slack-api-specs,
 * OpenAPI 2.0), so the fake Slack and the adapter are held to the same contract as real Slack.
 *
 * The spec is old (2020) and models transport loosely (see its README): only method names,
 * required argument names and response shapes are checked here, never verbs or token placement.
 *
 * Where the spec lives: $SLACK_SPEC_DIR, else `test/specs/slack` in the repository, else the
 * `shared/specs/slack` directory next to it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Schema = {
  $ref?: string;
  type?: string | string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
  pattern?: string;
  enum?: unknown[];
};

interface SpecParameter {
  name: string;
  in: string;
  required?: boolean;
}

interface SpecOperation {
  parameters?: SpecParameter[];
  security?: Record<string, string[]>[];
  responses: Record<string, { schema?: Schema }>;
}

interface Spec {
  paths: Record<string, Record<string, SpecOperation>>;
  definitions: Record<string, Schema>;
}

export interface SpecMethod {
  name: string;
  /** Argument names the spec marks required (the token is excluded: it travels in a header). */
  requiredArgs: string[];
  /** Every argument name the spec knows. */
  args: string[];
  success?: Schema;
  failure?: Schema;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function specFile(): string {
  const candidates = [process.env.SLACK_SPEC_DIR, join(repoRoot, 'test', 'specs', 'slack'), join(repoRoot, '..', 'shared', 'specs', 'slack')]
    .filter((d): d is string => Boolean(d))
    .map((d) => join(d, 'web-api', 'slack_web_openapi_v2.json'));
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`Slack Web API spec not found (looked in ${candidates.join(', ')}); set SLACK_SPEC_DIR to the directory holding web-api/slack_web_openapi_v2.json`);
  return found;
}

let loaded: { spec: Spec; methods: Map<string, SpecMethod> } | undefined;

function load(): { spec: Spec; methods: Map<string, SpecMethod> } {
  if (loaded) return loaded;
  const spec = JSON.parse(readFileSync(specFile(), 'utf8')) as Spec;
  const methods = new Map<string, SpecMethod>();
  for (const [path, ops] of Object.entries(spec.paths)) {
    const op = Object.values(ops)[0];
    if (!op) continue;
    const params = op.parameters ?? [];
    methods.set(path.replace(/^\//, ''), {
      name: path.replace(/^\//, ''),
      requiredArgs: params.filter((p) => p.required && p.name !== 'token').map((p) => p.name),
      args: params.map((p) => p.name),
      success: op.responses['200']?.schema,
      failure: op.responses.default?.schema,
    });
  }
  loaded = { spec, methods };
  return loaded;
}

export function specMethod(method: string): SpecMethod | undefined {
  return load().methods.get(method);
}

/** The OAuth scopes the spec lists for `method` (any one of them will do; `none`: no scope). */
export function specScopes(method: string): string[] {
  const op = Object.values(load().spec.paths[`/${method}`] ?? {})[0];
  return (op?.security ?? []).flatMap((s) => Object.values(s).flat());
}

/** Problems with a call: unknown method or a required argument missing/empty. Empty = valid. */
export function validateSlackCall(call: { method: string; args: Record<string, unknown> }): string[] {
  const m = specMethod(call.method);
  if (!m) return [`${call.method}: not a method in the Slack Web API spec`];
  return m.requiredArgs.filter((a) => call.args[a] === undefined || call.args[a] === '').map((a) => `${call.method}: required argument "${a}" missing`);
}

/** Problems with a response body against the method's success (ok:true) or error schema. */
export function validateSlackResponse(method: string, body: unknown): string[] {
  const m = specMethod(method);
  if (!m) return [`${method}: not a method in the Slack Web API spec`];
  const ok = typeof body === 'object' && body !== null && (body as { ok?: unknown }).ok === true;
  const schema = ok ? m.success : m.failure;
  if (!schema) return [`${method}: spec has no ${ok ? 'success' : 'error'} schema`];
  // Error codes are not held to the 2020 enums: Slack has added codes since (e.g.
  // invalid_arguments, ratelimited, exchanged_trigger_id), so only the shape is checked.
  return check(schema, body, method, !ok);
}

/**
 * A small JSON-schema subset: $ref, type, required, properties, items, pattern, enum. Extra
 * properties are allowed on purpose: real Slack sends fields the 2020 spec does not list
 * (e.g. `response_metadata`, `metadata`). `anyString` turns off string enums (error responses).
 */
function check(schemaIn: Schema, value: unknown, path: string, anyString = false): string[] {
  const schema = deref(schemaIn);
  // The spec writes "one of" as a tuple-style `items` array without `type` (e.g. tz: [null, string]).
  if (Array.isArray(schema.items) && schema.type === undefined) {
    const options = schema.items;
    return options.some((s) => check(s, value, path, anyString).length === 0) ? [] : [`${path}: matches none of ${options.length} alternatives`];
  }
  if (Array.isArray(schema.type)) {
    const types = schema.type;
    return types.some((t) => check({ ...schema, type: t }, value, path, anyString).length === 0) ? [] : [`${path}: expected one of ${types.join('|')}`];
  }
  const problems: string[] = [];
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected object`];
      const obj = value as Record<string, unknown>;
      for (const r of schema.required ?? []) if (!(r in obj)) problems.push(`${path}.${r}: required`);
      for (const [k, s] of Object.entries(schema.properties ?? {})) if (k in obj && obj[k] !== undefined) problems.push(...check(s, obj[k], `${path}.${k}`, anyString));
      return problems;
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: expected array`];
      const item = schema.items;
      if (item && !Array.isArray(item)) value.forEach((v, i) => problems.push(...check(item, v, `${path}[${i}]`, anyString)));
      return problems;
    }
    case 'string':
      if (typeof value !== 'string') return [`${path}: expected string`];
      if (schema.pattern && !new RegExp(schema.pattern).test(value)) return [`${path}: "${value}" does not match ${schema.pattern}`];
      if (schema.enum && !anyString && !schema.enum.includes(value)) return [`${path}: "${value}" not in enum`];
      return [];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected number`];
    case 'boolean':
      if (typeof value !== 'boolean') return [`${path}: expected boolean`];
      if (schema.enum && !schema.enum.includes(value)) return [`${path}: ${String(value)} not in enum`];
      return [];
    case 'null':
      return value === null ? [] : [`${path}: expected null`];
    default:
      return [];
  }
}

function deref(schema: Schema): Schema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) {
    const name = s.$ref.replace('#/definitions/', '');
    const target = load().spec.definitions[name];
    if (!target) throw new Error(`spec: unresolved ${s.$ref}`);
    s = target;
  }
  return s;
}
