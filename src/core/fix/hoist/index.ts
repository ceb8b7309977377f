/**
 * The fix for a connection opened on every invocation (`no-connection-in-handler`, `hoist-connection`): the setup
 * runs once per execution environment and every invocation reuses what it made.
 *
 * One transformation covers the shapes: find where the created instance is held (a declaration, an assignment, a
 * factory's `return`), the setup its settings need (see slice.ts), and what the invocation does with it (see
 * uses.ts); then make the setup and the creation run once, and drop the per-invocation connect and close calls.
 * What "run once" looks like depends on the driver:
 *
 * - `module`: a pool or ORM that connects lazily, built synchronously: the declaration (with its setup) moves to
 *   module scope.
 * - `pool of one`: a callback-style mysql / mysql2 connection: a module-scope pool of one connection, which takes the
 *   same `query(sql, callback)` calls and replaces a connection that died.
 * - `initialiser`: anything that must be awaited (a connection that connects, a secret fetched first): a module-scope
 *   memoised initialiser (see `memoBody`) whose promise concurrent invocations share and which runs again after a
 *   failure; the holder awaits it. A factory helper gets the memo around its own body.
 *
 * Non-async handlers that now keep an instance open get `context.callbackWaitsForEmptyEventLoop = false`.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { DriverInstance, FileAnalysis, InstanceCall as AnalysisCall } from '../../analysis.js';
import type { Creator } from '../../drivers/catalogue.js';
import type { LambdaHandler } from '../../lambda/handlers.js';
import { contains, enclosingFunction, isFunctionNode, unwrapExpression, type FunctionNode } from '../../ast/nodes.js';
import { findVariable, isModuleScope, type Scope, type Variable } from '../../ast/scope.js';
import { IamTokens, mayCallForToken } from '../../config/iam.js';
import { valueParent } from '../../modules.js';
import { siblingExport } from '../imports.js';
import { plan, Refusal, type FixBuilder, type FixContext, type PlanOutcome } from '../plan.js';
import { dedent, indentAt, movedText, startWithLeadingComments } from '../text.js';
import {
  insertModuleCode,
  memoBody,
  moduleInsertPoint,
  movedSlot,
  planCloseRemoval,
  removeStatements,
  renderWithMoved,
} from './emit.js';
import { isFreeAtModuleScope, textWithRenames } from './scope-utils.js';
import { computeSlice, type Slice } from './slice.js';
import { analyseUses, type InstanceCall, type InstanceUses } from './uses.js';

type Form = 'module' | 'poolOfOne' | 'initialiser';


export function planHoist(context: FixContext, analysis: FileAnalysis, instance: DriverInstance, handler: LambdaHandler): PlanOutcome {
  return plan(context, (fix) => new HoistPlanner(fix, analysis, handler).instance(instance));
}

/** `client.connect()` in the handler, on a client created at module scope: it connects once per environment. */
export function planConnectOnce(context: FixContext, analysis: FileAnalysis, call: AnalysisCall, handler: LambdaHandler): PlanOutcome {
  const connected = { node: call.node, variable: call.instance.variable, closeMethods: call.instance.creator.closeMethods };
  return plan(context, (fix) => new HoistPlanner(fix, analysis, handler).connectOnce(connected));
}

/**
 * A connect call on a client another module creates (`AppDataSource.initialize()` of an imported DataSource): the
 * same fix as for a client of the file, on the imported binding. `closeMethods`: the methods that close that client.
 */
export function planImportedConnectOnce(
  context: FixContext,
  call: TSESTree.CallExpression,
  closeMethods: readonly string[] | undefined,
  handler: LambdaHandler,
): PlanOutcome {
  return plan(context, (fix) => {
    const object = call.callee.type === AST_NODE_TYPES.MemberExpression ? call.callee.object : undefined;
    const variable =
      object?.type === AST_NODE_TYPES.Identifier ? findVariable(fix.sourceCode.scopeManager!.globalScope!, object) : undefined;
    new HoistPlanner(fix, undefined, handler).connectOnce({ node: call, variable, closeMethods });
  });
}

/**
 * A driver's global pool closed by the invocation that opened it (mssql `sql.connect()` then `pool.close()`): the
 * per-invocation close calls go, so the next invocation's `connect()` returns the pool that is still open.
 */
export function planKeepGlobalPool(
  context: FixContext,
  analysis: FileAnalysis,
  closes: readonly TSESTree.CallExpression[],
  handler: LambdaHandler,
): PlanOutcome {
  return plan(context, (fix) => new HoistPlanner(fix, analysis, handler).keepGlobalPool(closes));
}

/** A connect call and what it connects: the variable holding the client and the client's close methods. */
interface ConnectedCall {
  readonly node: TSESTree.CallExpression;
  readonly variable: Variable | undefined;
  readonly closeMethods: readonly string[] | undefined;
}

class HoistPlanner {
  /** Connection-only property reads rewritten to the pooled connection (pool of one). */
  private readonly connectionReadsHandled = new Set<TSESTree.Node>();
  private readonly sourceCode: FixBuilder['sourceCode'];
  private readonly scope: Scope;

  constructor(
    private readonly fix: FixBuilder,
    private readonly analysis: FileAnalysis | undefined,
    private readonly handler: LambdaHandler,
  ) {
    this.sourceCode = fix.sourceCode;
    this.scope = fix.sourceCode.scopeManager!.globalScope!;
  }

  instance(instance: DriverInstance): void {
    const { creator } = instance;
    if (creator.callbackConnect) throw new Refusal(`${creator.label} connects with a callback only; wrap it by hand`);
    const creation = instance.node;
    const value = outerValue(creation);
    const awaited = value !== creation && hasAwaitBetween(value, creation);
    const fn = enclosingFunction(creation);
    if (!fn) throw new Refusal('the connection is not created inside a function');
    const form = this.formFor(instance, awaited);
    const parent = value.parent!;

    if (parent.type === AST_NODE_TYPES.ReturnStatement || (parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === value)) {
      return this.factory(instance, fn, value, form);
    }
    let variable: Variable | undefined;
    let holderNode: TSESTree.Node;
    if (parent.type === AST_NODE_TYPES.VariableDeclarator && parent.init === value) {
      if (parent.id.type !== AST_NODE_TYPES.Identifier) throw new Refusal('the connection is destructured');
      variable = this.heldBy(instance, parent, parent.id);
      holderNode = parent;
    } else if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === value && parent.operator === '=') {
      const left = unwrapExpression(parent.left);
      if (left.type !== AST_NODE_TYPES.Identifier) throw new Refusal('the connection is stored in a property');
      variable = this.heldBy(instance, parent, left);
      holderNode = parent;
    } else {
      throw new Refusal('the connection is created inside a larger expression (an argument, a property or a chain)');
    }
    if (!variable) throw new Refusal('the connection is stored in an undeclared variable');
    if (this.isReturned(variable, fn)) return this.factory(instance, fn, value, form);
    this.holder(instance, fn, value, variable, holderNode, form);
  }

  /**
   * The variable a declarator or assignment stores the instance in: the one the analysis bound, when the holder is
   * the instance's binding.
   */
  private heldBy(instance: DriverInstance, holder: TSESTree.Node, id: TSESTree.Identifier): Variable | undefined {
    return instance.binding === holder ? instance.variable : findVariable(this.scope, id);
  }

  /** Which "run once" fits the driver (see the file comment). */
  private formFor(instance: DriverInstance, awaited: boolean): Form {
    const { creator } = instance;
    const lazy = creator.connects === 'lazy' && !creator.async && !awaited;
    if (lazy && creator.kind !== 'client') return 'module';
    const poolOfOne = creator.poolOfOne;
    if (poolOfOne && !awaited && !creator.async && !instance.module.endsWith('/promise')) {
      // mysql's callback connections are always used with callbacks; a pg `Client` only outside async functions.
      const asyncHolder = Boolean(enclosingFunction(instance.node)?.async);
      if (poolOfOne.checkout === 'getConnection' || !asyncHolder) return 'poolOfOne';
    }
    return 'initialiser';
  }

  /** The instance is held by a variable in the function: declaration `const x = …` or assignment `x = …`. */
  private holder(instance: DriverInstance, fn: FunctionNode, value: TSESTree.Node, variable: Variable, holderNode: TSESTree.Node, form: Form): void {
    const { creator } = instance;
    const skip = new Set<TSESTree.Node>();
    if (holderNode.type === AST_NODE_TYPES.AssignmentExpression) skip.add(unwrapExpression(holderNode.left));
    const moduleHolder = isModuleScope(variable.scope);
    const uses = analyseUses(variable, {
      // mysql2's callback connections connect by themselves but have `connect()` too: on a pool it goes.
      connectMethods: form === 'poolOfOne' ? ['connect'] : (creator.connectMethods ?? []),
      closeMethods: creator.closeMethods,
      allowNullWrites: holderNode.type === AST_NODE_TYPES.AssignmentExpression,
      skip,
      ...(form === 'poolOfOne'
        ? { allowedMembers: new Set(creator.poolOfOne!.members), connectionProperties: new Set(creator.poolOfOne!.connectionProperties) }
        : {}),
    });
    if (!moduleHolder) this.checkUsesInside(uses, variable, fn);

    if (form === 'initialiser') return this.initialiser(instance, fn, value, variable, holderNode, uses);
    const roots: TSESTree.Node[] = [value];
    const slice = computeSlice(this.sourceCode, { roots, anchor: value, exclude: new Set([variable]) });
    if (slice.awaits) return this.initialiser(instance, fn, value, variable, holderNode, uses, slice);
    this.checkTokenLifetime(instance, form, [...slice.statements, value]);
    this.moduleInstance(instance, fn, value, variable, holderNode, uses, slice, form);
  }

  /** Uses of a function-local instance must stay in that function (a callback inside it counts). */
  private checkUsesInside(uses: InstanceUses, variable: Variable, fn: FunctionNode): void {
    for (const id of uses.escapes) {
      const parent = id.parent;
      if (parent?.type === AST_NODE_TYPES.ReturnStatement || (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === id)) {
        throw new Refusal(`\`${variable.name}\` is returned, so callers may close or reconnect it`);
      }
    }
    for (const call of [...uses.connects, ...uses.closes]) {
      if (!contains(fn, call.call)) throw new Refusal(`\`${variable.name}\` is used outside the function that creates it`);
    }
  }

  private currentCreator: Creator | undefined;

  private moduleInstance(
    instance: DriverInstance,
    fn: FunctionNode,
    value: TSESTree.Node,
    variable: Variable,
    holderNode: TSESTree.Node,
    uses: InstanceUses,
    slice: Slice,
    form: Form,
  ): void {
    const { fix } = this;
    const { creator } = instance;
    this.currentCreator = creator;
    if (form === 'module' && uses.connects.length > 0) {
      throw new Refusal(`\`${variable.name}\` is connected on each invocation`);
    }
    const removals: TSESTree.Node[] = [];
    const dropped: TSESTree.Node[] = [];
    const renames = this.moduleRenames(slice);
    const moved: string[] = [];
    const lines: string[] = [];
    for (const statement of slice.statements) {
      moved.push(this.statementText(statement, renames));
      lines.push(movedSlot(moved.length - 1));
      if (slice.movable.has(statement)) removals.push(statement);
    }
    let creationText = textWithRenames(fix.text, value.range[0], value.range[1], renames);
    creationText = dedent(creationText, indentAt(fix.text, value.range[0]));
    if (form === 'poolOfOne') creationText = this.poolOfOneCreation(instance, value, renames);

    const declarator = holderNode.type === AST_NODE_TYPES.VariableDeclarator ? holderNode : undefined;
    const declaration = declarator?.parent as TSESTree.VariableDeclaration | undefined;
    // A single local declaration moves whole; where its name is taken at module scope, it moves under a new name.
    const moveDeclaration =
      declarator !== undefined &&
      declaration!.declarations.length === 1 &&
      !isModuleScope(variable.scope) &&
      declaration!.parent?.type !== AST_NODE_TYPES.ForStatement &&
      !variable.references.some((r) => r.isWrite() && !r.init);
    let name: string;
    if (moveDeclaration) {
      name = isFreeAtModuleScope(this.sourceCode, variable.name) ? variable.name : fix.uniqueName(variable.name);
      if (name !== variable.name) {
        for (const reference of variable.references) {
          if (reference.init) continue;
          const id = reference.identifier as TSESTree.Identifier;
          const parent = id.parent;
          if (parent?.type === AST_NODE_TYPES.Property && parent.shorthand) fix.replace(id.range[0], id.range[1], `${variable.name}: ${name}`);
          else fix.replace(id.range[0], id.range[1], name);
        }
      }
      const comments = this.leadingComments(declaration!);
      const head = textWithRenames(fix.text, declaration!.range[0], value.range[0], new Map([[variable, name]]))
        .replace(/^var\b/, 'const')
        .replace(/^let\b/, 'const');
      const tail = fix.text.slice(value.range[1], declaration!.range[1]);
      moved.push(`${comments}${head}${creationText}${tail}`);
      lines.push(movedSlot(moved.length - 1));
      removals.push(declaration!);
    } else {
      name = fix.uniqueName(isModuleScope(variable.scope) ? `${variable.name}Pool` : variable.name);
      moved.push(`const ${name} = ${creationText}${fix.style.semi ? ';' : ''}`);
      lines.push(movedSlot(moved.length - 1));
      fix.replace(value.range[0], value.range[1], name);
    }
    const idleErrorEvent = form === 'poolOfOne' ? creator.poolOfOne?.idleErrorEvent : creator.idleErrorEvent;
    if (idleErrorEvent) {
      lines.push(`${name}.on('${idleErrorEvent}', (error) => {`, `  console.error('Idle database connection failed:', error.message);`, `});`);
    }

    this.dropCalls(uses, form, dropped);
    removeStatements(fix, removals, dropped);
    const point = moduleInsertPoint(fix, fn, slice.moduleDependencyEnd);
    insertModuleCode(fix, point, renderWithMoved(fix, lines.join('\n'), moved));
    if (form === 'poolOfOne') {
      fix.change(`\`${variable.name}\` (${creator.label}) is now a module-scope pool of one connection, created once per execution environment`);
      fix.note(
        'A pool of one connection replaces a connection that died (a proxy idle timeout, a failover); per-invocation connect() and end() calls were removed.',
      );
    } else {
      fix.change(`moved \`${variable.name}\` (${creator.label}) to module scope${slice.statements.length ? ', with the settings it is built from' : ''}`);
    }
    this.callbackHandlers();
  }

  /**
   * The pool of one that stands in for the connection: `mysql.createConnection(config)` →
   * `mysql.createPool({ ...config, connectionLimit: 1 })`, `new Client(config)` → `new Pool({ ...config, max: 1 })`.
   */
  private poolOfOneCreation(instance: DriverInstance, value: TSESTree.Node, renames: ReadonlyMap<Variable, string>): string {
    const { fix } = this;
    const spec = instance.creator.poolOfOne!;
    const call = instance.node;
    const creator = siblingExport(fix, call.callee, instance.creator.path, spec.path);
    if (call.arguments.length > 1) throw new Refusal('the connection is not created from one settings object');
    const arg = call.arguments[0];
    const limit = `${spec.limitKey}: 1`;
    let config: string;
    if (!arg) {
      config = `{ ${limit} }`;
    } else if (arg.type === AST_NODE_TYPES.ObjectExpression) {
      const argText = textWithRenames(fix.text, arg.range[0], arg.range[1], renames);
      if (arg.properties.length === 0) config = `{ ${limit} }`;
      else {
        const last = arg.properties.at(-1)!;
        const lastEnd = last.range[1] - arg.range[0];
        const rest = argText.slice(lastEnd);
        const trailingComma = /^\s*,/.test(rest);
        const multiline = fix.text.slice(arg.range[0], last.range[0]).includes('\n');
        const separator = multiline ? `\n${indentAt(fix.text, last.range[0])}` : ' ';
        config = trailingComma
          ? `${argText.slice(0, lastEnd)}${rest.replace(/^(\s*,)/, `$1${separator}${limit},`)}`
          : `${argText.slice(0, lastEnd)},${separator}${limit}${rest}`;
      }
    } else if (arg.type === AST_NODE_TYPES.Literal || arg.type === AST_NODE_TYPES.TemplateLiteral || arg.type === AST_NODE_TYPES.SpreadElement) {
      throw new Refusal(`the connection is configured with a URI string; use a pool with \`${spec.limitKey}: 1\` by hand`);
    } else {
      config = `{ ...${textWithRenames(fix.text, arg.range[0], arg.range[1], renames)}, ${limit} }`;
    }
    const created = `${spec.call === 'new' ? 'new ' : ''}${creator}(${config})`;
    return dedent(created, indentAt(fix.text, value.range[0]));
  }

  /** Connect and close calls of a shared instance: removed, or (pool of one) connect with a callback kept. */
  private dropCalls(uses: InstanceUses, form: Form, dropped: TSESTree.Node[]): void {
    const { fix } = this;
    const handled = this.connectionReadsHandled;
    for (const close of uses.closes) {
      if (!close.statement && !close.arrowBody) {
        throw new Refusal(`\`${close.method}()\` is used as a value, so it cannot simply go`);
      }
      planCloseRemoval(fix, close, this.sourceCode.visitorKeys, dropped);
    }
    for (const connect of uses.connects) {
      if (form !== 'poolOfOne') {
        if (!connect.statement) throw new Refusal(`\`${connect.method}()\` is used as a value, so it cannot simply go`);
        dropped.push(connect.statement);
        continue;
      }
      const callback = connect.call.arguments[0];
      if (!callback) {
        if (!connect.statement) throw new Refusal('`connect()` is used as a value, so it cannot simply go');
        dropped.push(connect.statement);
        continue;
      }
      this.connectViaPool(connect, callback, uses);
    }
    for (const read of uses.connectionOnly) {
      if (!handled.has(read)) {
        const property = this.fix.text.slice(read.property.range[0], read.property.range[1]);
        throw new Refusal(`\`${property}\` of the connection is read outside its \`connect()\` callback, where a pool has none`);
      }
    }
  }

  /**
   * `connection.connect(cb)` on what is now a pool: `connection.getConnection((error, c) => { c?.release(); cb(error) })`
   * in effect, so `cb` still learns whether the database can be reached, and the connection stays in the pool.
   */
  private connectViaPool(connect: InstanceCall, callback: TSESTree.CallExpressionArgument, uses: InstanceUses): void {
    const { fix } = this;
    const member = unwrapExpression(connect.call.callee) as TSESTree.MemberExpression;
    const checkout = this.currentCreator!.poolOfOne!.checkout;
    if (checkout !== connect.method) fix.replace(member.property.range[0], member.property.range[1], checkout);
    const pooled = fix.uniqueName('pooledConnection');
    if (
      (callback.type === AST_NODE_TYPES.FunctionExpression || callback.type === AST_NODE_TYPES.ArrowFunctionExpression) &&
      callback.body.type === AST_NODE_TYPES.BlockStatement &&
      callback.params.length <= 1 &&
      !callback.async
    ) {
      const body = callback.body;
      const release = `if (${pooled}) ${pooled}.release();`;
      const first = body.body[0];
      const indent = first ? indentAt(fix.text, first.range[0]) : `${indentAt(fix.text, body.range[0])}${fix.style.indent}`;
      const eol = fix.style.eol;
      if (callback.params.length === 1) {
        const param = callback.params[0]!;
        // `error => {…}`: an arrow's only parameter may stand without parentheses, which two parameters need.
        const parenthesised = this.sourceCode.getTokenAfter(param)?.value === ')';
        if (parenthesised) fix.insert(param.range[1], `, ${pooled}`);
        else fix.replace(param.range[0], param.range[1], `(${fix.text.slice(param.range[0], param.range[1])}, ${pooled})`);
      } else {
        const open = fix.text.indexOf('(', callback.range[0]);
        fix.insert(open + 1, `${fix.uniqueName('connectError')}, ${pooled}`);
      }
      fix.insert(body.range[0] + 1, `${eol}${indent}${fix.code(release)}`);
      // `connection.threadId` inside the callback: the connection the pool gave.
      for (const read of uses.connectionOnly) {
        if (!contains(callback, read)) continue;
        fix.replace(read.object.range[0], read.object.range[1], pooled);
        this.connectionReadsHandled.add(read);
      }
      return;
    }
    const error = fix.uniqueName('connectError');
    const callbackText = fix.text.slice(callback.range[0], callback.range[1]);
    fix.replace(
      callback.range[0],
      callback.range[1],
      fix.code(`(${error}, ${pooled}) => {\n  if (${pooled}) ${pooled}.release();\n  ${callbackText}(${error});\n}`),
    );
  }

  /**
   * An IAM token fetched once in the setup and given to something that opens connections later (a pool): after 15
   * minutes every new connection would fail. A single connection is fine: its initialiser runs again, with a new
   * token, when the connection is replaced.
   */
  private checkTokenLifetime(instance: DriverInstance, form: Form, nodes: readonly TSESTree.Node[]): void {
    if (form === 'initialiser' && instance.creator.kind === 'client') return;
    // Setup whose text names no token method needs no look at the file's signers.
    if (!nodes.some((node) => mayCallForToken(this.fix.text.slice(node.range[0], node.range[1])))) return;
    const tokens = IamTokens.of(this.sourceCode);
    for (const call of tokens.tokenCalls) {
      const once = nodes.some((node) => contains(node, call)) && !insideFunctionWithin(call, nodes);
      if (once) {
        throw new Refusal(
          'the password is an IAM token fetched once; a shared pool would reuse it after it expires (15 minutes). Have the driver fetch a token for each new connection first (a password function, or mysql2 `authPlugins`, as `lambda-rds/no-static-iam-token` says), then hoist it',
        );
      }
    }
  }

  /** Renames for setup variables moved to module scope where their names are taken. */
  private moduleRenames(slice: Slice): Map<Variable, string> {
    const renames = new Map<Variable, string>();
    for (const variable of slice.variables) {
      if (!isFreeAtModuleScope(this.sourceCode, variable.name) || !slice.statements.some((s) => slice.movable.has(s))) {
        renames.set(variable, this.fix.uniqueName(variable.name));
      } else {
        renames.set(variable, variable.name);
      }
    }
    // Copied statements keep their local originals: the module copies take new names to avoid confusion.
    for (const statement of slice.statements) {
      if (slice.movable.has(statement)) continue;
      for (const variable of slice.variables) {
        if (variable.defs.some((d) => contains(statement, d.name)) && renames.get(variable) === variable.name) {
          renames.set(variable, this.fix.uniqueName(variable.name));
        }
      }
    }
    return renames;
  }

  /** The comments directly above a statement, dedented, each line ending in `\n`. */
  private leadingComments(statement: TSESTree.Node): string {
    const parent = statement.parent!;
    const siblings = 'body' in parent && Array.isArray(parent.body) ? (parent.body as TSESTree.Node[]) : [];
    const index = siblings.indexOf(statement);
    const floor = index > 0 ? siblings[index - 1]!.range[1] : parent.range[0] + 1;
    const start = startWithLeadingComments(this.fix.text, statement.range[0], floor);
    if (start === statement.range[0]) return '';
    const text = this.fix.text.slice(start, statement.range[0]);
    return dedent(text, indentAt(this.fix.text, statement.range[0])).replace(/\r\n/g, '\n').replace(/[ \t]*$/, '');
  }

  /** A statement's text with its leading comments, dedented, `\n` line breaks, renames applied. */
  private statementText(statement: TSESTree.Node, renames: ReadonlyMap<Variable, string>): string {
    const parent = statement.parent!;
    const siblings = 'body' in parent && Array.isArray(parent.body) ? (parent.body as TSESTree.Node[]) : [];
    const index = siblings.indexOf(statement);
    const floor = index > 0 ? siblings[index - 1]!.range[1] : parent.range[0] + 1;
    const start = startWithLeadingComments(this.fix.text, statement.range[0], floor);
    const text = textWithRenames(this.fix.text, start, statement.range[1], renames);
    return dedent(text, indentAt(this.fix.text, statement.range[0])).replace(/\r\n/g, '\n');
  }

  /** Awaited instances, and setups that await: a memoised initialiser the holder awaits. */
  private initialiser(
    instance: DriverInstance,
    fn: FunctionNode,
    value: TSESTree.Node,
    variable: Variable,
    holderNode: TSESTree.Node,
    uses: InstanceUses,
    /** The slice of `value` alone, when the caller has it (the initialiser's is the same without connect calls). */
    valueSlice?: Slice,
  ): void {
    const { fix } = this;
    const { creator } = instance;
    const holderFunction = enclosingFunction(holderNode);
    if (!holderFunction?.async) {
      throw new Refusal('the function is not `async`, so it cannot wait for a shared connection');
    }
    const connects: TSESTree.ExpressionStatement[] = [];
    for (const connect of uses.connects) {
      if (!connect.statement) throw new Refusal(`\`${variable.name}.${connect.method}()\` is used as a value, not as a statement of its own`);
      if (connect.statement.range[0] < holderNode.range[1]) throw new Refusal(`\`${variable.name}\` is connected before it is created`);
      if (enclosingFunction(connect.statement) !== holderFunction) {
        throw new Refusal(`\`${variable.name}\` is connected inside a callback`);
      }
      connects.push(connect.statement);
    }
    if (creator.connects === 'explicit' && creator.connectMethods?.length && !creator.async && connects.length === 0) {
      throw new Refusal(`\`${variable.name}\` is connected somewhere else, so a shared instance would be connected twice`);
    }
    const slice =
      valueSlice && connects.length === 0
        ? valueSlice
        : computeSlice(this.sourceCode, { roots: [value, ...connects], anchor: value, exclude: new Set([variable]) });
    this.checkTokenLifetime(instance, 'initialiser', [...slice.statements, value]);
    const inner = variable.name;
    const body: string[] = [];
    const moved: string[] = [];
    for (const statement of slice.statements) {
      moved.push(this.statementText(statement, new Map()));
      body.push(movedSlot(moved.length - 1));
    }
    const creationText = dedent(fix.text.slice(value.range[0], value.range[1]), indentAt(fix.text, value.range[0]));
    moved.push(`const ${inner} = ${creationText}${fix.style.semi ? ';' : ''}`);
    body.push(movedSlot(moved.length - 1));
    for (const statement of connects) {
      moved.push(this.statementText(statement, new Map()));
      body.push(movedSlot(moved.length - 1));
    }
    body.push(`return ${inner};`);

    const cap = inner.charAt(0).toUpperCase() + inner.slice(1);
    const getter = fix.uniqueName(`get${cap}`);
    const cache = fix.uniqueName(`${inner}Promise`);
    const annotation = this.cacheAnnotation(instance.node, awaitedType(value, instance.node));
    const memo = memoBody(fix, { cache, body: body.join('\n'), resetEvents: creator.resetEvents ?? [], annotation });
    const code = [`let ${cache}${annotation};`, `function ${getter}() {`, indentBlock(memo), `}`].join('\n');
    const removals: TSESTree.Node[] = [...connects, ...slice.statements.filter((s) => slice.movable.has(s))];
    const dropped: TSESTree.Node[] = [];
    for (const close of uses.closes) {
      if (!close.statement && !close.arrowBody) throw new Refusal(`\`${close.method}()\` is used as a value, so it cannot simply go`);
      planCloseRemoval(fix, close, this.sourceCode.visitorKeys, dropped);
    }
    // The invocation waits for the connection where it connected before: a connect inside a `try` that the creation
    // is outside of keeps its `catch` (a failed connection answered) and `finally` around the wait.
    const [first] = connects;
    if (first && triedApartFrom(first, holderNode)) {
      this.declareForConnect(instance, value, variable, holderNode, first, removals);
      fix.replace(first.range[0], first.range[1], fix.code(`${inner} = await ${getter}();`));
      removals.splice(removals.indexOf(first), 1);
    } else {
      fix.replace(value.range[0], value.range[1], `await ${getter}()`);
    }
    removeStatements(fix, removals, dropped);
    insertModuleCode(fix, moduleInsertPoint(fix, fn, slice.moduleDependencyEnd), renderWithMoved(fix, code, moved));
    fix.change(
      `\`${inner}\` (${creator.label}) now comes from \`${getter}()\`, which ${connects.length || creator.connects === 'explicit' ? 'connects' : 'creates it'} once per execution environment`,
    );
  }

  /**
   * The holder of an instance that the invocation now gets at its first connect (`connect`): `const client = new
   * Client(…)` becomes `let client;` (typed in TypeScript; a `let` or `var` keeps its kind, so the variable keeps its
   * scope), and an assignment statement `client = new Client(…)` goes (added to `removals`).
   */
  private declareForConnect(
    instance: DriverInstance,
    value: TSESTree.Node,
    variable: Variable,
    holderNode: TSESTree.Node,
    connect: TSESTree.Node,
    removals: TSESTree.Node[],
  ): void {
    const { fix } = this;
    const between = variable.references.some(
      (r) => !r.init && r.identifier.range[0] >= holderNode.range[1] && r.identifier.range[1] <= connect.range[0],
    );
    if (between) throw new Refusal(`\`${variable.name}\` is used before it connects, inside a \`try\` the creation is outside of`);
    if (holderNode.type === AST_NODE_TYPES.AssignmentExpression) {
      if (holderNode.parent?.type !== AST_NODE_TYPES.ExpressionStatement) throw new Refusal('the connection is assigned inside a larger expression');
      removals.push(holderNode.parent);
      return;
    }
    const declarator = holderNode as TSESTree.VariableDeclarator;
    const declaration = declarator.parent as TSESTree.VariableDeclaration;
    if (declaration.declarations.length !== 1) throw new Refusal('the connection is declared together with other variables');
    const id = declarator.id as TSESTree.Identifier;
    // TypeScript: the type the holder had, and `!` (it is assigned in the `try`; a `catch` that goes on reads it as
    // the original read a client that failed to connect).
    const annotation = !fix.typescript
      ? ''
      : `!${id.typeAnnotation ? fix.text.slice(id.typeAnnotation.range[0], id.typeAnnotation.range[1]) : `: ${this.instanceType(instance.node, awaitedType(value, instance.node))}`}`;
    const kind = declaration.kind === 'const' ? 'let' : declaration.kind;
    fix.replace(declaration.range[0], declarator.range[1], `${kind} ${variable.name}${annotation}`);
  }

  /** A same-file factory that returns a new instance: its body runs once, and callers get the shared instance. */
  private factory(instance: DriverInstance, fn: FunctionNode, value: TSESTree.Node, form: Form): void {
    const { fix } = this;
    const { creator } = instance;
    if (form === 'poolOfOne') throw new Refusal('a factory returns a callback-style connection; its callers connect and end it');
    const name = functionName(fn);
    if (!name) throw new Refusal('the factory function has no name to find its callers by');
    // The body must not depend on the call: no parameters read.
    computeSlice(this.sourceCode, { roots: [value], anchor: value, exclude: new Set(), what: 'the factory' });
    this.checkTokenLifetime(instance, form, [fn.body]);
    for (const param of fn.params) {
      const id = param.type === AST_NODE_TYPES.Identifier ? param : undefined;
      const variable = id && findVariable(this.scope, id);
      if (!variable || variable.references.length > 0) {
        throw new Refusal(`the factory \`${name}\` builds the connection from its parameters`);
      }
    }
    const callers = this.callerUses(fn, name, creator);
    const body = fn.body;
    const removals: TSESTree.Node[] = [];
    for (const uses of callers) {
      for (const connect of uses.connects) {
        throw new Refusal(`callers of \`${name}\` connect what it returns (\`${connect.method}()\`), so a shared instance would be connected twice`);
      }
      for (const close of uses.closes) {
        if (!close.statement && !close.arrowBody) throw new Refusal(`\`${close.method}()\` is used as a value, so it cannot simply go`);
        planCloseRemoval(fix, close, this.sourceCode.visitorKeys, removals);
      }
    }
    const point = moduleInsertPoint(fix, fn, 0);
    if (form === 'module' && !fn.async) {
      // Synchronous factory of a lazy pool: create once, return the same pool.
      const cache = fix.uniqueName(`${name}Cache`);
      const annotation = this.cacheAnnotation(instance.node, false, true);
      insertModuleCode(fix, point, fix.code(`let ${cache}${annotation};`));
      const created = fix.text.slice(value.range[0], value.range[1]);
      const listener = creator.idleErrorEvent
        ? `\n  ${cache}.on('${creator.idleErrorEvent}', (error) => {\n    console.error('Idle database connection failed:', error.message);\n  });`
        : '';
      const arrowBody = value.parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && value.parent.body === value;
      if (!listener && (value.parent?.type === AST_NODE_TYPES.ReturnStatement || arrowBody)) {
        fix.replace(value.range[0], value.range[1], `(${cache} ??= ${created})`);
      } else if (arrowBody) {
        // `() => new Pool(config)` with a listener to add: the arrow gets a block body.
        const indent = indentAt(fix.text, value.parent!.range[0]);
        const inner = `${indent}${fix.style.indent}`;
        const block = fix
          .code(`{\n  if (!${cache}) {\n    ${cache} = \u0002;${listener.replace(/\n/g, '\n  ')}\n  }\n  return ${cache};\n}`)
          .replace('\u0002', dedent(created, indentAt(fix.text, value.range[0])).replace(/\n/g, `\n${inner}${fix.style.indent}`));
        fix.replace(value.range[0], value.range[1], block.replace(/\r?\n/g, `${fix.style.eol}${indent}`));
      } else {
        const statement = statementOf(value);
        if (!statement) throw new Refusal('the factory creates the pool inside an expression');
        const indent = indentAt(fix.text, statement.range[0]);
        const head = fix.code(`if (!${cache}) {\n  ${cache} = \u0002;${listener}\n}`).replace('\u0002', dedent(created, indent).replace(/\n/g, `\n${indent}${fix.style.indent}`));
        fix.insert(startWithLeadingComments(fix.text, statement.range[0], statement.range[0]), `${head.replace(/\r?\n/g, `${fix.style.eol}${indent}`)}${fix.style.eol}${indent}`);
        fix.replace(value.range[0], value.range[1], cache);
      }
      removeStatements(fix, [], removals);
      fix.change(`the factory \`${name}()\` now creates one ${creator.label} and returns it on every call`);
      this.callbackHandlers();
      return;
    }
    if (!fn.async && body.type === AST_NODE_TYPES.BlockStatement && !returnsPromise(value)) {
      throw new Refusal(`the factory \`${name}\` is not \`async\`, so it cannot share a connection that must be awaited`);
    }
    const cache = fix.uniqueName(`${name}Promise`);
    const annotation = this.cacheAnnotation(instance.node, awaitedType(value, instance.node));
    const bodyText =
      body.type === AST_NODE_TYPES.BlockStatement
        ? movedText(fix.text, innerStart(fix.text, body), innerEnd(body)).trim()
        : `return ${movedText(fix.text, body.range[0], body.range[1])};`;
    const memo = memoBody(fix, { cache, body: '\u0000BODY\u0000', resetEvents: creator.resetEvents ?? [], annotation });
    const indent = indentAt(fix.text, fn.range[0]);
    const rendered = renderWithMoved(fix, memo.replace('\u0000BODY\u0000', movedSlot(0)), [bodyText]);
    const inside = rendered
      .split(fix.style.eol)
      .map((line) => (line === '' ? '' : `${indent}${fix.style.indent}${line}`))
      .join(fix.style.eol);
    fix.replace(body.range[0], body.range[1], `{${fix.style.eol}${inside}${fix.style.eol}${indent}}`);
    insertModuleCode(fix, point, fix.code(`let ${cache}${annotation};`));
    removeStatements(fix, [], removals);
    fix.change(`the factory \`${name}()\` now ${creator.connects === 'explicit' ? 'connects' : 'creates its instance'} once per execution environment and returns the same ${creator.label} to every caller`);
  }

  /** What the callers of a factory do with the instance it returns. */
  private callerUses(fn: FunctionNode, name: string, creator: Creator): InstanceUses[] {
    const variable = functionVariable(fn, this.scope);
    if (!variable) throw new Refusal(`cannot find the callers of \`${name}\``);
    const out: InstanceUses[] = [];
    for (const reference of variable.references) {
      if (reference.init || reference.isWrite()) continue;
      const id = reference.identifier as TSESTree.Node;
      const call = id.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== id) {
        if (call?.type === AST_NODE_TYPES.ExportSpecifier) continue;
        throw new Refusal(`\`${name}\` is passed around as a value, so its callers cannot be checked`);
      }
      const value = outerValue(call);
      const parent = value.parent;
      let holder: TSESTree.Identifier | undefined;
      if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === value && parent.id.type === AST_NODE_TYPES.Identifier) holder = parent.id;
      else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === value && parent.left.type === AST_NODE_TYPES.Identifier) holder = parent.left;
      else continue; // used directly: `(await getDb()).query(...)`
      const holderVariable = findVariable(this.scope, holder);
      if (!holderVariable) continue;
      const skip = new Set<TSESTree.Node>(parent?.type === AST_NODE_TYPES.AssignmentExpression ? [holder] : []);
      out.push(
        analyseUses(holderVariable, {
          connectMethods: creator.connectMethods ?? [],
          closeMethods: creator.closeMethods,
          allowNullWrites: true,
          skip,
        }),
      );
    }
    return out;
  }

  /** Is the variable returned by the function that creates it (a factory)? */
  private isReturned(variable: Variable, fn: FunctionNode): boolean {
    return variable.references.some((reference) => {
      const id = reference.identifier as TSESTree.Node;
      let node = id;
      while (node.parent && (node.parent.type === AST_NODE_TYPES.AwaitExpression || unwrapExpression(node.parent) !== node.parent)) node = node.parent;
      const parent = node.parent;
      const returned = parent?.type === AST_NODE_TYPES.ReturnStatement || (parent?.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node);
      return returned && enclosingFunction(id) === fn;
    });
  }

  /** `: Promise<T> | undefined` (or `: T | undefined`) in TypeScript, nothing in JavaScript. */
  private cacheAnnotation(call: TSESTree.CallExpression | TSESTree.NewExpression, awaited: boolean, plain = false): string {
    if (!this.fix.typescript) return '';
    const type = this.instanceType(call, awaited || !plain);
    return plain ? `: ${type} | undefined` : `: Promise<${type}> | undefined`;
  }

  /** The type of what the creating call makes, named from its callee (`InstanceType<typeof Client>`, …). */
  private instanceType(call: TSESTree.CallExpression | TSESTree.NewExpression, awaited: boolean): string {
    const callee = unwrapExpression(call.callee);
    const text = this.fix.text.slice(callee.range[0], callee.range[1]);
    if (!/^[\w$]+(?:\.[\w$]+)*$/.test(text)) throw new Refusal('cannot name the type of the connection for a TypeScript annotation');
    if (call.type === AST_NODE_TYPES.NewExpression) return `InstanceType<typeof ${text}>`;
    return awaited ? `Awaited<ReturnType<typeof ${text}>>` : `ReturnType<typeof ${text}>`;
  }

  /**
   * Non-async handlers wait for an empty event loop before they return, which a shared instance never leaves:
   * they get `context.callbackWaitsForEmptyEventLoop = false`.
   */
  private callbackHandlers(): void {
    const { fix } = this;
    for (const handlerFn of this.handler.functions) {
      if (handlerFn.async || handlerFn.params.length < 2) continue;
      if (handlerFn.body.type !== AST_NODE_TYPES.BlockStatement) continue;
      const contextParam = handlerFn.params[1]!;
      if (contextParam.type !== AST_NODE_TYPES.Identifier) continue;
      const bodyText = fix.text.slice(handlerFn.body.range[0], handlerFn.body.range[1]);
      if (/callbackWaitsForEmptyEventLoop\s*=\s*false/.test(bodyText)) continue;
      const body = handlerFn.body;
      const directives = body.body.filter((s) => s.type === AST_NODE_TYPES.ExpressionStatement && 'directive' in s && s.directive);
      const after = directives.at(-1);
      const first = body.body[directives.length];
      const indent = first ? indentAt(fix.text, first.range[0]) : `${indentAt(fix.text, handlerFn.range[0])}${fix.style.indent}`;
      const line = fix.code(`${contextParam.name}.callbackWaitsForEmptyEventLoop = false;`);
      const eol = fix.style.eol;
      if (after) fix.insert(after.range[1], `${eol}${indent}${line}`);
      else fix.insert(body.range[0] + 1, `${eol}${indent}${line}`);
      fix.change(
        `\`${this.handler.name}\` sets \`${contextParam.name}.callbackWaitsForEmptyEventLoop = false\`: a callback handler otherwise waits for the shared connection to close, until the function times out`,
      );
    }
  }

  keepGlobalPool(closes: readonly TSESTree.CallExpression[]): void {
    const statements: TSESTree.Node[] = [];
    for (const close of closes) {
      if (close.arguments.length > 0) throw new Refusal('`close()` is given a callback; keep the pool open by hand');
      const value = valueParent(close);
      const statement = value.parent;
      if (statement?.type !== AST_NODE_TYPES.ExpressionStatement) throw new Refusal('`close()` is used as a value, so it cannot simply go');
      statements.push(statement);
    }
    if (statements.length === 0) throw new Refusal('no close call to remove');
    removeStatements(this.fix, [], statements);
    this.fix.change('the global pool stays open for the next invocation, whose `connect()` returns it');
  }

  connectOnce(call: ConnectedCall): void {
    const { fix } = this;
    const member = unwrapExpression(call.node.callee);
    if (member.type !== AST_NODE_TYPES.MemberExpression) throw new Refusal('the connected object is not a plain variable');
    const object = unwrapExpression(member.object);
    if (object.type !== AST_NODE_TYPES.Identifier) throw new Refusal('the connected object is not a plain variable');
    if (call.node.arguments.length > 0) throw new Refusal('`connect()` is given a callback; connect once by hand');
    const fn = enclosingFunction(call.node);
    if (!fn) throw new Refusal('`connect()` is not inside a function');
    const ready = fix.uniqueName(`${object.name}Ready`);
    const annotation = fix.typescript ? ': Promise<unknown> | undefined' : '';
    const callText = fix.text.slice(call.node.range[0], call.node.range[1]);
    fix.replace(call.node.range[0], call.node.range[1], `(${ready} ??= ${callText})`);
    const variable = call.variable;
    if (variable) {
      const uses = analyseUses(variable, {
        connectMethods: [],
        closeMethods: call.closeMethods ?? [],
        allowNullWrites: false,
        skip: new Set(),
      });
      const removals: TSESTree.Node[] = [];
      for (const close of uses.closes) {
        if (!contains(fn, close.call)) continue;
        if (!close.statement && !close.arrowBody) throw new Refusal(`\`${close.method}()\` is used as a value, so it cannot simply go`);
        planCloseRemoval(fix, close, this.sourceCode.visitorKeys, removals);
      }
      removeStatements(fix, [], removals);
    }
    insertModuleCode(fix, moduleInsertPoint(fix, fn, 0), fix.code(`let ${ready}${annotation};`));
    fix.change(`\`${object.name}\` connects once per execution environment`);
  }
}

/** Whether `node` sits in a function nested inside one of `roots` (it runs later, per call, not once). */
function insideFunctionWithin(node: TSESTree.Node, roots: readonly TSESTree.Node[]): boolean {
  for (let current = node.parent; current; current = current.parent) {
    if (roots.includes(current)) return false;
    if (isFunctionNode(current) && roots.some((root) => contains(root, current!) && root !== current)) return true;
  }
  return false;
}

/**
 * Climbs through `await`, TypeScript wrappers and `.catch()` / `.finally()` (which hand on the same instance): the
 * expression whose value is stored.
 */
function outerValue(node: TSESTree.Node): TSESTree.Node {
  let current = valueParent(node);
  for (;;) {
    const member = current.parent;
    const call = member?.parent;
    const chained =
      member?.type === AST_NODE_TYPES.MemberExpression &&
      member.object === current &&
      !member.computed &&
      member.property.type === AST_NODE_TYPES.Identifier &&
      (member.property.name === 'catch' || member.property.name === 'finally') &&
      call?.type === AST_NODE_TYPES.CallExpression &&
      call.callee === member;
    if (!chained) return current;
    current = valueParent(call);
  }
}

function hasAwaitBetween(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  for (let node = inner.parent; node; node = node.parent) {
    if (node.type === AST_NODE_TYPES.AwaitExpression) return true;
    if (node === outer) break;
  }
  return false;
}

/** Whether `node` runs inside the block of a `try` statement that does not also hold `outside`. */
function triedApartFrom(node: TSESTree.Node, outside: TSESTree.Node): boolean {
  for (let child = node, parent = node.parent; parent && !contains(parent, outside); child = parent, parent = parent.parent) {
    if (parent.type === AST_NODE_TYPES.TryStatement && parent.block === child) return true;
  }
  return false;
}

/** Whether the type to cache is the awaited value of the call (it returns a promise that was awaited). */
function awaitedType(value: TSESTree.Node, call: TSESTree.Node): boolean {
  return call.type === AST_NODE_TYPES.CallExpression || hasAwaitBetween(value, call);
}

function returnsPromise(value: TSESTree.Node): boolean {
  return value.type !== AST_NODE_TYPES.AwaitExpression;
}

function statementOf(node: TSESTree.Node): TSESTree.Statement | undefined {
  for (let current: TSESTree.Node | undefined = node; current?.parent; current = current.parent) {
    const parent: TSESTree.Node = current.parent;
    if (parent.type === AST_NODE_TYPES.BlockStatement || parent.type === AST_NODE_TYPES.Program) return current as TSESTree.Statement;
    if (isFunctionNode(current)) return undefined;
  }
  return undefined;
}

function innerStart(text: string, body: TSESTree.BlockStatement): number {
  const first = body.body[0];
  if (!first) return body.range[0] + 1;
  return startWithLeadingComments(text, first.range[0], body.range[0] + 1);
}

function innerEnd(body: TSESTree.BlockStatement): number {
  return body.body.at(-1)?.range[1] ?? body.range[1] - 1;
}

function indentBlock(code: string): string {
  return code
    .split('\n')
    .map((line) => (line === '' ? '' : `  ${line}`))
    .join('\n');
}

/** `function getDb()`, `const getDb = () => …`, `getDb = () => …` (sloppy global) → `getDb`. */
function functionName(fn: FunctionNode): string | undefined {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return fn.id.name;
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier) return parent.id.name;
  return undefined;
}

function functionVariable(fn: FunctionNode, scope: Scope): Variable | undefined {
  const id =
    fn.type === AST_NODE_TYPES.FunctionDeclaration
      ? fn.id
      : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.id.type === AST_NODE_TYPES.Identifier
        ? fn.parent.id
        : undefined;
  return id ? findVariable(scope, id) : undefined;
}
