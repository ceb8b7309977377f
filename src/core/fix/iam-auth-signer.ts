/**
 * The module-scope `Signer` of `@aws-sdk/rds-signer` a config gets its tokens from, one per endpoint, port and user:
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
 * It is created once, at module scope, even when the config is built inside the handler (a signer per invocation
 * would be a new object for nothing: signing is local). It goes after the file's imports, or, when its host, port or
 * user reads a constant declared further down, just above the top-level statement that holds the config; never
 * after that statement, and never above a declaration it reads. A signer the file already has for the same
 * endpoint, port and user (written by an earlier fix) is used again.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName } from '../ast/nodes.js';
import { SIGNER_MODULE } from './iam-auth-packages.js';
import { ensureImport, existingImport, joinImportsAt, leadingImportsEnd, programOf, prologueEnd } from './iam-auth-imports.js';
import { usesTrailingCommas } from './objects.js';
import { copyValue, mayBeUndefined, portText } from './iam-auth-values.js';
import { Refusal, type FixBuilder } from './plan.js';
import { render, withEol } from './style.js';
import { startWithLeadingComments } from './text.js';

export interface SignerSpec {
  readonly host: TSESTree.Node;
  /** The port expression, when the config sets one. */
  readonly port: TSESTree.Node | undefined;
  /** The driver's default port. */
  readonly defaultPort: number;
  readonly user: TSESTree.Node;
  /** The top-level statement that holds the config (the signer must be declared above it). */
  readonly statement: TSESTree.ProgramStatement;
}

export interface SignerRef {
  readonly name: string;
  readonly host: string;
  readonly port: string;
  readonly user: string;
}

const plannedSigners = new WeakMap<FixBuilder, Map<string, SignerRef>>();

/** The signer for the spec: one planned by this fix, one the file has, or a new one (planned here). */
export function signerFor(fix: FixBuilder, spec: SignerSpec): SignerRef {
  const { sourceCode } = fix;
  const host = copyValue(sourceCode, spec.host, 'host');
  const user = copyValue(sourceCode, spec.user, 'user');
  const port = spec.port ? copyValue(sourceCode, spec.port, 'port') : undefined;
  const portValue = port ? portText(port.text, spec.defaultPort) : String(spec.defaultPort);
  const key = `${host.text}\n${portValue}\n${user.text}`;
  let mine = plannedSigners.get(fix);
  if (!mine) plannedSigners.set(fix, (mine = new Map()));
  const known = mine.get(key);
  if (known) return known;

  const program = programOf(fix);
  const index = program.body.indexOf(spec.statement);
  const floor = index > 0 ? program.body[index - 1]!.range[1] : 0;
  const beforeStatement = startWithLeadingComments(fix.text, spec.statement.range[0], floor);

  const existing = existingSigner(fix, key, beforeStatement);
  if (existing) {
    const ref = { name: existing, host: host.text, port: portValue, user: user.text };
    mine.set(key, ref);
    return ref;
  }

  const signerClass = ensureImport(fix, { module: SIGNER_MODULE, name: 'Signer', local: 'Signer' }, beforeStatement);
  const reads = Math.max(host.after, user.after, port?.after ?? 0, signerClass.at);
  const imports = leadingImportsEnd(fix);
  // After the imports, and after the signers already declared there (an earlier fix's).
  const signers = lastSignerEnd(fix, signerClass.name, beforeStatement);
  const top = Math.max(imports ?? prologueEnd(fix), signers ?? 0);
  let at: number;
  if (reads <= top && top <= beforeStatement) at = top;
  else if (reads <= beforeStatement) at = beforeStatement;
  else {
    throw new Refusal(
      'the host, port or user reads a constant declared below the configuration, so there is no place above it for the signer',
    );
  }

  const name = fix.uniqueName('signer');
  const bang = (text: string) => (fix.typescript && mayBeUndefined(text) ? '!' : '');
  const comma = usesTrailingCommas(fix) ? ',' : '';
  // Copied expressions keep their own text; only the generated lines follow the file's quotes and semicolons.
  const indent = fix.style.indent;
  const declaration = [
    render(`const ${name} = new ${signerClass.name}({`, fix.style),
    `${indent}hostname: ${host.text}${bang(host.text)},`,
    `${indent}port: ${portValue},`,
    `${indent}username: ${user.text}${bang(user.text)},`,
    `${indent}region: process.env.AWS_REGION${comma}`,
    render('});', fix.style),
  ].join('\n');
  let text: string;
  const blankAfter = /^[ \t]*\r?\n/.test(fix.text.slice(at, at + 200));
  if (at === top && (at === imports || at === signers)) {
    // After the imports: a blank line on each side.
    text = `\n${declaration}\n${blankAfter ? '' : '\n'}`;
  } else if (joinImportsAt(fix, at)) {
    // At the top of the file, right after the imports planned here: the imports, a blank line, the signer, a blank line.
    text = `\n${declaration}\n${blankAfter ? '' : '\n'}`;
  } else {
    text = `${declaration}\n\n`;
  }
  fix.insert(at, withEol(text, fix.style));
  const ref = { name, host: host.text, port: portValue, user: user.text };
  mine.set(key, ref);
  fix.change(`added \`${name}\`, an RDS IAM token signer for ${host.text}, port ${portValue}, user ${user.text}`);
  return ref;
}

/** The start of the line after the last module-scope `const x = new Signer(...)` above `before`. */
function lastSignerEnd(fix: FixBuilder, signerClass: string, before: number): number | undefined {
  let end: number | undefined;
  for (const statement of programOf(fix).body) {
    if (statement.range[1] > before) break;
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    const init = statement.declarations[0]?.init;
    if (init?.type === AST_NODE_TYPES.NewExpression && init.callee.type === AST_NODE_TYPES.Identifier && init.callee.name === signerClass) {
      const newline = fix.text.indexOf('\n', statement.range[1]);
      end = newline < 0 ? fix.text.length : newline + 1;
    }
  }
  return end;
}

/** A module-scope `const x = new Signer({ hostname, port, username })` for the same endpoint, above `before`. */
function existingSigner(fix: FixBuilder, key: string, before: number): string | undefined {
  const signerClass = existingImport(fix, { module: SIGNER_MODULE, name: 'Signer', local: 'Signer' });
  if (!signerClass) return undefined;
  for (const statement of programOf(fix).body) {
    if (statement.range[1] > before) break;
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration || statement.kind !== 'const') continue;
    for (const d of statement.declarations) {
      const init = d.init;
      if (d.id.type !== AST_NODE_TYPES.Identifier || init?.type !== AST_NODE_TYPES.NewExpression) continue;
      if (init.callee.type !== AST_NODE_TYPES.Identifier || init.callee.name !== signerClass.name) continue;
      const options = init.arguments[0];
      if (options?.type !== AST_NODE_TYPES.ObjectExpression) continue;
      const field = (name: string) => {
        for (const p of options.properties) {
          if (p.type === AST_NODE_TYPES.Property && getPropertyName(p) === name) return fix.text.slice(...p.value.range).replace(/!$/, '');
        }
        return undefined;
      };
      if (`${field('hostname')}\n${field('port')}\n${field('username')}` === key) return d.id.name;
    }
  }
  return undefined;
}
