/**
 * Compiles a Day2 template so that `{{x}}` escapes for chat, not for HTML.
 *
 * Handlebars' built-in escaping produces HTML entities, which chat platforms show literally and
 * which do nothing against `*bold*`, `<!channel>` or `@here`. Instead of turning escaping off
 * (`noEscape`), the parsed template is rewritten: every escaped mustache `{{path args}}` becomes
 * the unescaped `{{{esc path}}}` (or `{{{esc (path args)}}}` for a helper call), and the `esc`
 * helper escapes with escapeMarkup unless the value is already SafeMarkup from a helper. The
 * rewrite happens on the AST, so only the template's own source is ever compiled: values are
 * data and can never be evaluated as a template.
 *
 * Missing values fail loudly: Handlebars' `strict` mode checks plain `{{x}}` lookups but not
 * helper arguments, so arguments are marked strict too (`{{code x}}`, `{{#each x}}`), except for
 * the helpers that test presence (if, unless, and, or, not, eq): optional values are written
 * `{{#if x}}…{{x}}…{{/if}}`.
 */
import type Handlebars from 'handlebars';

type HandlebarsEnv = typeof Handlebars;
type Node = { type: string; loc?: unknown; [key: string]: unknown };
type PathNode = Node & { type: 'PathExpression'; parts: string[]; original: string; data: boolean; depth: number; strict?: boolean };
type CallNode = Node & { path: Node; params: Node[]; hash?: { pairs: { value: Node }[] } };
type MustacheNode = CallNode & { escaped: boolean };
type BlockNode = Node & { path: Node; params: Node[]; program?: ProgramNode; inverse?: ProgramNode };
type ProgramNode = Node & { body: Node[] };

/**
 * Helpers that test whether a value is there; their arguments may be missing. Every other
 * helper's arguments must exist, like `{{x}}` (a missing list is a bug, not an empty list).
 */
const PRESENCE_HELPERS = new Set(['if', 'unless', 'and', 'or', 'not', 'eq']);

export function compileTemplate(hb: HandlebarsEnv, source: string, srcName: string): Handlebars.TemplateDelegate {
  let ast: ProgramNode;
  try {
    ast = hb.parse(source, { srcName }) as unknown as ProgramNode;
  } catch (err) {
    throw new Error(`${srcName}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  const helperNames = new Set(Object.keys(hb.helpers));
  rewriteProgram(ast, helperNames);
  return hb.compile(ast, { strict: true, knownHelpers: { esc: true }, preventIndent: true });
}

function rewriteProgram(program: ProgramNode | undefined, helperNames: Set<string>): void {
  if (!program) return;
  for (const node of program.body) {
    if (node.type === 'MustacheStatement') rewriteMustache(node as MustacheNode, helperNames);
    else if (node.type === 'BlockStatement' || node.type === 'PartialBlockStatement' || node.type === 'DecoratorBlock') {
      const block = node as BlockNode;
      strictArgs(block);
      rewriteProgram(block.program, helperNames);
      rewriteProgram(block.inverse, helperNames);
    }
  }
}

function rewriteMustache(m: MustacheNode, helperNames: Set<string>): void {
  strictArgs(m);
  if (!m.escaped) return;
  const path = m.path;
  const isSimplePath =
    path.type === 'PathExpression' && (path as PathNode).parts.length === 1 && !(path as PathNode).data && (path as PathNode).depth === 0;
  const callsHelper =
    m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0 || (isSimplePath && helperNames.has((path as PathNode).original));
  let arg: Node;
  if (callsHelper) {
    arg = { type: 'SubExpression', path, params: m.params, hash: m.hash, loc: m.loc };
  } else {
    arg = path;
    // Keep strict mode's "x not defined" check now that x is a helper argument.
    if (path.type === 'PathExpression') (path as PathNode).strict = true;
  }
  const esc: PathNode = { type: 'PathExpression', data: false, depth: 0, parts: ['esc'], original: 'esc', loc: m.loc };
  m.path = esc;
  m.params = [arg];
  delete m.hash;
  m.escaped = false;
}

/** Mark a call's path arguments strict (recursively through sub-expressions), unless it tests presence. */
function strictArgs(call: CallNode): void {
  const name = call.path.type === 'PathExpression' ? (call.path as PathNode).original : '';
  const lenient = PRESENCE_HELPERS.has(name);
  for (const arg of [...(call.params ?? []), ...(call.hash?.pairs ?? []).map((p) => p.value)]) {
    if (arg.type === 'SubExpression') strictArgs(arg as CallNode);
    else if (!lenient && arg.type === 'PathExpression' && (arg as PathNode).parts.length > 0) (arg as PathNode).strict = true;
  }
}
