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
 * Missing values fail loudly: Handlebars' `strict` mode checks plain `{{x}}` lookups, the
 * rewritten `esc` argument keeps that check, and `{{#each x}}` / `{{#with x}}` require `x` too.
 * `{{#if x}}` / `{{#unless x}}` do not, so optional values are written `{{#if x}}…{{x}}…{{/if}}`.
 */
import type Handlebars from 'handlebars';

type HandlebarsEnv = typeof Handlebars;
type Node = { type: string; loc?: unknown; [key: string]: unknown };
type PathNode = Node & { type: 'PathExpression'; parts: string[]; original: string; data: boolean; depth: number; strict?: boolean };
type MustacheNode = Node & { path: Node; params: Node[]; hash?: { pairs: unknown[] }; escaped: boolean };
type BlockNode = Node & { path: Node; params: Node[]; program?: ProgramNode; inverse?: ProgramNode };
type ProgramNode = Node & { body: Node[] };

/** Block helpers whose argument must exist (a missing list is a bug, not an empty list). */
const STRICT_BLOCK_ARGS = new Set(['each', 'with']);

export function compileTemplate(hb: HandlebarsEnv, source: string, srcName: string): Handlebars.TemplateDelegate {
  const ast = hb.parse(source, { srcName }) as unknown as ProgramNode;
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
      const name = block.path.type === 'PathExpression' ? (block.path as PathNode).original : '';
      const first = block.params?.[0];
      if (STRICT_BLOCK_ARGS.has(name) && first?.type === 'PathExpression' && (first as PathNode).parts.length > 0) {
        (first as PathNode).strict = true;
      }
      rewriteProgram(block.program, helperNames);
      rewriteProgram(block.inverse, helperNames);
    }
  }
}

function rewriteMustache(m: MustacheNode, helperNames: Set<string>): void {
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
