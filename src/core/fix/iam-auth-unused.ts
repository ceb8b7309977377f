/**
 * The constants that held the password (`const DB_PASSWORD = 'secret'`, `const password = process.env.DB_PASSWORD`)
 * go once the config no longer reads them and nothing else does: a `const` (or never reassigned `let`) with a plain
 * name, one declarator, not exported, whose every use lies in code the fix replaced. A chain of constants
 * (`const B = A`) goes link by link.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { findVariable, isReassigned } from '../ast/scope.js';
import type { ConfigSetting } from '../config/index.js';
import type { FixBuilder } from './plan.js';
import { removalRange } from './text.js';

/** Plans the removals; `replaced` are the source ranges the fix rewrote. Returns the names removed. */
export function removeUnusedConstants(
  fix: FixBuilder,
  settings: readonly ConfigSetting[],
  replaced: Array<readonly [number, number]>,
): string[] {
  const { sourceCode, text } = fix;
  const scope = sourceCode.scopeManager!.globalScope!;
  const removed: string[] = [];
  const inside = (node: TSESTree.Node) => replaced.some(([s, e]) => s <= node.range[0] && node.range[1] <= e);
  const candidates: TSESTree.Identifier[] = [];
  for (const setting of settings) {
    for (const node of [setting.entry.expression, ...setting.value.via]) {
      if (node.type === AST_NODE_TYPES.Identifier && !candidates.includes(node)) candidates.push(node);
    }
  }
  for (const id of candidates) {
    const variable = findVariable(scope, id);
    const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
    if (!variable || def?.type !== 'Variable') continue;
    const declarator = def.node as TSESTree.VariableDeclarator;
    const declaration = def.parent as TSESTree.VariableDeclaration;
    if (declarator.id.type !== AST_NODE_TYPES.Identifier || declaration.declarations.length !== 1) continue;
    if (declaration.kind !== 'const' && isReassigned(variable)) continue;
    if (declaration.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || isExportedByName(fix, variable.name)) continue;
    if (declaration.declare) continue;
    if (replaced.some(([s, e]) => s <= declaration.range[0] && declaration.range[1] <= e)) continue;
    const uses = variable.references.filter((ref) => !ref.init);
    if (!uses.every((ref) => inside(ref.identifier as TSESTree.Node))) continue;
    const block = declaration.parent;
    const floor = block && 'body' in block && Array.isArray(block.body) ? previousEnd(block.body as TSESTree.Node[], declaration, block) : 0;
    const [from, removedTo] = removalRange(text, declaration.range[0], declaration.range[1], floor);
    // A statement between blank lines takes one of them along, so no double blank line is left.
    const blankBefore = from === 0 || /\n[ \t]*\r?\n$/.test(text.slice(Math.max(0, from - 200), from));
    const blankAfter = /^[ \t]*\r?\n/.exec(text.slice(removedTo, removedTo + 200));
    const to = blankBefore && blankAfter && text[removedTo - 1] === '\n' ? removedTo + blankAfter[0].length : removedTo;
    fix.replace(from, to, '');
    replaced.push([declaration.range[0], declaration.range[1]]);
    removed.push(variable.name);
  }
  return removed;
}

function previousEnd(body: readonly TSESTree.Node[], statement: TSESTree.Node, block: TSESTree.Node): number {
  const index = body.indexOf(statement);
  if (index > 0) return body[index - 1]!.range[1];
  return block.type === AST_NODE_TYPES.Program ? 0 : block.range[0] + 1;
}

/** `export { DB_PASSWORD }` keeps it. */
function isExportedByName(fix: FixBuilder, name: string): boolean {
  const program = fix.sourceCode.ast as TSESTree.Program;
  return program.body.some(
    (s) =>
      s.type === AST_NODE_TYPES.ExportNamedDeclaration &&
      !s.declaration &&
      s.specifiers.some((sp) => sp.local.type === AST_NODE_TYPES.Identifier && sp.local.name === name),
  );
}
