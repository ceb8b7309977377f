/**
 * A small static evaluator for configuration written as code (`serverless.ts`, CDK stacks): literals, objects,
 * arrays, spreads, templates, `const`s, imports of local modules (and tsconfig aliases), `path.join(__dirname, …)`.
 * Anything it cannot know is `UNKNOWN`; calls it does not model come back as `CallValue`s (callee and arguments) for
 * the caller to interpret (`Duration.seconds(30)`, `Code.fromAsset(dir)`). A value derived from `__dirname` through
 * a helper it cannot see (`handlerPath(__dirname)`) is taken to be that directory, which is what such helpers
 * compute. Never throws; depth and recursion are bounded.
 */
import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getPropertyName } from '../ast/nodes.js';
import { readText } from './fs.js';
import { parseFile } from './parse.js';
import { resolveSpecifier, type SpecifierContext } from './paths.js';

export const UNKNOWN: unique symbol = Symbol('unknown');

/** A directory reached from `__dirname` (relative paths of the deployment tool are resolved against it). */
export class DirRef {
  constructor(readonly dir: string) {}
}

/** A name imported from a package (`lambda.Runtime.NODEJS_20_X`): known by its dotted local name only. */
export class NameRef {
  constructor(readonly name: string) {}
}

/** A call the evaluator does not model: `Duration.minutes(5)` is `{ callee: 'Duration.minutes', args: [5] }`. */
export class CallValue {
  constructor(
    /** The callee as a dotted name (`lambda.Code.fromAsset`), or '' when it is not a plain chain. */
    readonly callee: string,
    readonly args: readonly unknown[],
    readonly isNew: boolean,
    readonly node: TSESTree.CallExpression | TSESTree.NewExpression,
  ) {}
}

/** Where the keys of evaluated objects were written. */
const keyPlaces = new WeakMap<object, Map<string, { file: string; line: number }>>();

export function placeOf(object: unknown, key: string): { file: string; line: number } | undefined {
  return object && typeof object === 'object' ? keyPlaces.get(object)?.get(key) : undefined;
}

const MAX_MODULE_DEPTH = 4;
const MAX_VALUE_DEPTH = 40;

type Binding =
  | { kind: 'value'; node: TSESTree.Node | null; pattern?: readonly string[] }
  | { kind: 'import'; source: string; imported: string };

/** Top-level bindings and exports of one module, evaluated on demand. */
export class ModuleEvaluator {
  private readonly bindings = new Map<string, Binding>();
  private readonly active = new Set<string>();
  private readonly exportsMap = new Map<string, Binding>();
  private readonly starExports: string[] = [];
  private moduleExports: TSESTree.Node | undefined;

  constructor(
    readonly file: string,
    readonly program: TSESTree.Program,
    private readonly context: SpecifierContext,
    private readonly depth = 0,
    private readonly loaded = new Map<string, ModuleEvaluator | null>(),
  ) {
    for (const statement of program.body) this.collect(statement);
  }

  /** Loads and evaluates another module of the project (undefined when it cannot be read or parsed). */
  static forFile(file: string, context: SpecifierContext, depth = 0, loaded = new Map<string, ModuleEvaluator | null>()): ModuleEvaluator | undefined {
    if (loaded.has(file)) return loaded.get(file) ?? undefined;
    loaded.set(file, null);
    const text = readText(file);
    const parsed = text === undefined ? undefined : parseFile(file, text, false);
    if (!parsed) return undefined;
    const evaluator = new ModuleEvaluator(file, parsed.ast, context, depth, loaded);
    loaded.set(file, evaluator);
    return evaluator;
  }

  private collect(statement: TSESTree.ProgramStatement): void {
    switch (statement.type) {
      case AST_NODE_TYPES.ImportDeclaration:
        for (const spec of statement.specifiers) {
          const imported =
            spec.type === AST_NODE_TYPES.ImportDefaultSpecifier
              ? 'default'
              : spec.type === AST_NODE_TYPES.ImportNamespaceSpecifier
                ? '*'
                : spec.imported.type === AST_NODE_TYPES.Identifier
                  ? spec.imported.name
                  : spec.imported.value;
          this.bindings.set(spec.local.name, { kind: 'import', source: statement.source.value, imported });
        }
        return;
      case AST_NODE_TYPES.VariableDeclaration:
        this.collectDeclaration(statement);
        return;
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.ClassDeclaration:
        if (statement.id) this.bindings.set(statement.id.name, { kind: 'value', node: null });
        return;
      case AST_NODE_TYPES.ExportNamedDeclaration: {
        const decl = statement.declaration;
        if (decl?.type === AST_NODE_TYPES.VariableDeclaration) {
          this.collectDeclaration(decl);
          for (const d of decl.declarations) {
            if (d.id.type === AST_NODE_TYPES.Identifier) this.exportsMap.set(d.id.name, this.bindings.get(d.id.name)!);
          }
        } else if (decl && 'id' in decl && decl.id?.type === AST_NODE_TYPES.Identifier) {
          this.bindings.set(decl.id.name, { kind: 'value', node: null });
          this.exportsMap.set(decl.id.name, { kind: 'value', node: null });
        }
        for (const spec of statement.specifiers) {
          const local = spec.local.type === AST_NODE_TYPES.Identifier ? spec.local.name : String((spec.local as TSESTree.Literal).value);
          const exported = spec.exported.type === AST_NODE_TYPES.Identifier ? spec.exported.name : spec.exported.value;
          if (statement.source) this.exportsMap.set(exported, { kind: 'import', source: statement.source.value, imported: local });
          else this.exportsMap.set(exported, { kind: 'value', node: spec.local as TSESTree.Node });
        }
        return;
      }
      case AST_NODE_TYPES.ExportAllDeclaration:
        if (statement.exported) {
          const exported = statement.exported as TSESTree.Identifier | TSESTree.StringLiteral;
          const name = exported.type === AST_NODE_TYPES.Identifier ? exported.name : exported.value;
          this.exportsMap.set(name, { kind: 'import', source: statement.source.value, imported: '*' });
        } else this.starExports.push(statement.source.value);
        return;
      case AST_NODE_TYPES.ExportDefaultDeclaration:
        this.exportsMap.set('default', { kind: 'value', node: statement.declaration as TSESTree.Node });
        return;
      case AST_NODE_TYPES.TSExportAssignment:
        this.moduleExports = statement.expression;
        return;
      case AST_NODE_TYPES.ExpressionStatement: {
        const expr = statement.expression;
        if (expr.type !== AST_NODE_TYPES.AssignmentExpression || expr.operator !== '=') return;
        const left = expr.left;
        if (left.type !== AST_NODE_TYPES.MemberExpression) return;
        if (isModuleExports(left)) this.moduleExports = expr.right;
        else if (isModuleExports(left.object) || (left.object.type === AST_NODE_TYPES.Identifier && left.object.name === 'exports')) {
          const name = getPropertyName(left);
          if (name !== undefined) this.exportsMap.set(name, { kind: 'value', node: expr.right });
        }
        return;
      }
      default:
        return;
    }
  }

  private collectDeclaration(decl: TSESTree.VariableDeclaration): void {
    for (const d of decl.declarations) {
      if (d.id.type === AST_NODE_TYPES.Identifier) {
        this.bindings.set(d.id.name, { kind: 'value', node: d.init });
      } else if (d.id.type === AST_NODE_TYPES.ObjectPattern) {
        for (const prop of d.id.properties) {
          if (prop.type !== AST_NODE_TYPES.Property || prop.value.type !== AST_NODE_TYPES.Identifier) continue;
          const key = getPropertyName(prop);
          if (key !== undefined) this.bindings.set(prop.value.name, { kind: 'value', node: d.init, pattern: [key] });
        }
      }
    }
  }

  /** The value a module exports under `name` (`default` for `export default` / `module.exports`). */
  exported(name: string, valueDepth = 0): unknown {
    if (this.moduleExports) {
      const whole = this.value(this.moduleExports, valueDepth);
      if (name === 'default' || name === '*') return whole;
      return member(whole, name);
    }
    if (name === '*') {
      const out: Record<string, unknown> = {};
      for (const key of this.exportsMap.keys()) out[key] = this.exported(key, valueDepth);
      return out;
    }
    const binding = this.exportsMap.get(name);
    if (binding) return this.fromBinding(`export:${name}`, binding, valueDepth);
    for (const source of this.starExports) {
      const other = this.load(source);
      const value = other?.exported(name, valueDepth);
      if (value !== undefined && value !== UNKNOWN) return value;
    }
    return UNKNOWN;
  }

  private load(source: string): ModuleEvaluator | undefined {
    if (this.depth >= MAX_MODULE_DEPTH) return undefined;
    const file = resolveSpecifier(source, this.file, this.context);
    return file ? ModuleEvaluator.forFile(file, this.context, this.depth + 1, this.loaded) : undefined;
  }

  private fromBinding(key: string, binding: Binding, valueDepth: number): unknown {
    if (this.active.has(key)) return UNKNOWN;
    this.active.add(key);
    try {
      if (binding.kind === 'import') {
        if (/^(?:node:)?path$/.test(binding.source)) return binding.imported === '*' || binding.imported === 'default' ? PATH_MODULE : new PathFunction(binding.imported);
        const other = this.load(binding.source);
        if (other) return other.exported(binding.imported, valueDepth);
        return isPackage(binding.source) ? new NameRef(key.slice(key.indexOf(':') + 1)) : UNKNOWN;
      }
      if (!binding.node) return UNKNOWN;
      let value = this.value(binding.node, valueDepth);
      for (const key of binding.pattern ?? []) value = member(value, key);
      return value;
    } finally {
      this.active.delete(key);
    }
  }

  /** The value of an expression of this module. */
  value(node: TSESTree.Node, depth = 0): unknown {
    if (depth > MAX_VALUE_DEPTH) return UNKNOWN;
    switch (node.type) {
      case AST_NODE_TYPES.Literal:
        return node.value instanceof RegExp ? UNKNOWN : node.value;
      case AST_NODE_TYPES.TemplateLiteral: {
        let out = '';
        for (let i = 0; i < node.quasis.length; i++) {
          out += node.quasis[i]!.value.cooked ?? '';
          const expr = node.expressions[i];
          if (!expr) continue;
          const v = this.value(expr, depth + 1);
          if (v instanceof DirRef) out += v.dir;
          else if (typeof v === 'string' || typeof v === 'number') out += String(v);
          else return UNKNOWN;
        }
        return out;
      }
      case AST_NODE_TYPES.Identifier:
        return this.identifier(node.name, depth);
      case AST_NODE_TYPES.ObjectExpression:
        return this.object(node, depth);
      case AST_NODE_TYPES.ArrayExpression: {
        const out: unknown[] = [];
        for (const element of node.elements) {
          if (!element) continue;
          if (element.type === AST_NODE_TYPES.SpreadElement) {
            const spread = this.value(element.argument, depth + 1);
            if (Array.isArray(spread)) out.push(...spread);
          } else out.push(this.value(element, depth + 1));
        }
        return out;
      }
      case AST_NODE_TYPES.MemberExpression: {
        const object = this.value(node.object, depth + 1);
        const key = node.computed ? this.value(node.property, depth + 1) : getPropertyName(node);
        if (typeof key !== 'string' && typeof key !== 'number') return UNKNOWN;
        return member(object, String(key));
      }
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        return this.call(node, depth);
      case AST_NODE_TYPES.BinaryExpression: {
        if (node.operator !== '+') return UNKNOWN;
        const left = this.value(node.left as TSESTree.Node, depth + 1);
        const right = this.value(node.right, depth + 1);
        const text = (v: unknown): string | undefined =>
          v instanceof DirRef ? v.dir : typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
        if (typeof left === 'number' && typeof right === 'number') return left + right;
        const l = text(left);
        const r = text(right);
        return l !== undefined && r !== undefined ? l + r : UNKNOWN;
      }
      case AST_NODE_TYPES.TSAsExpression:
      case AST_NODE_TYPES.TSSatisfiesExpression:
      case AST_NODE_TYPES.TSNonNullExpression:
      case AST_NODE_TYPES.TSTypeAssertion:
        return this.value(node.expression, depth + 1);
      case AST_NODE_TYPES.AwaitExpression:
        return this.value(node.argument, depth + 1);
      case AST_NODE_TYPES.LogicalExpression: {
        // `x ?? default` / `x || default` with an unknown left side: the default is what a file without that
        // setting (the common case in a repository) deploys.
        const left = this.value(node.left, depth + 1);
        if (left !== UNKNOWN && left !== undefined && left !== null) return node.operator === '&&' ? this.value(node.right, depth + 1) : left;
        return node.operator === '&&' ? UNKNOWN : this.value(node.right, depth + 1);
      }
      default:
        return UNKNOWN;
    }
  }

  private identifier(name: string, depth: number): unknown {
    if (name === '__dirname') return new DirRef(path.dirname(this.file));
    if (name === '__filename') return this.file;
    if (name === 'undefined') return undefined;
    const binding = this.bindings.get(name);
    return binding ? this.fromBinding(`binding:${name}`, binding, depth + 1) : UNKNOWN;
  }

  private object(node: TSESTree.ObjectExpression, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const places = new Map<string, { file: string; line: number }>();
    for (const prop of node.properties) {
      if (prop.type === AST_NODE_TYPES.SpreadElement) {
        const spread = this.value(prop.argument, depth + 1);
        if (spread && typeof spread === 'object' && !(spread instanceof CallValue) && !(spread instanceof DirRef)) {
          for (const [k, v] of Object.entries(spread)) {
            out[k] = v;
            const place = placeOf(spread, k);
            if (place) places.set(k, place);
          }
        }
        continue;
      }
      let key = getPropertyName(prop);
      if (key === undefined && prop.computed) {
        const computed = this.value(prop.key, depth + 1);
        if (typeof computed === 'string') key = computed;
      }
      if (key === undefined || key === '__proto__') continue;
      out[key] = prop.value.type === AST_NODE_TYPES.AssignmentPattern ? UNKNOWN : this.value(prop.value as TSESTree.Node, depth + 1);
      places.set(key, { file: this.file, line: prop.loc.start.line });
    }
    keyPlaces.set(out, places);
    return out;
  }

  private call(node: TSESTree.CallExpression | TSESTree.NewExpression, depth: number): unknown {
    const callee = this.value(node.callee, depth + 1);
    const args = node.arguments.map((a) =>
      a.type === AST_NODE_TYPES.SpreadElement ? UNKNOWN : this.value(a, depth + 1),
    );
    if (callee instanceof PathFunction) return callee.apply(args);
    const name = dottedName(node.callee);
    if (name === 'Object.freeze' || name === 'Object.assign') {
      if (name === 'Object.freeze') return args[0];
      const merged: Record<string, unknown> = {};
      for (const a of args) if (a && typeof a === 'object' && !(a instanceof CallValue)) Object.assign(merged, a);
      return merged;
    }
    // A helper given `__dirname` (`handlerPath(__dirname)`, `getInfo(__dirname).dir`) computes a path from it.
    const dir = args.find((a): a is DirRef => a instanceof DirRef);
    if (dir) return dir;
    const base = unwrapCallee(node.callee);
    if (base.type === AST_NODE_TYPES.MemberExpression) {
      const object = this.value(base.object, depth + 1);
      if (object instanceof DirRef) return object;
    }
    return new CallValue(name ?? '', args, node.type === AST_NODE_TYPES.NewExpression, node);
  }
}

/** A package name (`aws-cdk-lib/aws-lambda`), not a path. */
function isPackage(source: string): boolean {
  return !source.startsWith('.') && !source.startsWith('/');
}

function unwrapCallee(node: TSESTree.Node): TSESTree.Node {
  let current = node;
  while (current.type === AST_NODE_TYPES.TSNonNullExpression || current.type === AST_NODE_TYPES.TSAsExpression) current = current.expression;
  return current;
}

/** `a.b.c` as text, or undefined. */
export function dottedName(node: TSESTree.Node): string | undefined {
  const n = unwrapCallee(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const object = dottedName(n.object);
    const name = getPropertyName(n);
    return object !== undefined && name !== undefined ? `${object}.${name}` : undefined;
  }
  return undefined;
}

function isModuleExports(node: TSESTree.Node): boolean {
  return (
    node.type === AST_NODE_TYPES.MemberExpression &&
    node.object.type === AST_NODE_TYPES.Identifier &&
    node.object.name === 'module' &&
    getPropertyName(node) === 'exports'
  );
}

/** A property of an evaluated value. */
export function member(object: unknown, key: string): unknown {
  if (object instanceof DirRef) return object;
  if (object instanceof NameRef) return new NameRef(`${object.name}.${key}`);
  if (object === PATH_MODULE) return new PathFunction(key);
  if (object && typeof object === 'object' && !(object instanceof CallValue) && Object.hasOwn(object, key)) {
    return (object as Record<string, unknown>)[key];
  }
  return UNKNOWN;
}

const PATH_MODULE = Symbol('path');

/** `path.join`, `path.resolve`, `path.dirname`, `path.basename` on known strings. */
class PathFunction {
  constructor(readonly name: string) {}

  apply(args: readonly unknown[]): unknown {
    const strings: string[] = [];
    for (const a of args) {
      if (a instanceof DirRef) strings.push(a.dir);
      else if (typeof a === 'string') strings.push(a);
      else return UNKNOWN;
    }
    switch (this.name) {
      case 'join':
        return path.join(...strings);
      case 'resolve':
        return path.resolve(...strings);
      case 'dirname':
        return strings[0] === undefined ? UNKNOWN : path.dirname(strings[0]);
      case 'basename':
        return strings[0] === undefined ? UNKNOWN : path.basename(strings[0], strings[1]);
      default:
        return UNKNOWN;
    }
  }
}

/** A string value (a path derived from `__dirname` included), or undefined. */
export function stringOf(value: unknown): string | undefined {
  if (value instanceof DirRef) return value.dir;
  return typeof value === 'string' ? value : undefined;
}

