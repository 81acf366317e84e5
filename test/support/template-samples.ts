/**
 * Sample data for any template, read off the template itself: every path it uses gets a value
 * of the kind its use implies (a list for `#each`, a date for `{{date x}}`, a count for
 * `{{plural x …}}`, a mention reference for `{{mention x}}`), with `n` items in every list and
 * `n` as every count. Rendering each template with n = 0, 1 and 2 shows its wording in every
 * case without hand-written fixtures that go stale when a template changes.
 *
 * Strings are words starting with a vowel ("orion"), so a template writing `a {{kind}}` shows
 * "a orion"; platform ids look like real ones (C0…, U0…), so a template printing one is caught.
 */
import Handlebars from 'handlebars';

type Node = { type: string; [key: string]: unknown };
type Path = Node & { type: 'PathExpression'; parts: string[]; original: string; data: boolean; depth: number };
type Call = Node & { path: Node; params: Node[]; hash?: { pairs: { key: string; value: Node }[] }; program?: Program; inverse?: Program; name?: Node };
type Program = Node & { body: Node[] };

/** What a path's use says about its value. */
type Kind = 'date' | 'count' | 'list' | 'object' | 'mention' | 'url' | 'text' | 'flag' | 'seconds' | 'message';

interface Slot {
  kind: Kind;
  /** Fields of an object, or of each item of a list. */
  fields: Map<string, Slot>;
  /** Literals it is compared with (`eq x "accepted"`): the first is used. */
  literals: string[];
}

const HELPER_ARG_KIND: Record<string, Kind> = { date: 'date', relative: 'date', plural: 'count', mention: 'mention', link: 'url', join: 'list', list: 'list', duration: 'seconds', dated: 'message' };
/** Names that hold instants, by Day2's naming habits (`at`, `start`, `createdAt`, `until`…). */
const DATE_NAME = /^(at|start|end|from|to|until|since|due|when|next|now)$|(At|Start|End|Until|Since|Due|From|To)$/;
const COUNT_NAME = /^(count|total|n|more|number|slack|mattermost|console|delivered|pending|failed|updates|revision|minutes|hours|days|weeks|attempts|people|teams|environments|answered|errors|lines)$|(Count|Total|Minutes|Hours|Days)$/;
const PLATFORM_ID_NAME = /^(channelId|userId|messageId|threadId|teamId)$/;

function slot(kind: Kind): Slot {
  return { kind, fields: new Map(), literals: [] };
}

/** The slot at `parts` under `scope`, created as `kind` unless a stronger use already set it. */
function touch(scope: Map<string, Slot>, parts: string[], kind: Kind): Slot {
  let fields = scope;
  let s: Slot | undefined;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    s = fields.get(part);
    if (!s) {
      s = slot(last ? kind : 'object');
      fields.set(part, s);
    } else if (!last && s.kind !== 'list') s.kind = 'object';
    else if (last && rank(kind) > rank(s.kind)) s.kind = kind;
    fields = s.fields;
  });
  return s!;
}

/** A list or an object wins over a flag or text; a specific helper kind wins over text. */
function rank(k: Kind): number {
  return { flag: 0, text: 1, message: 2, mention: 3, url: 3, seconds: 3, date: 3, count: 4, object: 5, list: 6 }[k];
}

class Walker {
  readonly root = new Map<string, Slot>();
  constructor(private readonly partials: Map<string, Program>) {}

  program(p: Program | undefined, scope: Map<string, Slot>, seen: Set<string>): void {
    for (const node of p?.body ?? []) this.node(node, scope, seen);
  }

  private node(node: Node, scope: Map<string, Slot>, seen: Set<string>): void {
    if (node.type === 'MustacheStatement' || node.type === 'SubExpression') this.call(node as Call, scope, 'text');
    else if (node.type === 'BlockStatement') this.block(node as Call, scope, seen);
    else if (node.type === 'PartialStatement') {
      const name = ((node as Call).name as Path | undefined)?.original;
      if (name && !seen.has(name)) this.program(this.partials.get(name), scope, new Set([...seen, name]));
    }
  }

  private block(b: Call, scope: Map<string, Slot>, seen: Set<string>): void {
    const helper = (b.path as Path).original;
    const [first] = b.params;
    if ((helper === 'each' || helper === 'with') && first?.type === 'PathExpression') {
      const s = touch(scope, (first as Path).parts, helper === 'each' ? 'list' : 'object');
      this.program(b.program, s.fields, seen);
      this.program(b.inverse, scope, seen);
      return;
    }
    for (const p of b.params) this.arg(p, scope, helper, b.params.indexOf(p));
    this.program(b.program, scope, seen);
    this.program(b.inverse, scope, seen);
  }

  private call(c: Call, scope: Map<string, Slot>, asValue: Kind): void {
    const path = c.path as Path;
    if (c.params.length === 0 && !(c.hash?.pairs.length ?? 0) && path.type === 'PathExpression' && !(path.original in Handlebars.helpers) && !HELPER_ARG_KIND[path.original] && !['code', 'truncate', 'join', 'list'].includes(path.original)) {
      if (path.parts.length > 0 && !path.data) touch(scope, path.parts, leafKind(path.parts, asValue));
      return;
    }
    c.params.forEach((p, i) => this.arg(p, scope, path.original, i));
    for (const pair of c.hash?.pairs ?? []) this.arg(pair.value, scope, path.original, -1);
  }

  private arg(p: Node, scope: Map<string, Slot>, helper: string, index: number): void {
    if (p.type === 'SubExpression') return this.call(p as Call, scope, 'text');
    if (p.type !== 'PathExpression' || (p as Path).data || (p as Path).parts.length === 0) return;
    const parts = (p as Path).parts;
    const kind: Kind = index === 0 && HELPER_ARG_KIND[helper] ? HELPER_ARG_KIND[helper]! : ['if', 'unless', 'and', 'or', 'not'].includes(helper) ? 'flag' : leafKind(parts, 'text');
    touch(scope, parts, kind);
  }

  /** `eq x "literal"` comparisons, so the sample takes a value a branch expects. */
  literals(p: Program | undefined, scope: Map<string, Slot>): void {
    const visit = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      const node = n as Call;
      if ((node.type === 'SubExpression' || node.type === 'BlockStatement') && (node.path as Path)?.original === 'eq') {
        const [a, b] = node.params;
        if (a?.type === 'PathExpression' && b?.type === 'StringLiteral') {
          const s = find(scope, (a as Path).parts);
          if (s) s.literals.push(String((b as Node).value));
        }
      }
      for (const v of Object.values(node)) if (v && typeof v === 'object') (Array.isArray(v) ? v.forEach(visit) : visit(v));
    };
    visit(p);
  }
}

function find(scope: Map<string, Slot>, parts: string[]): Slot | undefined {
  let s: Slot | undefined;
  let fields = scope;
  for (const part of parts) {
    s = fields.get(part);
    if (!s) return undefined;
    fields = s.fields;
  }
  return s;
}

function leafKind(parts: string[], fallback: Kind): Kind {
  const name = parts[parts.length - 1]!;
  if (DATE_NAME.test(name)) return 'date';
  if (COUNT_NAME.test(name)) return 'count';
  return fallback;
}

const BASE = Date.parse('2026-12-08T09:00:00Z');

function value(s: Slot, name: string, n: number, i: number): unknown {
  if (s.literals.length > 0) return s.literals[0];
  switch (s.kind) {
    case 'date':
      return new Date(BASE + i * 86_400_000);
    case 'count':
      return n;
    case 'seconds':
      return n * 60;
    case 'flag':
      return s.fields.size > 0 ? objectOf(s.fields, n) : n > 0;
    case 'mention':
      return 'person:olivia';
    case 'url':
      return 'https://example.com/orion';
    case 'list':
      return Array.from({ length: n }, (_, k) => (s.fields.size > 0 ? objectOf(s.fields, n, k) : ['orion', 'ariel', 'iris'][k % 3]));
    case 'object':
      return objectOf(s.fields, n);
    case 'message':
    case 'text':
      if (PLATFORM_ID_NAME.test(name)) return name.startsWith('user') ? 'U0ID00001' : 'C0ID00001';
      return 'orion';
  }
}

function objectOf(fields: Map<string, Slot>, n: number, i = 0): Record<string, unknown> {
  return Object.fromEntries([...fields].map(([k, s]) => [k, value(s, k, n, i)]));
}

/** Sample data for a template's source (with its partials' sources), n items per list and n per count. */
export function samplesFor(source: string, partials: Map<string, string>, n: number): Record<string, unknown> {
  const parsedPartials = new Map([...partials].map(([name, src]) => [name, Handlebars.parse(src) as unknown as Program]));
  const walker = new Walker(parsedPartials);
  const ast = Handlebars.parse(source) as unknown as Program;
  walker.program(ast, walker.root, new Set());
  walker.literals(ast, walker.root);
  return objectOf(walker.root, n);
}
