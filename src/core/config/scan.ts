/**
 * Every string expression of a file, as static text with a source map: string literals, template literals and `+`
 * concatenations (one text per chain). Computed once per `Program` and shared by the rules that look for URIs and
 * hostnames anywhere in a file; callers run it only after a cheap test of the raw text.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { unwrapExpression } from '../ast/nodes.js';
import { walk } from '../ast/walk.js';
import { isStringExpression, staticText, type StaticText } from './text.js';

const cache = new WeakMap<object, StaticText[]>();

export function fileStrings(sourceCode: Readonly<TSESLint.SourceCode>): readonly StaticText[] {
  let texts = cache.get(sourceCode.ast);
  if (texts) return texts;
  texts = [];
  const consumed = new Set<TSESTree.Node>();
  const out = texts;
  walk(sourceCode.ast as TSESTree.Node, sourceCode.visitorKeys, (node) => {
    switch (node.type) {
      case AST_NODE_TYPES.ImportDeclaration:
      case AST_NODE_TYPES.ExportAllDeclaration:
      case AST_NODE_TYPES.TSExternalModuleReference:
      case AST_NODE_TYPES.ImportExpression:
        // Module specifiers are not data.
        return false;
      case AST_NODE_TYPES.BinaryExpression: {
        if (node.operator !== '+' || consumed.has(node)) return undefined;
        // The chain's inner `+` nodes are never texts of their own: the whole chain is one (or none).
        markChain(node, consumed);
        const text = isStringExpression(node) ? staticText(node) : undefined;
        if (text) out.push(text);
        return undefined;
      }
      case AST_NODE_TYPES.Literal:
        if (typeof node.value === 'string' && !consumed.has(node)) out.push(staticText(node)!);
        return undefined;
      case AST_NODE_TYPES.TemplateLiteral:
        if (!consumed.has(node)) out.push(staticText(node)!);
        return undefined;
      default:
        return undefined;
    }
  });
  cache.set(sourceCode.ast, texts);
  return texts;
}

/**
 * Marks the inner `+` nodes of a chain and its literal operands (they are part of the chain's text, so they are not
 * scanned a second time). Iterative: chains can be thousands of terms long.
 */
function markChain(node: TSESTree.BinaryExpression, consumed: Set<TSESTree.Node>): void {
  const stack: TSESTree.Node[] = [node];
  while (stack.length > 0) {
    const current = unwrapExpression(stack.pop()!);
    if (current.type === AST_NODE_TYPES.BinaryExpression && current.operator === '+') {
      consumed.add(current);
      stack.push(current.left as TSESTree.Node, current.right);
    } else if (current.type === AST_NODE_TYPES.Literal || current.type === AST_NODE_TYPES.TemplateLiteral) {
      consumed.add(current);
    }
  }
}

/** Whether a string literal sits where only a type, a key or a module name can be (not a value). */
export function isTypeOrKeyPosition(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.TSLiteralType:
    case AST_NODE_TYPES.TSEnumMember:
    case AST_NODE_TYPES.TSPropertySignature:
    case AST_NODE_TYPES.TSModuleDeclaration:
      return true;
    case AST_NODE_TYPES.Property:
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.MethodDefinition:
      return parent.key === node && !parent.computed;
    default:
      return false;
  }
}
