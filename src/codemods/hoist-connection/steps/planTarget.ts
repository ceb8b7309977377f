import { dedent, indentAt, removalRange, startWithLeadingComments } from '../../shared/edits.js';
import { render, withEol } from '../../shared/style.js';
import { end, enclosingFunction, outerValue, start, statementOfCall, type AnyNode, type AnyPath } from '../../shared/ast.js';
import { addCachedGetter } from './addCachedGetter.js';
import { analyseUses } from './analyseUses.js';
import { checkDependencies, type AstScope } from './checkDependencies.js';
import { Bailout, cacheAnnotation, instanceType, uniqueName, type TransformContext } from '../../shared/context.js';
import type { Target } from './target.js';
import { moduleInsertPoint } from './moduleInsertPoint.js';
import { removeStatements } from './removeStatements.js';

/**
 * Plans the edits for one finding, or throws `Bailout` with the reason to leave it alone.
 *
 * - `const x = <pool or ORM>` in a function: the declaration moves to module scope; `x.end()` goes.
 * - `const x = <single connection>` (or any creation that must be awaited): a module-scope cached getter
 *   (see `addCachedGetter`) takes the creation and its `connect()`; the declaration becomes
 *   `const x = await getX()`; `x.end()` goes.
 * - `return <creation>` in a factory helper: the factory gets the cache (`return (cache ??= <pool>)`, or
 *   `return getX()`), so its call sites stay as they are.
 * - `x.connect()` of a module-scope client: connects once, `await (xReady ??= x.connect())`.
 */
export function planTarget(ctx: TransformContext, target: Target): void {
  if (target.kind === 'connect') return planConnect(ctx, target);
  if (target.creator.callbackConnect) throw new Bailout(`${target.creator.label} connects with a callback; wrap it by hand`);
  const value = outerValue(target.call);
  const parent = value.parent as AnyPath;
  if (parent.node.type === 'VariableDeclarator' && parent.node.init === value.node) return planDeclaration(ctx, target, parent);
  if (
    parent.node.type === 'ReturnStatement' ||
    (parent.node.type === 'ArrowFunctionExpression' && parent.node.body === value.node)
  ) {
    return planFactory(ctx, target, value);
  }
  throw new Bailout('the connection is not created in a `const` declaration or returned by a factory function');
}

function needsGetter(target: Target, value: AnyPath): boolean {
  const awaited = value !== target.call && hasAwait(value, target.call);
  return target.creator.connects === 'explicit' || Boolean(target.creator.async) || awaited;
}

function hasAwait(outer: AnyPath, inner: AnyPath): boolean {
  for (let p: AnyPath | null = inner.parent as AnyPath | null; p; p = p.parent as AnyPath | null) {
    if (p.node.type === 'AwaitExpression') return true;
    if (p === outer) break;
  }
  return false;
}

function planDeclaration(ctx: TransformContext, target: Target, declarator: AnyPath): void {
  const declaration = declarator.parent as AnyPath;
  const decl = declaration.node;
  const id = declarator.node.id as AnyNode & { name?: string };
  if (id.type !== 'Identifier' || !id.name) throw new Bailout('the connection is destructured');
  if (decl.kind === 'var' || (decl.declarations as AnyNode[]).length !== 1) {
    throw new Bailout('the declaration is a `var` or declares several names');
  }
  const block = declaration.parent as AnyPath | null;
  const fn = enclosingFunction(declarator);
  if (!fn || block?.node.type !== 'BlockStatement' || block.parent !== fn) {
    throw new Bailout('the connection is created inside a nested block (a loop, a condition or a `try`)');
  }
  const name = id.name;
  const scope = (declarator as unknown as { scope: AstScope }).scope;
  const uses = analyseUses(ctx, fn, name, scope, target.creator);
  const insertAt = moduleInsertPoint(ctx, fn);
  const init = declarator.get('init') as AnyPath;
  checkDependencies(ctx, init, insertAt);
  const indent = indentAt(ctx.text, start(decl));

  if (!needsGetter(target, outerValue(target.call))) {
    // Pools and ORMs connect lazily: the declaration itself moves to module scope.
    const from = startWithLeadingComments(ctx.text, start(decl), start(block.node) + 1);
    const moved = dedent(ctx.text.slice(from, end(decl)), indent).replace(/\r\n/g, '\n');
    const listener = idleErrorListener(ctx, name, target);
    ctx.edits.push({ start: insertAt, end: insertAt, text: withEol(`${moved}\n${listener}\n`, ctx.style) });
    const [rs, re] = removalRange(ctx.text, start(decl), end(decl), start(block.node) + 1);
    ctx.edits.push({ start: rs, end: re, text: '' });
    removeStatements(ctx, uses.closes);
    ctx.changes.push(`${target.line}: moved \`${name}\` (${target.creator.label}) to module scope`);
    return;
  }

  if (!fn.node.async) throw new Bailout('the function is not `async`, so it cannot await a shared connection');
  if (target.creator.connectMethods?.length && uses.connects.length === 0 && target.creator.connects === 'explicit' && !target.creator.async) {
    throw new Bailout(`\`${name}\` is connected somewhere else, so a shared instance would be connected twice`);
  }
  const getter = addCachedGetter(ctx, {
    name,
    init: dedent(ctx.text.slice(start(init.node), end(init.node)), indent),
    connects: uses.connects.map((s) => dedent(ctx.text.slice(start(s.node), end(s.node)), indentAt(ctx.text, start(s.node)))),
    creator: target.creator,
    insertAt,
    type: instanceType(ctx, target.call.node),
  });
  ctx.edits.push({ start: start(init.node), end: end(init.node), text: `await ${getter}()` });
  removeStatements(ctx, [...uses.connects, ...uses.closes]);
  ctx.changes.push(`${target.line}: \`${name}\` (${target.creator.label}) now comes from the cached getter \`${getter}()\``);
}

function planFactory(ctx: TransformContext, target: Target, value: AnyPath): void {
  const fn = enclosingFunction(value);
  if (!fn) throw new Bailout('the connection is returned outside a function');
  const insertAt = moduleInsertPoint(ctx, fn);
  checkDependencies(ctx, value, insertAt);
  const exprText = ctx.text.slice(start(value.node), end(value.node));
  if (!needsGetter(target, value)) {
    if (target.creator.idleErrorEvent) return planFactoryWithListener(ctx, target, value, fn, insertAt);
    const fnName = functionName(fn);
    const type = instanceType(ctx, target.call.node);
    const annotation = cacheAnnotation(ctx, type?.replace(/^Awaited<(.*)>$/, '$1'));
    const cache = uniqueName(ctx, fnName ? `${fnName}Cache` : 'cachedInstance');
    ctx.edits.push({ start: insertAt, end: insertAt, text: withEol(`${render(`let ${cache}${annotation};`, ctx.style)}\n\n`, ctx.style) });
    ctx.edits.push({ start: start(value.node), end: end(value.node), text: `(${cache} ??= ${exprText})` });
    ctx.changes.push(`${target.line}: the factory now returns one cached ${target.creator.label}`);
    return;
  }
  if (target.creator.connectMethods?.length && !target.creator.async) {
    throw new Bailout('the factory returns a client that its callers connect; a shared client would be connected twice');
  }
  const awaited = value.node.type === 'AwaitExpression';
  const callText = ctx.text.slice(start(target.call.node), end(target.call.node));
  const getter = addCachedGetter(ctx, {
    name: 'connection',
    init: `await ${callText}`,
    connects: [],
    creator: target.creator,
    insertAt,
    type: instanceType(ctx, target.call.node),
  });
  ctx.edits.push({ start: start(value.node), end: end(value.node), text: `${awaited ? 'await ' : ''}${getter}()` });
  ctx.changes.push(`${target.line}: the factory now returns the cached connection of \`${getter}()\``);
}

function planConnect(ctx: TransformContext, target: Target): void {
  const statement = statementOfCall(target.call);
  if (!statement) throw new Bailout('`connect()` is used as a value, not as a statement of its own');
  const callee = target.call.node.callee as AnyNode;
  const object = callee.object as AnyNode & { name?: string };
  if (object.type !== 'Identifier' || !object.name) throw new Bailout('the connected object is not a plain variable');
  const fn = enclosingFunction(target.call);
  if (!fn) throw new Bailout('`connect()` is not inside a function');
  const annotation = cacheAnnotation(ctx, 'Promise<unknown>');
  const ready = uniqueName(ctx, `${object.name}Ready`);
  const insertAt = moduleInsertPoint(ctx, fn);
  ctx.edits.push({ start: insertAt, end: insertAt, text: withEol(`${render(`let ${ready}${annotation};`, ctx.style)}\n\n`, ctx.style) });
  const callText = ctx.text.slice(start(target.call.node), end(target.call.node));
  ctx.edits.push({ start: start(target.call.node), end: end(target.call.node), text: `(${ready} ??= ${callText})` });
  const scope = (target.call as unknown as { scope: AstScope }).scope.lookup(object.name);
  if (scope) {
    const uses = analyseUsesSafe(ctx, fn, object.name, scope, target);
    removeStatements(ctx, uses);
  }
  ctx.changes.push(`${target.line}: \`${object.name}\` connects once per execution environment`);
}

function analyseUsesSafe(ctx: TransformContext, fn: AnyPath, name: string, scope: AstScope, target: Target): AnyPath[] {
  try {
    return analyseUses(ctx, fn, name, scope, { ...target.creator, connectMethods: [] }).closes;
  } catch {
    return [];
  }
}

/** `function getDb()`, `const getDb = () => ...`, `getDb() {}` → `getDb`. */
function functionName(fn: AnyPath): string | undefined {
  const id = fn.node.id as { name?: string } | null | undefined;
  if (id?.name) return id.name;
  const parent = fn.parent?.node as AnyNode | undefined;
  if (parent?.type === 'VariableDeclarator') return (parent.id as { name?: string }).name;
  if (parent?.type === 'ObjectProperty' || parent?.type === 'ClassProperty') return (parent.key as { name?: string }).name;
  const key = fn.node.key as { name?: string } | undefined;
  return key?.name;
}

/**
 * A pool that re-emits its idle connections' errors (pg) crashes the execution environment without a listener
 * once it lives longer than one invocation: the hoisted pool gets one that logs the error.
 */
function idleErrorListener(ctx: TransformContext, name: string, target: Target): string {
  const event = target.creator.idleErrorEvent;
  if (!event) return '';
  return `${render(`${name}.on('${event}', (error) => {\n  console.error('Idle database connection failed:', error.message);\n});`, ctx.style)}\n`;
}

/** `return new Pool(config);` in a factory → create once, with the idle-error listener, and return the cache. */
function planFactoryWithListener(ctx: TransformContext, target: Target, value: AnyPath, fn: AnyPath, insertAt: number): void {
  const statement = value.parent as AnyPath;
  if (statement.node.type !== 'ReturnStatement') {
    throw new Bailout('an arrow function returns the pool; a shared pool needs an `error` listener, add it by hand');
  }
  const fnName = functionName(fn);
  const type = instanceType(ctx, target.call.node);
  const cache = uniqueName(ctx, fnName ? `${fnName}Cache` : 'cachedInstance');
  const annotation = cacheAnnotation(ctx, type);
  ctx.edits.push({ start: insertAt, end: insertAt, text: withEol(`${render(`let ${cache}${annotation};`, ctx.style)}\n\n`, ctx.style) });
  const indent = indentAt(ctx.text, start(statement.node));
  const exprText = ctx.text.slice(start(value.node), end(value.node));
  const semi = ctx.style.semi ? ';' : '';
  const listener = idleErrorListener(ctx, cache, target).trimEnd();
  const lines = [
    `if (!${cache}) {`,
    `${ctx.style.indent}${cache} = ${exprText}${semi}`,
    ...listener.split('\n').map((l) => `${ctx.style.indent}${l}`),
    `}`,
    render(`return ${cache};`, ctx.style),
  ];
  const text = lines.map((l, i) => (i === 0 ? l : `${indent}${l}`)).join('\n');
  ctx.edits.push({ start: start(statement.node), end: end(statement.node), text: withEol(text, ctx.style) });
  ctx.changes.push(`${target.line}: the factory now returns one cached ${target.creator.label}`);
}
