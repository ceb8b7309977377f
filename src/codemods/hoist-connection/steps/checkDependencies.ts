import { referencedIdentifiers, start, type AnyNode, type AnyPath } from '../../shared/ast.js';
import { Bailout, type TransformContext } from '../../shared/context.js';

/**
 * Moving an expression to module scope is only safe when everything it reads exists there, before the point
 * it moves to: module-scope bindings declared earlier (imports and function declarations are hoisted) and
 * globals. A parameter or local (`event`, `context`, a per-request value) makes it per-invocation by nature.
 */
export function checkDependencies(ctx: TransformContext, expr: AnyPath, insertAt: number): void {
  const { j } = ctx;
  const forbidden = j(expr as never).find(j.Node, (n: { type: string }) => n.type === 'ThisExpression' || n.type === 'Super');
  if (forbidden.size() > 0) throw new Bailout('the connection settings read `this`');
  for (const id of referencedIdentifiers(j, expr)) {
    const name = (id.node as unknown as { name: string }).name;
    if (name === 'arguments') throw new Bailout('the connection settings read `arguments`');
    const scope = (id as unknown as { scope: AstScope | null }).scope?.lookup(name);
    if (!scope) continue; // a global such as `process`
    if (!scope.isGlobal) throw new Bailout(`the connection settings depend on the per-invocation value \`${name}\``);
    const bindings = scope.getBindings()[name] ?? [];
    const declared = bindings.some((b) => {
      for (let p: AnyPath | null = b; p; p = p.parent as AnyPath | null) {
        const t = p.node.type;
        if (t === 'FunctionDeclaration' || t.startsWith('Import')) return true;
        if (t === 'VariableDeclaration' || t === 'ClassDeclaration') return start(p.node) < insertAt;
      }
      return true;
    });
    if (!declared) throw new Bailout(`\`${name}\` is declared after the handler, so it cannot be read at module scope before it`);
  }
}

interface AstScope {
  isGlobal: boolean;
  lookup(name: string): AstScope | null;
  getBindings(): Record<string, AnyPath[]>;
}

export type { AstScope };
