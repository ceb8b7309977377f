/**
 * AWS CDK apps (found by their `cdk.json`): the stack files reached from the app's entry file (its `app` command)
 * through relative imports, and in them `new lambda.Function(scope, id, { handler: 'index.main', code:
 * Code.fromAsset(dir) })`, `new NodejsFunction(scope, id, { entry, handler })` (default entry: the stack file's name
 * with `.<id>.ts` (or `.js`, `.mjs`, `.mts`, `.cts`, `.cjs`) beside it; default handler `handler`), subclasses of
 * either declared in the stack file, their `timeout: Duration.seconds(n)` / `Duration.minutes(n)` (CDK's default is
 * Lambda's 3 seconds), and `new LayerVersion(scope, id, { code: Code.fromAsset(dir) })`. Relative asset paths are
 * relative to the app folder, where `cdk` runs.
 */
import path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { walk } from '../../ast/walk.js';
import { isFile, readText } from '../fs.js';
import { parseFile } from '../parse.js';
import { importSpecifiers, resolveHandler, resolveModuleFile, resolveSpecifier, SOURCE_FILE, type SpecifierContext } from '../paths.js';
import { CallValue, ModuleEvaluator, NameRef, UNKNOWN, stringOf } from '../evaluate.js';
import { DEFAULT_TIMEOUTS, type DescriptorFacts, type FunctionDeclaration, type LayerDeclaration } from '../types.js';

const MAX_STACK_FILES = 200;
const MAX_IMPORT_DEPTH = 6;
const LAMBDA_MODULES = /^(?:aws-cdk-lib\/aws-lambda|@aws-cdk\/aws-lambda)$/;
const NODEJS_MODULES = /^(?:aws-cdk-lib\/aws-lambda-nodejs|@aws-cdk\/aws-lambda-nodejs)$/;
const NODEJS_DEFAULT_ENTRY_EXTENSIONS = ['.ts', '.js', '.mjs', '.mts', '.cts', '.cjs'];

/** A cheap test: can this source file declare Lambda functions with the CDK? */
export function mayDeclareFunctions(text: string): boolean {
  return text.includes('aws-lambda') || text.includes('aws_lambda');
}

/** What one stack file of the CDK app in `appDir` declares. */
export function cdkStackFacts(file: string, appDir: string, context: SpecifierContext): DescriptorFacts {
  const functions: FunctionDeclaration[] = [];
  const layers: LayerDeclaration[] = [];
  {
    const text = readText(file);
    if (text === undefined || !mayDeclareFunctions(text)) return { functions, layers };
    const parsed = parseFile(file, text, false);
    if (!parsed) return { functions, layers };
    const constructs = constructNames(parsed.ast);
    if (constructs.size === 0) return { functions, layers };
    const evaluator = new ModuleEvaluator(file, parsed.ast, context);
    walk(parsed.ast, parsed.visitorKeys, (node) => {
      if (node.type !== AST_NODE_TYPES.NewExpression) return;
      const kind = constructKind(node.callee, constructs);
      if (!kind) return;
      const id = stringOf(node.arguments[1] ? evaluator.value(node.arguments[1]) : undefined);
      const propsNode = node.arguments[2];
      const props = propsNode && propsNode.type !== AST_NODE_TYPES.SpreadElement ? evaluator.value(propsNode) : {};
      const declaredAt = { file, line: node.loc.start.line, kind: 'cdk' as const };
      if (kind === 'layer') {
        const dir = assetPath(isObject(props) ? props.code : undefined, appDir);
        if (dir) layers.push({ contentDir: dir, declaredAt });
        return;
      }
      if (!isObject(props)) return;
      const resolved = kind === 'nodejs' ? nodejsHandler(file, id, props, appDir) : functionHandler(props, appDir);
      if (!resolved) return;
      const timeout = duration(props.timeout);
      functions.push({
        name: id ?? `${path.basename(file)}:${node.loc.start.line}`,
        file: resolved.file,
        exportName: resolved.exportName,
        timeout: timeout ?? DEFAULT_TIMEOUTS.cdk,
        timeoutDeclared: timeout !== undefined,
        declaredAt,
      });
    });
  }
  return { functions, layers };
}

/**
 * The stack sources of a CDK app: the entry file of its `app` command and what it imports (relative paths and
 * aliases), breadth first, that can declare functions (text only: nothing is parsed).
 */
export function stackFiles(cdkJson: string, context: SpecifierContext): string[] {
  const appDir = path.dirname(cdkJson);
  let app: unknown;
  try {
    app = (JSON.parse(readText(cdkJson) ?? '{}') as { app?: unknown }).app;
  } catch {
    return [];
  }
  const entry = typeof app === 'string' ? appEntry(app, appDir) : undefined;
  if (!entry) return [];
  const seen = new Set<string>([entry]);
  let frontier = [entry];
  for (let depth = 0; depth < MAX_IMPORT_DEPTH && frontier.length > 0 && seen.size < MAX_STACK_FILES; depth++) {
    const next: string[] = [];
    for (const file of frontier) {
      const text = readText(file);
      if (text === undefined) continue;
      for (const specifier of importSpecifiers(text)) {
        const target = resolveSpecifier(specifier, file, context);
        if (!target || seen.has(target) || seen.size >= MAX_STACK_FILES) continue;
        seen.add(target);
        next.push(target);
      }
    }
    frontier = next;
  }
  return [...seen].filter((file) => {
    const text = readText(file);
    return text !== undefined && mayDeclareFunctions(text);
  });
}

/** The source file an app command runs: `npx ts-node --prefer-ts-exts bin/app.ts`, `node dist/bin/app.js`. */
function appEntry(command: string, appDir: string): string | undefined {
  for (const token of command.split(/\s+/)) {
    if (!SOURCE_FILE.test(token)) continue;
    const direct = resolveModuleFile(path.resolve(appDir, token));
    if (direct) return direct;
    // Compiled output: the sources sit where the build directory's contents came from.
    const parts = token.replace(/^\.\//, '').split('/');
    if (parts.length > 1) {
      const stem = path.resolve(appDir, parts.slice(1).join('/')).replace(/\.[cm]?jsx?$/i, '');
      const source = resolveModuleFile(stem);
      if (source) return source;
    }
  }
  return undefined;
}

type ConstructKind = 'function' | 'nodejs' | 'layer';

/** Local names of the Lambda constructs and of the namespaces that hold them. */
function constructNames(program: TSESTree.Program): Map<string, ConstructKind | 'lambda-ns' | 'nodejs-ns' | 'lib-ns'> {
  const names = new Map<string, ConstructKind | 'lambda-ns' | 'nodejs-ns' | 'lib-ns'>();
  for (const statement of program.body) {
    if (statement.type !== AST_NODE_TYPES.ImportDeclaration) continue;
    const source = statement.source.value;
    const lambda = LAMBDA_MODULES.test(source);
    const nodejs = NODEJS_MODULES.test(source);
    const lib = source === 'aws-cdk-lib';
    for (const spec of statement.specifiers) {
      if (spec.type === AST_NODE_TYPES.ImportNamespaceSpecifier || spec.type === AST_NODE_TYPES.ImportDefaultSpecifier) {
        if (lambda) names.set(spec.local.name, 'lambda-ns');
        else if (nodejs) names.set(spec.local.name, 'nodejs-ns');
        else if (lib) names.set(spec.local.name, 'lib-ns');
        continue;
      }
      const imported = spec.imported.type === AST_NODE_TYPES.Identifier ? spec.imported.name : spec.imported.value;
      if (lambda) {
        const kind = lambdaExport(imported);
        if (kind) names.set(spec.local.name, kind);
      } else if (nodejs && imported === 'NodejsFunction') names.set(spec.local.name, 'nodejs');
      else if (lib && imported === 'aws_lambda') names.set(spec.local.name, 'lambda-ns');
      else if (lib && imported === 'aws_lambda_nodejs') names.set(spec.local.name, 'nodejs-ns');
    }
  }
  // Subclasses declared in the file: `class ApiFunction extends NodejsFunction { … }`.
  for (const statement of program.body) {
    const cls =
      statement.type === AST_NODE_TYPES.ClassDeclaration
        ? statement
        : statement.type === AST_NODE_TYPES.ExportNamedDeclaration && statement.declaration?.type === AST_NODE_TYPES.ClassDeclaration
          ? statement.declaration
          : undefined;
    if (!cls?.id || !cls.superClass) continue;
    const kind = constructKind(cls.superClass, names);
    if (kind && kind !== 'layer') names.set(cls.id.name, kind);
  }
  return names;
}

function lambdaExport(name: string): ConstructKind | undefined {
  if (name === 'Function' || name === 'SingletonFunction') return 'function';
  if (name === 'LayerVersion') return 'layer';
  return undefined;
}

function constructKind(
  callee: TSESTree.Node,
  names: ReadonlyMap<string, ConstructKind | 'lambda-ns' | 'nodejs-ns' | 'lib-ns'>,
): ConstructKind | undefined {
  if (callee.type === AST_NODE_TYPES.Identifier) {
    const kind = names.get(callee.name);
    return kind === 'function' || kind === 'nodejs' || kind === 'layer' ? kind : undefined;
  }
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const property = callee.property.name;
  const object = callee.object;
  if (object.type === AST_NODE_TYPES.Identifier) {
    const ns = names.get(object.name);
    if (ns === 'lambda-ns') return lambdaExport(property);
    if (ns === 'nodejs-ns') return property === 'NodejsFunction' ? 'nodejs' : undefined;
    return undefined;
  }
  // cdk.aws_lambda.Function
  if (object.type === AST_NODE_TYPES.MemberExpression && object.object.type === AST_NODE_TYPES.Identifier && object.property.type === AST_NODE_TYPES.Identifier) {
    if (names.get(object.object.name) !== 'lib-ns') return undefined;
    if (object.property.name === 'aws_lambda') return lambdaExport(property);
    if (object.property.name === 'aws_lambda_nodejs') return property === 'NodejsFunction' ? 'nodejs' : undefined;
  }
  return undefined;
}

/** `lambda.Function`: `handler: 'index.main'` in the folder of `code: Code.fromAsset(dir)`. */
function functionHandler(props: Record<string, unknown>, appDir: string): { file: string; exportName: string } | undefined {
  const handler = stringOf(props.handler);
  if (!handler || !isNodeRuntime(props.runtime)) return undefined;
  const dir = assetPath(props.code, appDir);
  return dir ? resolveHandler(dir, handler) : undefined;
}

/** `NodejsFunction`: `entry` (default `<stack>.<id>.ts` beside the stack file) and `handler` (default `handler`). */
function nodejsHandler(
  stackFile: string,
  id: string | undefined,
  props: Record<string, unknown>,
  appDir: string,
): { file: string; exportName: string } | undefined {
  const handlerValue = props.handler === undefined || props.handler === UNKNOWN ? 'handler' : stringOf(props.handler);
  if (!handlerValue || !isNodeRuntime(props.runtime)) return undefined;
  const exportName = handlerValue.slice(handlerValue.lastIndexOf('.') + 1);
  const entryValue = props.entry;
  let file: string | undefined;
  if (entryValue === undefined) {
    if (id === undefined) return undefined;
    const stem = stackFile.replace(SOURCE_FILE, '');
    file = NODEJS_DEFAULT_ENTRY_EXTENSIONS.map((ext) => `${stem}.${id}${ext}`).find((candidate) => isFile(candidate));
  } else {
    const entry = stringOf(entryValue);
    if (!entry) return undefined;
    const absolute = path.resolve(appDir, entry);
    file = isFile(absolute) ? absolute : resolveModuleFile(absolute.replace(SOURCE_FILE, ''));
  }
  return file ? { file, exportName } : undefined;
}

/** Node.js unless the runtime says otherwise (`lambda.Runtime.PYTHON_3_12`). */
function isNodeRuntime(runtime: unknown): boolean {
  if (runtime instanceof NameRef) return !/\.(?:PYTHON|JAVA|DOTNET|GO|RUBY|PROVIDED)/i.test(runtime.name);
  return true;
}

/** The folder of `Code.fromAsset(dir)` / `lambda.Code.fromAsset(path.join(__dirname, …))`. */
function assetPath(code: unknown, appDir: string): string | undefined {
  if (!(code instanceof CallValue) || !/(?:^|\.)(?:fromAsset|asset)$/.test(code.callee)) return undefined;
  const dir = stringOf(code.args[0]);
  return dir ? path.resolve(appDir, dir) : undefined;
}

/** `Duration.seconds(30)`, `cdk.Duration.minutes(2)`, `Duration.millis(500)`, in seconds. */
function duration(value: unknown): number | undefined {
  if (!(value instanceof CallValue)) return undefined;
  const amount = value.args[0];
  if (typeof amount !== 'number' || !(amount > 0)) return undefined;
  const unit = value.callee.slice(value.callee.lastIndexOf('.') + 1);
  const factor: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, millis: 0.001 };
  return Object.hasOwn(factor, unit) && value.callee.includes('Duration') ? amount * factor[unit]! : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof CallValue) && !(value instanceof NameRef);
}

