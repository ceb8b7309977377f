/**
 * The setup a connection needs, found from what its creation reads: the statements of the per-invocation
 * functions that compute its settings (a config object from `process.env`, a `require()`, a secret fetched from
 * Secrets Manager, a signer and its token). They give the same values on every invocation, so they can run once
 * per execution environment together with the connection. Anything that reads the invocation (`event`, `context`,
 * a parameter, `this`, `arguments`, a variable the handler changes) keeps the connection per invocation: the
 * planner refuses with that value's name.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { contains, isFunctionNode } from '../../ast/nodes.js';
import { isModuleScope, type Variable } from '../../ast/scope.js';
import { walk } from '../../ast/walk.js';
import { Refusal } from '../plan.js';
import { referencesIn } from './scope-utils.js';

type SourceCode = Readonly<TSESLint.SourceCode>;

export interface Slice {
  /** Setup statements, in source order. */
  readonly statements: readonly TSESTree.Statement[];
  /** The setup statements nothing else in the function reads: they leave it (the others are copied). */
  readonly movable: ReadonlySet<TSESTree.Statement>;
  /** Local variables the setup declares. */
  readonly variables: ReadonlySet<Variable>;
  /** The setup awaits something (a secret, a token): it needs an async initialiser. */
  readonly awaits: boolean;
  /** The end of the last module-scope declaration it reads that is not hoisted (new module code goes after it). */
  readonly moduleDependencyEnd: number;
}

export interface SliceRequest {
  /** What must be computed: the creating expression and the statements that move with it (connect calls). */
  readonly roots: readonly TSESTree.Node[];
  /** Where the connection is created: setup statements must run before it. */
  readonly anchor: TSESTree.Node;
  /** Variables that are not setup: the instance's own. */
  readonly exclude: ReadonlySet<Variable>;
  /** Words for messages: "the connection settings". */
  readonly what?: string;
}

/** Statements that leave a function or a loop: they cannot move into an initialiser. */
const JUMPS = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
  AST_NODE_TYPES.YieldExpression,
]);

export function computeSlice(sourceCode: SourceCode, request: SliceRequest): Slice {
  const what = request.what ?? 'the connection settings';
  const statements = new Set<TSESTree.Statement>();
  const variables = new Set<Variable>();
  const queue: TSESTree.Node[] = [...request.roots];
  const scanned = new Set<TSESTree.Node>();
  let awaits = false;
  let moduleDependencyEnd = 0;
  const writesByGlobalName = globalWrites(sourceCode);

  while (queue.length > 0) {
    const node = queue.shift()!;
    if (scanned.has(node)) continue;
    scanned.add(node);
    checkNode(node, statements.has(node as TSESTree.Statement));
    for (const reference of referencesIn(sourceCode, node)) {
      const variable = reference.resolved;
      const name = reference.identifier.name;
      if (!variable) {
        if (name === 'arguments') throw new Refusal(`${what} read \`arguments\``);
        if (writesByGlobalName.has(name)) throw new Refusal(`${what} read \`${name}\`, which the code assigns as an implicit global`);
        continue;
      }
      if (request.exclude.has(variable) || variables.has(variable)) continue;
      if (isModuleScope(variable.scope) || variable.scope.type === 'global') {
        checkModuleVariable(variable);
        continue;
      }
      if (isInside(variable, node)) continue;
      addLocal(variable, name);
    }
  }

  absorbSetupChecks();
  const ordered = [...statements].sort((a, b) => a.range[0] - b.range[0]);
  return {
    statements: ordered,
    movable: movableStatements(ordered, request.roots, variables),
    variables,
    awaits,
    moduleDependencyEnd,
  };

  /**
   * Statements between the setup statements that only check or log setup values (`if (!secret) throw …`,
   * `console.log(config.host)`) go with the setup, so that the setup can leave the function.
   */
  function absorbSetupChecks(): void {
    for (let changed = true; changed; ) {
      changed = false;
      for (const variable of variables) {
        for (const reference of variable.references) {
          const id = reference.identifier as TSESTree.Node;
          if (request.roots.some((r) => contains(r, id)) || [...statements].some((st) => contains(st, id))) continue;
          const statement = statementOnPath(id, request.anchor);
          if (!statement || statement.range[1] > request.anchor.range[0] || statements.has(statement)) continue;
          if (!isSetupCheck(statement)) continue;
          statements.add(statement);
          changed = true;
        }
      }
    }
  }

  /** Reads only setup variables, module-scope values and globals; writes nothing; leaves only by `throw`. */
  function isSetupCheck(statement: TSESTree.Statement): boolean {
    let ok = true;
    walk(statement, sourceCode.visitorKeys, (n) => {
      if (!ok) return false;
      if (isFunctionNode(n)) return false;
      if (JUMPS.has(n.type) || n.type === AST_NODE_TYPES.AwaitExpression || n.type === AST_NODE_TYPES.ThisExpression) ok = false;
      return undefined;
    });
    if (!ok) return false;
    for (const reference of referencesIn(sourceCode, statement)) {
      const variable = reference.resolved;
      if (reference.isWrite() && !(variable && variable.defs.every((d) => contains(statement, d.name)))) return false;
      if (!variable || variables.has(variable) || isModuleScope(variable.scope) || variable.scope.type === 'global') continue;
      if (variable.defs.every((d) => contains(statement, d.name))) continue;
      return false;
    }
    return true;
  }

  function isInside(variable: Variable, node: TSESTree.Node): boolean {
    return variable.defs.every((def) => contains(node, def.name));
  }

  function checkNode(node: TSESTree.Node, isStatement: boolean): void {
    walk(node, sourceCode.visitorKeys, (n) => {
      if (n !== node && isFunctionNode(n)) return false;
      if (n.type === AST_NODE_TYPES.ThisExpression || n.type === AST_NODE_TYPES.Super) {
        throw new Refusal(`${what} read \`this\``);
      }
      if (n.type === AST_NODE_TYPES.AwaitExpression) awaits = true;
      if (isStatement && JUMPS.has(n.type)) {
        throw new Refusal(`${what} are computed by code that can leave the function (a \`return\`, \`break\` or \`yield\`)`);
      }
      return undefined;
    });
  }

  function checkModuleVariable(variable: Variable): void {
    const writtenInFunction = variable.references.some((r) => r.isWrite() && !r.init && r.from.variableScope.block.type !== AST_NODE_TYPES.Program);
    if (writtenInFunction) {
      throw new Refusal(`${what} read \`${variable.name}\`, which the code changes at run time`);
    }
    const def = variable.defs[0];
    if (!def) return;
    const hoisted = def.type === 'ImportBinding' || def.type === 'FunctionName' || def.node.type === AST_NODE_TYPES.TSImportEqualsDeclaration;
    if (hoisted) return;
    const statement = topLevelStatement(def.node);
    if (statement) moduleDependencyEnd = Math.max(moduleDependencyEnd, statement.range[1]);
  }

  function addLocal(variable: Variable, name: string): void {
    const def = variable.defs[0];
    if (!def || variable.defs.length > 1) throw new Refusal(`${what} depend on the per-invocation value \`${name}\``);
    if (def.type === 'Parameter' || def.type === 'CatchClause') {
      throw new Refusal(`${what} depend on the per-invocation value \`${name}\``);
    }
    if (def.type !== 'Variable') {
      throw new Refusal(`${what} read \`${name}\`, a function or class declared inside the handler`);
    }
    const declaration = def.parent as TSESTree.VariableDeclaration;
    const definers = [declaration as TSESTree.Statement];
    for (const reference of variable.references) {
      if (!reference.isWrite() || reference.init) continue;
      const statement = statementOnPath(reference.identifier as TSESTree.Node, request.anchor);
      if (!statement) throw new Refusal(`${what} depend on \`${name}\`, which changes during the invocation`);
      if (statement.range[0] > request.anchor.range[0]) {
        throw new Refusal(`${what} depend on \`${name}\`, which changes after the connection is created`);
      }
      definers.push(statement);
    }
    if (declaration.parent && !isOnPath(declaration, request.anchor)) {
      throw new Refusal(`${what} depend on \`${name}\`, which is not set up before the connection on every path`);
    }
    if (declaration.range[0] > request.anchor.range[0]) {
      throw new Refusal(`${what} depend on \`${name}\`, which is declared after the connection is created`);
    }
    variables.add(variable);
    for (const statement of definers) {
      if (statement.range[1] > request.anchor.range[0] && contains(statement, request.anchor)) {
        throw new Refusal(`${what} depend on \`${name}\`, which is set in the statement that creates the connection`);
      }
      if (!statements.has(statement)) {
        statements.add(statement);
        queue.push(statement);
      }
    }
  }
}

/** Statement-level writes to undeclared names (sloppy-mode implicit globals), by name. */
function globalWrites(sourceCode: SourceCode): Set<string> {
  const names = new Set<string>();
  for (const reference of sourceCode.scopeManager?.globalScope?.through ?? []) {
    if (reference.isWrite()) names.add(reference.identifier.name);
  }
  return names;
}

/** A statement of a block that encloses `anchor` (so it runs before it on the same path) and contains `node`. */
function statementOnPath(node: TSESTree.Node, anchor: TSESTree.Node): TSESTree.Statement | undefined {
  for (let current: TSESTree.Node | undefined = node; current?.parent; current = current.parent) {
    if (isFunctionNode(current)) return undefined;
    const parent = current.parent;
    if ((parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program) && contains(parent, anchor)) {
      return current as TSESTree.Statement;
    }
  }
  return undefined;
}

function isOnPath(statement: TSESTree.Node, anchor: TSESTree.Node): boolean {
  const parent = statement.parent;
  return Boolean(
    parent && (parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program) && contains(parent, anchor),
  );
}

function topLevelStatement(node: TSESTree.Node): TSESTree.Node | undefined {
  let current: TSESTree.Node = node;
  while (current.parent && current.parent.type !== AST_NODE_TYPES.Program) current = current.parent;
  return current.parent ? current : undefined;
}

/**
 * The setup statements that can leave the function: every variable they declare or set is read only by the setup
 * and the roots. The others stay and are copied (they compute values the function also uses).
 */
function movableStatements(
  statements: readonly TSESTree.Statement[],
  roots: readonly TSESTree.Node[],
  variables: ReadonlySet<Variable>,
): Set<TSESTree.Statement> {
  const movable = new Set(statements);
  const inside = (node: TSESTree.Node, set: ReadonlySet<TSESTree.Node>): boolean =>
    roots.some((root) => contains(root, node)) || [...set].some((s) => contains(s, node));
  for (let changed = true; changed; ) {
    changed = false;
    for (const statement of [...movable]) {
      const touched = [...variables].filter((variable) =>
        variable.references.some((r) => contains(statement, r.identifier as TSESTree.Node)) ||
        variable.defs.some((d) => contains(statement, d.name)),
      );
      const escapes = touched.some((variable) =>
        variable.references.some((r) => !inside(r.identifier as TSESTree.Node, movable)),
      );
      if (escapes) {
        movable.delete(statement);
        changed = true;
      }
    }
  }
  return movable;
}

