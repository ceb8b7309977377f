/**
 * Resolution of configuration values within one module: literals, templates, `+` concatenation, `const` (and
 * never-reassigned `let`) bindings including destructuring, object literals with spreads, module-scope property
 * assignments and `Object.assign`, `process.env` reads, `||` / `??` / ternary alternatives, functions and calls.
 *
 * Recursion is bounded (depth and an in-progress set), so cyclic or deeply nested definitions end as `unknown`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { enclosingFunction, getPropertyName, isFunctionNode, unwrapExpression, type FunctionNode } from '../ast/nodes.js';
import { findVariable, isReassigned, type Variable } from '../ast/scope.js';
import { walk } from '../ast/walk.js';
import { IamTokens } from './iam.js';
import { staticText, type StaticText } from './text.js';
import type { ConfigEntry, ConfigValue, ResolvedObject } from './types.js';

const MAX_DEPTH = 12;
const MAX_CALLEE_TEXT = 80;

type Node = TSESTree.Node;

/** A `path` of property names assigned at module scope, e.g. `config.ssl.rejectUnauthorized = false`. */
interface PathAssignment {
  readonly path: readonly string[];
  readonly entry: ConfigEntry;
}

export class ValueResolver {
  private readonly cache = new Map<Node, readonly ConfigValue[]>();
  private readonly objects = new Map<TSESTree.ObjectExpression, ObjectImpl>();
  private readonly returns = new Map<FunctionNode, readonly ConfigValue[]>();
  private readonly tokenFunctions = new Map<FunctionNode, boolean>();
  private readonly active = new Set<Node>();
  private depth = 0;
  private readonly scope: TSESLint.Scope.Scope;

  constructor(
    readonly sourceCode: Readonly<TSESLint.SourceCode>,
    readonly iam: IamTokens = IamTokens.of(sourceCode),
  ) {
    this.scope = sourceCode.scopeManager!.globalScope!;
  }

  /** Every value an expression may take. */
  values(node: Node): readonly ConfigValue[] {
    const cached = this.cache.get(node);
    if (cached) return cached;
    if (this.active.has(node) || this.depth >= MAX_DEPTH) return [unknown(node)];
    this.active.add(node);
    this.depth++;
    let result: readonly ConfigValue[];
    try {
      result = this.compute(node);
    } finally {
      this.depth--;
      this.active.delete(node);
    }
    this.cache.set(node, result);
    return result;
  }

  /** An object literal with spreads and module-scope assignments applied. */
  object(node: TSESTree.ObjectExpression): ResolvedObject {
    let object = this.objects.get(node);
    if (!object) {
      object = new ObjectImpl(this, node);
      this.objects.set(node, object);
      object.build();
    }
    return object;
  }

  /** The static text of a string expression, following `const`s that hold strings. */
  text(node: Node): StaticText | undefined {
    return staticText(node, (leaf) => this.leafText(leaf));
  }

  /** The values a function returns (expression body or `return` statements of its own body). */
  returnsOf(fn: FunctionNode): readonly ConfigValue[] {
    const cached = this.returns.get(fn);
    if (cached) return cached;
    this.returns.set(fn, []);
    const out: ConfigValue[] = [];
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) {
      out.push(...this.values(fn.body));
    } else {
      walk(fn.body, this.sourceCode.visitorKeys, (node) => {
        if (isFunctionNode(node)) return false;
        if (node.type === AST_NODE_TYPES.ReturnStatement && node.argument) out.push(...this.values(node.argument));
        return undefined;
      });
    }
    this.returns.set(fn, out);
    return out;
  }

  /** Whether a function produces an RDS IAM token: it calls `getAuthToken`, or a local function that does. */
  producesToken(fn: FunctionNode, depth = 0): boolean {
    if (this.iam.isEmpty) return false;
    const cached = this.tokenFunctions.get(fn);
    if (cached !== undefined) return cached;
    this.tokenFunctions.set(fn, false);
    let found = this.iam.containsToken(fn);
    if (!found && depth < 3) {
      walk(fn.body, this.sourceCode.visitorKeys, (node) => {
        if (found) return false;
        if (node.type === AST_NODE_TYPES.CallExpression) {
          const callee = unwrapExpression(node.callee);
          if (callee.type === AST_NODE_TYPES.Identifier) {
            for (const value of this.values(callee)) {
              if (value.kind === 'function' && (value.iamToken || this.producesToken(value.node, depth + 1))) found = true;
            }
          }
        }
        return undefined;
      });
    }
    this.tokenFunctions.set(fn, found);
    return found;
  }

  /** Whether a value is (or yields) an RDS IAM authentication token. */
  isIamToken(value: ConfigValue): boolean {
    return (
      value.kind === 'iam-token' ||
      ((value.kind === 'call' || value.kind === 'function') && value.iamToken)
    );
  }

  /** The value of `object[key]` for each value of the object. */
  member(objectValues: readonly ConfigValue[], key: string | undefined, node: Node): ConfigValue[] {
    if (key !== undefined && this.iam.middyKeys.has(key)) {
      return [{ kind: 'iam-token', source: 'middy', key, node, via: [] }];
    }
    const out: ConfigValue[] = [];
    for (const value of objectValues) {
      if (key === undefined) out.push(unknown(node));
      else if (value.kind === 'env' && value.name === undefined) out.push({ kind: 'env', name: key, node, via: [] });
      else if (value.kind === 'object') {
        const entries = value.object.get([key]);
        if (entries.length === 0) out.push(unknown(node));
        for (const entry of entries) out.push(...entry.values.map((v) => withVia(v, node)));
      } else out.push(unknown(node));
    }
    return out;
  }

  private leafText(node: Node): StaticText | undefined {
    const values = this.values(node);
    if (values.length !== 1) return undefined;
    const [value] = values;
    if (value!.kind === 'literal' && value!.value !== null && typeof value!.value !== 'boolean') {
      return staticText(value!.node) ?? numberText(value!.node);
    }
    if (value!.kind === 'template') return value!.text;
    return undefined;
  }

  private compute(input: Node): readonly ConfigValue[] {
    const node = unwrapExpression(input);
    if (node !== input) return this.values(node).map((v) => withVia(v, input));
    switch (node.type) {
      case AST_NODE_TYPES.Literal: {
        if (node.value instanceof RegExp || ('regex' in node && node.regex)) return [unknown(node)];
        return [{ kind: 'literal', node, value: node.value as string | number | bigint | boolean | null, via: [] }];
      }
      case AST_NODE_TYPES.TemplateLiteral: {
        if (node.expressions.length === 0) {
          return [{ kind: 'literal', node, value: node.quasis[0]?.value.cooked ?? '', via: [] }];
        }
        return [{ kind: 'template', node, text: this.text(node)!, via: [] }];
      }
      case AST_NODE_TYPES.BinaryExpression: {
        const text = node.operator === '+' ? this.text(node) : undefined;
        return text ? [{ kind: 'template', node, text, via: [] }] : [unknown(node)];
      }
      case AST_NODE_TYPES.LogicalExpression:
        return [...this.values(node.left), ...this.values(node.right)];
      case AST_NODE_TYPES.ConditionalExpression:
        return [...this.values(node.consequent), ...this.values(node.alternate)];
      case AST_NODE_TYPES.SequenceExpression:
        return this.values(node.expressions[node.expressions.length - 1]!);
      case AST_NODE_TYPES.AssignmentExpression:
        return node.operator === '=' ? this.values(node.right) : [unknown(node)];
      case AST_NODE_TYPES.AwaitExpression:
        return this.values(node.argument).map((v) => withVia(v, node));
      case AST_NODE_TYPES.ObjectExpression:
        return [{ kind: 'object', node, object: this.object(node), via: [] }];
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return [this.functionValue(node)];
      case AST_NODE_TYPES.Identifier:
        return this.identifier(node);
      case AST_NODE_TYPES.MemberExpression:
        return this.memberExpression(node);
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        return [this.call(node)];
      default:
        return [unknown(node)];
    }
  }

  private functionValue(fn: FunctionNode): ConfigValue {
    return { kind: 'function', node: fn, iamToken: this.producesToken(fn), via: [] };
  }

  private call(node: TSESTree.CallExpression | TSESTree.NewExpression): ConfigValue {
    const callee = unwrapExpression(node.callee);
    const text = this.sourceCode.getText(callee);
    let iamToken = false;
    if (node.type === AST_NODE_TYPES.CallExpression && !this.iam.isEmpty) {
      iamToken = this.iam.isTokenCall(node);
      if (!iamToken && callee.type === AST_NODE_TYPES.Identifier) {
        iamToken = this.values(callee).some((v) => v.kind === 'function' && v.iamToken);
      }
      // `signer.getAuthToken.bind(signer)`, `getToken.call(x)`
      if (!iamToken && callee.type === AST_NODE_TYPES.MemberExpression) {
        const object = unwrapExpression(callee.object);
        const name = getPropertyName(callee);
        if (name === 'bind' || name === 'call' || name === 'apply') {
          iamToken =
            this.iam.isTokenMember(object) ||
            this.values(object).some((v) => v.kind === 'function' && v.iamToken);
        }
      }
    }
    return {
      kind: 'call',
      node,
      callee: text.length <= MAX_CALLEE_TEXT ? text : undefined,
      iamToken,
      via: [],
    };
  }

  private identifier(id: TSESTree.Identifier): readonly ConfigValue[] {
    const variable = findVariable(this.scope, id);
    if (!variable || variable.defs.length !== 1) return [unknown(id)];
    const def = variable.defs[0]!;
    if (def.type === 'FunctionName' && isFunctionNode(def.node as Node)) {
      return [withVia(this.functionValue(def.node as FunctionNode), id)];
    }
    if (def.type === 'Parameter') return this.settledValue(def.node as Node, def.name as TSESTree.Identifier, variable).map((v) => withVia(v, id));
    if (def.type !== 'Variable') return [unknown(id)];
    const declarator = def.node as TSESTree.VariableDeclarator;
    const declaration = def.parent as TSESTree.VariableDeclaration | null;
    if (declaration?.kind !== 'const' && isReassigned(variable)) return [unknown(id)];
    if (!declarator.init) return [unknown(id)];
    if (declarator.id.type === AST_NODE_TYPES.Identifier) {
      return this.values(declarator.init).map((v) => withVia(v, id));
    }
    return this.destructured(declarator, def.name as TSESTree.Identifier).map((v) => withVia(v, id));
  }

  /**
   * The first parameter of a callback given to `promise.then()`: the value the promise settles with
   * (`signer.getAuthToken().then((token) => …)` makes `token` the token). Any other parameter is unknown.
   */
  private settledValue(fn: Node, name: TSESTree.Identifier, variable: Variable): readonly ConfigValue[] {
    if (!isFunctionNode(fn) || fn.params[0] !== name || isReassigned(variable)) return [unknown(name)];
    let top: Node = fn;
    while (top.parent && unwrapExpression(top.parent) !== top.parent) top = top.parent;
    const call = top.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== top) return [unknown(name)];
    const callee = unwrapExpression(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || getPropertyName(callee) !== 'then') return [unknown(name)];
    return this.values(callee.object);
  }

  /** `const { a: { b = 'x' } } = init` → `init.a.b ?? 'x'`. */
  private destructured(declarator: TSESTree.VariableDeclarator, name: TSESTree.Identifier): ConfigValue[] {
    const steps: Array<{ key: string | undefined } | { fallback: Node }> = [];
    let node: Node = name;
    while (node !== declarator.id) {
      const parent: Node | undefined = node.parent;
      if (!parent) return [unknown(name)];
      if (parent.type === AST_NODE_TYPES.AssignmentPattern && parent.left === node) {
        steps.unshift({ fallback: parent.right });
        node = parent;
      } else if (
        parent.type === AST_NODE_TYPES.Property &&
        parent.value === node &&
        parent.parent?.type === AST_NODE_TYPES.ObjectPattern
      ) {
        steps.unshift({ key: this.propertyKey(parent) });
        node = parent.parent;
      } else {
        return [unknown(name)];
      }
    }
    let current: ConfigValue[] = [...this.values(declarator.init!)];
    for (const step of steps) {
      if ('fallback' in step) current = [...current, ...this.values(step.fallback)];
      else current = this.member(current, step.key, name);
    }
    return current;
  }

  private memberExpression(node: TSESTree.MemberExpression): readonly ConfigValue[] {
    const key = this.memberKey(node);
    if (isEnvObject(node.object, this.scope)) return [{ kind: 'env', name: key, node, via: [] }];
    if (isEnvObject(node, this.scope)) return [{ kind: 'env', name: undefined, node, via: [] }];
    if (node.object.type === AST_NODE_TYPES.Super) return [unknown(node)];
    return this.member(this.values(node.object), key, node);
  }

  /** A member's static property name, or a computed key that resolves to one string. */
  memberKey(node: TSESTree.MemberExpression): string | undefined {
    const name = getPropertyName(node);
    if (name !== undefined || !node.computed) return name;
    return this.singleString(node.property);
  }

  /** A property's static name, or a computed key that resolves to one string. */
  propertyKey(node: TSESTree.Property): string | undefined {
    const name = getPropertyName(node);
    if (name !== undefined || !node.computed) return name;
    return this.singleString(node.key);
  }

  private singleString(node: Node): string | undefined {
    const values = this.values(node);
    const [value] = values;
    return values.length === 1 && value!.kind === 'literal' && typeof value!.value === 'string' ? value!.value : undefined;
  }

  /** Assignments `x.a.b = v` and `Object.assign(x, ...)` at module scope to a variable. */
  moduleAssignments(variable: Variable): { paths: PathAssignment[]; assigns: TSESTree.CallExpression[] } {
    const paths: PathAssignment[] = [];
    const assigns: TSESTree.CallExpression[] = [];
    for (const ref of variable.references) {
      if (ref.init || !ref.isRead()) continue;
      let node: Node = ref.identifier as TSESTree.Identifier;
      while (node.parent && unwrapExpression(node.parent) !== node.parent) node = node.parent;
      const path: string[] = [];
      let parent = node.parent;
      let computedUnknown = false;
      while (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
        const key = this.memberKey(parent);
        if (key === undefined) {
          computedUnknown = true;
          break;
        }
        path.push(key);
        node = parent;
        while (node.parent && unwrapExpression(node.parent) !== node.parent) node = node.parent;
        parent = node.parent;
      }
      if (computedUnknown) continue;
      if (enclosingFunction(node)) continue;
      if (
        path.length > 0 &&
        parent?.type === AST_NODE_TYPES.AssignmentExpression &&
        parent.left === node &&
        parent.operator === '='
      ) {
        paths.push({
          path,
          entry: {
            key: path[path.length - 1]!,
            kind: 'assignment',
            holder: parent,
            expression: parent.right,
            values: this.values(parent.right),
          },
        });
      } else if (
        path.length === 0 &&
        parent?.type === AST_NODE_TYPES.CallExpression &&
        parent.arguments[0] === node &&
        isObjectAssign(parent.callee)
      ) {
        assigns.push(parent);
      }
    }
    return { paths, assigns };
  }
}

function numberText(node: Node): StaticText | undefined {
  if (node.type !== AST_NODE_TYPES.Literal || (typeof node.value !== 'number' && typeof node.value !== 'bigint')) return undefined;
  const text = String(node.value);
  return {
    text,
    segments: [{ text, hole: false, node, sourceStart: node.raw === text ? node.range[0] : undefined }],
    offsets: [0],
    node,
  };
}

function isObjectAssign(callee: Node): boolean {
  const c = unwrapExpression(callee);
  return (
    c.type === AST_NODE_TYPES.MemberExpression &&
    c.object.type === AST_NODE_TYPES.Identifier &&
    c.object.name === 'Object' &&
    getPropertyName(c) === 'assign'
  );
}

/** `process.env` (with `process` not declared in the file) or `import.meta.env`. */
function isEnvObject(node: Node, scope: TSESLint.Scope.Scope): boolean {
  const n = unwrapExpression(node);
  if (n.type !== AST_NODE_TYPES.MemberExpression || getPropertyName(n) !== 'env') return false;
  const object = unwrapExpression(n.object);
  if (object.type === AST_NODE_TYPES.MetaProperty) return true;
  if (object.type !== AST_NODE_TYPES.Identifier || object.name !== 'process') return false;
  const variable = findVariable(scope, object);
  return !variable || variable.defs.length === 0;
}

function unknown(node: Node): ConfigValue {
  return { kind: 'unknown', node, via: [] };
}

function withVia(value: ConfigValue, node: Node): ConfigValue {
  if (value.node === node) return value;
  return { ...value, via: [node, ...value.via] };
}

/** Resolved object literal: properties in order, spreads merged, later writes overriding earlier ones. */
class ObjectImpl implements ResolvedObject {
  readonly variable: Variable | undefined;
  complete = true;
  readonly properties = new Map<string, ConfigEntry[]>();

  constructor(
    private readonly resolver: ValueResolver,
    readonly node: TSESTree.ObjectExpression,
  ) {
    const parent = node.parent;
    const declarator =
      parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node
        ? parent
        : isTransparent(parent) && parent!.parent?.type === AST_NODE_TYPES.VariableDeclarator
          ? parent!.parent
          : undefined;
    this.variable =
      declarator?.id.type === AST_NODE_TYPES.Identifier
        ? resolver.sourceCode.scopeManager?.getDeclaredVariables(declarator)[0]
        : undefined;
  }

  build(): void {
    for (const property of this.node.properties) {
      if (property.type === AST_NODE_TYPES.SpreadElement) {
        this.spread(this.resolver.values(property.argument));
        continue;
      }
      const key = this.resolver.propertyKey(property);
      if (key === undefined) {
        this.complete = false;
        continue;
      }
      // A getter or method resolves to its function.
      const values = this.resolver.values(property.value);
      this.properties.set(key, [
        { key, kind: 'property', holder: property, expression: property.value, values },
      ]);
    }
    if (!this.variable) return;
    const { paths, assigns } = this.resolver.moduleAssignments(this.variable);
    for (const call of assigns) {
      for (const arg of call.arguments.slice(1)) {
        if (arg.type === AST_NODE_TYPES.SpreadElement) this.complete = false;
        else this.spread(this.resolver.values(arg));
      }
    }
    for (const { path, entry } of paths) {
      if (path.length === 1) {
        this.properties.set(path[0]!, [entry]);
        continue;
      }
      // `config.ssl.rejectUnauthorized = false` mutates the object held at `ssl` (a shared constant included).
      for (const holder of this.get(path.slice(0, -1))) {
        for (const value of holder.values) {
          if (value.kind === 'object') (value.object as ObjectImpl).properties.set(path[path.length - 1]!, [entry]);
        }
      }
    }
  }

  private spread(values: readonly ConfigValue[]): void {
    const objects = values.filter((v) => v.kind === 'object');
    if (objects.length !== values.length) this.complete = false;
    for (const value of objects) {
      if (!value.object.complete) this.complete = false;
      for (const [key, entries] of value.object.properties) {
        // One certain object overrides; alternatives add possible values.
        this.properties.set(key, values.length === 1 ? [...entries] : [...(this.properties.get(key) ?? []), ...entries]);
      }
    }
  }

  get(path: string | readonly string[]): ConfigEntry[] {
    const keys = typeof path === 'string' ? path.split('.') : path;
    if (keys.length === 0) return [];
    const [head, ...rest] = keys;
    const own = this.properties.get(head!) ?? [];
    let result: ConfigEntry[];
    if (rest.length === 0) {
      result = [...own];
    } else {
      result = [];
      for (const entry of own) {
        for (const value of entry.values) {
          if (value.kind === 'object') result.push(...value.object.get(rest));
          else if (value.kind === 'function') {
            for (const returned of this.resolver.returnsOf(value.node)) {
              if (returned.kind === 'object') result.push(...returned.object.get(rest));
            }
          }
        }
      }
    }
    return result;
  }
}

function isTransparent(node: Node | undefined): boolean {
  return Boolean(node && unwrapExpression(node) !== node);
}
