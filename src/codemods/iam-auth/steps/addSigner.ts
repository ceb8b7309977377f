/**
 * The module-scope `Signer` of `@aws-sdk/rds-signer` a config gets its tokens from: imported (or required) in the
 * file's own module style, and created once per endpoint, port and user:
 *
 *     import { Signer } from '@aws-sdk/rds-signer';
 *
 *     const signer = new Signer({
 *       hostname: process.env.DB_HOST,
 *       port: 5432,
 *       username: 'app',
 *       region: process.env.AWS_REGION,
 *     });
 *
 * It goes after the file's imports, or, when the host, port or user reads a constant declared later, just before
 * the statement that holds the config. Signers and the import are shared by the configs of a file; one planned by
 * a config that was then left alone (its edits dropped) is planned again by the next config that needs it.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getStaticString } from '../../../core/ast/nodes.js';
import { startWithLeadingComments, type TextEdit } from '../../shared/edits.js';
import { render, withEol } from '../../shared/style.js';
import { Bailout, uniqueName, type TransformContext } from '../../shared/context.js';
import { SIGNER_MODULE } from '../meta.js';
import { checkCopyable, portText } from './expressions.js';
import { usesTrailingCommas } from './objects.js';

export interface SignerSpec {
  readonly host: TSESTree.Node;
  /** The port expression, if the config sets one. */
  readonly port: TSESTree.Node | undefined;
  /** The driver's default port. */
  readonly defaultPort: number;
  readonly user: TSESTree.Node;
  /** The top-level statements that hold the config (the call, the object with the password). */
  readonly holders: readonly TSESTree.Node[];
}

interface FileState {
  /** The local name of `Signer` and the edit that imports it (none when the file already imports it). */
  binding?: { name: string; edit: TextEdit | undefined };
  readonly signers: Map<string, { name: string; edit: TextEdit }>;
}

const states = new WeakMap<TransformContext, FileState>();

const live = (ctx: TransformContext, edit: TextEdit | undefined) => edit === undefined || ctx.edits.includes(edit);

/** The name of a module-scope signer for the spec, planning its declaration (and the import) when needed. */
export function addSigner(ctx: TransformContext, sourceCode: Readonly<TSESLint.SourceCode>, spec: SignerSpec): string {
  let state = states.get(ctx);
  if (!state) {
    state = { signers: new Map() };
    states.set(ctx, state);
  }
  const program = sourceCode.ast as TSESTree.Program;
  const hostText = sourceCode.getText(spec.host);
  const portValue = spec.port ? portText(sourceCode, spec.port, spec.defaultPort) : String(spec.defaultPort);
  const userText = sourceCode.getText(spec.user);
  const key = `${hostText}\n${portValue}\n${userText}`;
  const known = state.signers.get(key);
  if (known && live(ctx, known.edit)) return known.name;

  // Where it goes: after the imports when everything it reads exists there, else before the config's statement.
  const imports = importsEnd(ctx, program);
  const holders = spec.holders.map((n) => topLevel(program, n)).filter((n): n is TSESTree.ProgramStatement => !!n);
  if (holders.length === 0) throw new Bailout('the configuration is not inside a top-level statement');
  const first = holders.reduce((a, b) => (a.range[0] <= b.range[0] ? a : b));
  const beforeHolder = startWithLeadingComments(ctx.text, first.range[0], previousEnd(program, first));
  let insertAt = imports !== undefined && imports <= beforeHolder ? imports : beforeHolder;
  const nodes = [spec.host, spec.user, ...(spec.port ? [spec.port] : [])];
  const what = ['host', 'user', 'port'];
  try {
    nodes.forEach((n, i) => checkCopyable(sourceCode, n, insertAt, what[i]!));
  } catch (error) {
    if (insertAt === beforeHolder) throw error;
    insertAt = beforeHolder;
    nodes.forEach((n, i) => checkCopyable(sourceCode, n, insertAt, what[i]!));
  }

  const className = signerBinding(ctx, state, program, imports);
  const name = uniqueName(ctx, 'signer');
  // The signer's fields are `string`; a driver's `host` and `user` may be `undefined` (`process.env.X`, or a
  // constant holding it). A name or member read gets a non-null assertion in TypeScript (harmless when not needed).
  const bang = (node: TSESTree.Node) =>
    ctx.typescript && (node.type === AST_NODE_TYPES.MemberExpression || node.type === AST_NODE_TYPES.Identifier) ? '!' : '';
  const comma = usesTrailingCommas(ctx) ? ',' : '';
  // Copied expressions keep their own text; only the generated lines follow the file's quotes and semicolons.
  const head = render(`const ${name} = new ${className}({`, ctx.style);
  const lines = [
    `  hostname: ${hostText}${bang(spec.host)},`,
    `  port: ${portValue},`,
    `  username: ${userText}${bang(spec.user)},`,
    `  region: process.env.AWS_REGION${comma}`,
  ].map((line) => line.replace(/^ {2}/, ctx.style.indent));
  const tail = render('});', ctx.style);
  const declaration = [head, ...lines, tail].join('\n');
  const blankAfter = /^[ \t]*\r?\n/.test(ctx.text.slice(insertAt));
  const text = insertAt === imports ? `\n${declaration}\n${blankAfter ? '' : '\n'}` : `${declaration}\n\n`;
  const edit: TextEdit = { start: insertAt, end: insertAt, text: withEol(text, ctx.style) };
  ctx.edits.push(edit);
  state.signers.set(key, { name, edit });
  ctx.changes.push(
    `${lineOf(ctx, first.range[0])}: added \`${name}\`, an RDS IAM token signer for ${hostText}, port ${portValue}, user ${userText}`,
  );
  return name;
}

/** The local name of `Signer`: an existing import or require of it, or a new one in the file's module style. */
function signerBinding(ctx: TransformContext, state: FileState, program: TSESTree.Program, imports: number | undefined): string {
  if (state.binding && live(ctx, state.binding.edit)) return state.binding.name;
  const existing = existingBinding(program);
  if (existing) {
    state.binding = { name: existing, edit: undefined };
    return existing;
  }
  if (imports === undefined) throw new Bailout('the file has no top-level imports or `require` calls to add the `Signer` import to');
  const esm = program.body.some((s) => s.type === AST_NODE_TYPES.ImportDeclaration);
  const name = ctx.taken.has('Signer') ? uniqueName(ctx, 'RdsSigner') : 'Signer';
  ctx.taken.add(name);
  const specifier = name === 'Signer' ? 'Signer' : `Signer as ${name}`;
  const destructure = name === 'Signer' ? 'Signer' : `Signer: ${name}`;
  const statement = esm
    ? `import { ${specifier} } from '${SIGNER_MODULE}';`
    : `const { ${destructure} } = require('${SIGNER_MODULE}');`;
  const edit: TextEdit = { start: imports, end: imports, text: withEol(`${render(statement, ctx.style)}\n`, ctx.style) };
  ctx.edits.push(edit);
  ctx.dependencies?.add(SIGNER_MODULE);
  state.binding = { name, edit };
  return name;
}

/** `import { Signer } from '@aws-sdk/rds-signer'` or `const { Signer } = require('@aws-sdk/rds-signer')`. */
function existingBinding(program: TSESTree.Program): string | undefined {
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === SIGNER_MODULE && statement.importKind !== 'type') {
      for (const s of statement.specifiers) {
        if (s.type === AST_NODE_TYPES.ImportSpecifier && s.importKind !== 'type' && importedName(s) === 'Signer') return s.local.name;
      }
    }
    if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of statement.declarations) {
        if (!isRequireOf(d.init, SIGNER_MODULE) || d.id.type !== AST_NODE_TYPES.ObjectPattern) continue;
        for (const p of d.id.properties) {
          if (p.type === AST_NODE_TYPES.Property && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === 'Signer') {
            if (p.value.type === AST_NODE_TYPES.Identifier) return p.value.name;
          }
        }
      }
    }
  }
  return undefined;
}

function importedName(s: TSESTree.ImportSpecifier): string {
  return s.imported.type === AST_NODE_TYPES.Identifier ? s.imported.name : String(s.imported.value);
}

function isRequireOf(node: TSESTree.Node | null | undefined, module?: string): boolean {
  return (
    node?.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    node.callee.name === 'require' &&
    node.arguments.length === 1 &&
    (module === undefined ? getStaticString(node.arguments[0]) !== undefined : getStaticString(node.arguments[0]) === module)
  );
}

/** Whether a top-level statement imports a module: `import`, `import x = require()`, `const x = require()` (also `require().x`). */
function isImportStatement(statement: TSESTree.ProgramStatement): boolean {
  if (statement.type === AST_NODE_TYPES.ImportDeclaration || statement.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return true;
  if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
  return statement.declarations.every((d) => {
    let init = d.init;
    while (init && (init.type === AST_NODE_TYPES.MemberExpression || (init.type === AST_NODE_TYPES.CallExpression && !isRequireOf(init)))) {
      init = init.type === AST_NODE_TYPES.MemberExpression ? init.object : init.callee;
    }
    return isRequireOf(init);
  });
}

/** The start of the line after the last import of the file's leading run of imports. */
function importsEnd(ctx: TransformContext, program: TSESTree.Program): number | undefined {
  let last: TSESTree.ProgramStatement | undefined;
  for (const statement of program.body) {
    if (isImportStatement(statement)) last = statement;
    else if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive) continue;
    else if (last) break;
  }
  if (!last) return undefined;
  const newline = ctx.text.indexOf('\n', last.range[1]);
  return newline < 0 ? undefined : newline + 1;
}

function topLevel(program: TSESTree.Program, node: TSESTree.Node): TSESTree.ProgramStatement | undefined {
  let current: TSESTree.Node = node;
  while (current.parent && current.parent !== program) current = current.parent;
  return current.parent === program ? (current as TSESTree.ProgramStatement) : undefined;
}

function previousEnd(program: TSESTree.Program, statement: TSESTree.ProgramStatement): number {
  const index = program.body.indexOf(statement);
  return index > 0 ? program.body[index - 1]!.range[1] : 0;
}

function lineOf(ctx: TransformContext, offset: number): number {
  let line = 1;
  for (let i = ctx.text.indexOf('\n'); i >= 0 && i < offset; i = ctx.text.indexOf('\n', i + 1)) line++;
  return line;
}
