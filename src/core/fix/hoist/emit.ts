/**
 * The text the hoist planner writes: statement removal (with `finally` blocks left empty), rewritten callbacks,
 * the memoised initialiser, and the module-scope insertion point.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { contains, isFunctionNode } from '../../ast/nodes.js';
import { walk, type VisitorKeys } from '../../ast/walk.js';
import type { FixBuilder } from '../plan.js';
import { dedent, indentAt, lineStartOf, removalRange, reindent, startWithLeadingComments } from '../text.js';
import type { InstanceCall } from './uses.js';

/** The end of the previous sibling statement (comment scanning never crosses it), or the block's opening brace. */
function floorOf(statement: TSESTree.Node): number {
  const parent = statement.parent;
  const siblings = parent && 'body' in parent && Array.isArray(parent.body) ? (parent.body as TSESTree.Node[]) : [];
  const index = siblings.indexOf(statement);
  if (index > 0) return siblings[index - 1]!.range[1];
  if (parent?.type === AST_NODE_TYPES.Program) return 0;
  return parent ? parent.range[0] + 1 : 0;
}

/**
 * Removes whole statements: `moved` ones with the comments above them (the comments went with them), `dropped` ones
 * alone (their comments stay). A `finally` block they leave empty goes too (`try { a } finally { end() }` → `a`), and
 * so does an `if (x) { … }` left empty whose test has no side effects.
 */
export function removeStatements(fix: FixBuilder, moved: readonly TSESTree.Node[], dropped: readonly TSESTree.Node[] = []): void {
  const keepComments = new Set<TSESTree.Node>(dropped);
  const targets = new Set<TSESTree.Node>([...moved, ...dropped]);
  // An `if` whose consequent only held removed statements goes with them (when its test changes nothing).
  for (let changed = true; changed; ) {
    changed = false;
    for (const target of [...targets]) {
      const parent = target.parent;
      // A `try` without `finally` whose block only held removed statements goes whole with them (its `catch` answered
      // only what they did), so that what holds it can be found emptied in turn: `if (connection) { try { await
      // connection.end(); } catch … }` goes whole.
      const tryStatement =
        parent?.type === AST_NODE_TYPES.BlockStatement && parent.parent?.type === AST_NODE_TYPES.TryStatement ? parent.parent : undefined;
      if (
        tryStatement &&
        tryStatement.block === parent &&
        !tryStatement.finalizer &&
        parent.body.every((s) => targets.has(s)) &&
        !hasComments(fix, parent)
      ) {
        for (const s of parent.body) targets.delete(s);
        targets.add(tryStatement);
        changed = true;
        continue;
      }
      const ifStatement =
        parent?.type === AST_NODE_TYPES.IfStatement
          ? parent
          : parent?.type === AST_NODE_TYPES.BlockStatement && parent.parent?.type === AST_NODE_TYPES.IfStatement
            ? parent.parent
            : undefined;
      if (!ifStatement || ifStatement.alternate || targets.has(ifStatement) || !isPureTest(ifStatement.test)) continue;
      const consequent = ifStatement.consequent;
      const emptied =
        consequent === target ||
        (consequent.type === AST_NODE_TYPES.BlockStatement && consequent.body.every((s) => targets.has(s)));
      if (!emptied || hasComments(fix, consequent)) continue;
      for (const t of [...targets]) if (contains(ifStatement, t)) targets.delete(t);
      targets.add(ifStatement);
      changed = true;
    }
  }
  const done = new Set<TSESTree.Node>();
  const plain: TSESTree.Node[] = [];
  for (const statement of [...targets].sort((a, b) => a.range[0] - b.range[0])) {
    if (done.has(statement)) continue;
    const block = statement.parent;
    const tryStatement = block?.parent;
    if (
      block?.type === AST_NODE_TYPES.BlockStatement &&
      tryStatement?.type === AST_NODE_TYPES.TryStatement &&
      (tryStatement.finalizer === block || tryStatement.block === block)
    ) {
      const removedHere = block.body.filter((s) => targets.has(s));
      if (removedHere.length === block.body.length && !hasComments(fix, block)) {
        removedHere.forEach((s) => done.add(s));
        // An empty `finally` goes; an emptied `try` block with a `finally` is left empty (one without went whole
        // above).
        if (tryStatement.finalizer === block) removeFinally(fix, tryStatement);
        else fix.replace(block.range[0], block.range[1], '{}');
        continue;
      }
    }
    done.add(statement);
    plain.push(statement);
  }
  // Neighbouring statements (nothing but white space between them) go as one range, blank lines between included.
  for (let i = 0; i < plain.length; ) {
    let j = i;
    while (
      j + 1 < plain.length &&
      plain[j + 1]!.parent === plain[i]!.parent &&
      fix.text.slice(plain[j]!.range[1], plain[j + 1]!.range[0]).trim() === ''
    ) {
      j++;
    }
    const first = plain[i]!;
    const last = plain[j]!;
    const [from, to] = removalRange(fix.text, first.range[0], last.range[1], floorOf(first), keepComments.has(first));
    fix.replace(from, to, '');
    i = j + 1;
  }
}

/** `x`, `x.y`, `!x`, `x && y`: a test whose evaluation changes nothing. */
function isPureTest(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.Literal:
      return true;
    case AST_NODE_TYPES.MemberExpression:
      return !node.computed && isPureTest(node.object);
    case AST_NODE_TYPES.UnaryExpression:
      return node.operator === '!' && isPureTest(node.argument);
    case AST_NODE_TYPES.LogicalExpression:
      return isPureTest(node.left) && isPureTest(node.right);
    default:
      return false;
  }
}

function hasComments(fix: FixBuilder, node: TSESTree.Node): boolean {
  return fix.sourceCode.getCommentsInside(node).length > 0;
}

function removeWhole(fix: FixBuilder, statement: TSESTree.Node, keepComments: boolean): void {
  const [from, to] = removalRange(fix.text, statement.range[0], statement.range[1], floorOf(statement), keepComments);
  fix.replace(from, to, '');
}

function removeFinally(fix: FixBuilder, node: TSESTree.TryStatement): void {
  const finalizer = node.finalizer!;
  if (node.handler) {
    fix.replace(node.handler.range[1], finalizer.range[1], '');
    return;
  }
  const inner = node.block.body;
  if (inner.length === 0) {
    removeWhole(fix, node, false);
    return;
  }
  if (blockNamesClash(fix, node.block)) {
    // A plain block keeps the body's declarations in their own scope.
    fix.replace(node.range[0], node.block.range[0], '');
    fix.replace(node.block.range[1], node.range[1], '');
    return;
  }
  // `try { body } finally { … }` → the body's statements, one level less indented. Small edits at the edges and at
  // line starts, so that edits already planned inside the body stay valid.
  const text = fix.text;
  const outerIndent = indentAt(text, node.range[0]);
  const first = inner[0]!;
  const last = inner[inner.length - 1]!;
  const innerIndent = indentAt(text, first.range[0]);
  const extra = innerIndent.startsWith(outerIndent) ? innerIndent.slice(outerIndent.length) : '';
  const bodyStart = startWithLeadingComments(text, first.range[0], node.block.range[0] + 1);
  const firstLine = lineStartOf(text, bodyStart);
  const sameLine = firstLine <= node.block.range[0];
  fix.replace(node.range[0], sameLine ? bodyStart : firstLine + outerIndent.length + extra.length, '');
  fix.replace(last.range[1], node.range[1], '');
  if (!extra || sameLine) return;
  const busy = (pos: number) => fix.edits.some((e) => e.start <= pos && pos < Math.max(e.end, e.start + 1));
  for (let pos = text.indexOf('\n', firstLine) + 1; pos > 0 && pos < last.range[1]; pos = text.indexOf('\n', pos) + 1) {
    if (text.startsWith(outerIndent + extra, pos) && !busy(pos)) fix.replace(pos + outerIndent.length, pos + outerIndent.length + extra.length, '');
  }
}

/**
 * A close call that has to go: `x.end();` is removed. Its callback still has to run: the body of an inline callback
 * that ignores its error argument takes the call's place when nothing follows it; otherwise the callback is
 * scheduled as the close would have called it, `process.nextTick(cb)`. In an arrow body (`() => x.end()`) the call
 * becomes `undefined`.
 */
export function planCloseRemoval(fix: FixBuilder, close: InstanceCall, visitorKeys: VisitorKeys, statements: TSESTree.Node[]): void {
  const callback = close.call.arguments.find((a) => isFunctionNode(a) || a.type === AST_NODE_TYPES.Identifier);
  if (close.arrowBody && !callback) {
    fix.replace(close.call.range[0], close.call.range[1], 'undefined');
    return;
  }
  if (!close.statement) throw new Error('close call is not a statement');
  if (!callback) {
    statements.push(close.statement);
    return;
  }
  if (isFunctionNode(callback) && canInline(callback, close.statement, visitorKeys)) {
    const indent = indentAt(fix.text, close.statement.range[0]);
    const body = callback.body;
    let text: string;
    if (body.type === AST_NODE_TYPES.BlockStatement) {
      if (body.body.length === 0) {
        statements.push(close.statement);
        return;
      }
      const first = body.body[0]!;
      const from = startWithLeadingComments(fix.text, first.range[0], body.range[0] + 1);
      const innerIndent = indentAt(fix.text, first.range[0]);
      text = dedent(fix.text.slice(from, body.body.at(-1)!.range[1]), innerIndent.slice(indent.length));
    } else {
      text = `${fix.text.slice(body.range[0], body.range[1])}${fix.style.semi ? ';' : ''}`;
    }
    fix.replace(close.statement.range[0], close.statement.range[1], text);
    return;
  }
  const callbackText = fix.text.slice(callback.range[0], callback.range[1]);
  fix.replace(close.call.range[0], close.call.range[1], `process.nextTick(${callbackText})`);
}

/** An inline callback whose body can run in the call's place: the last statement, no use of its arguments. */
function canInline(callback: TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression | TSESTree.FunctionDeclaration, statement: TSESTree.Statement, visitorKeys: VisitorKeys): boolean {
  if (callback.async || callback.generator) return false;
  const block = statement.parent;
  if (!block || !('body' in block) || !Array.isArray(block.body) || block.body.at(-1) !== statement) return false;
  if (callback.params.length > 0) return false;
  let ok = true;
  walk(callback.body, visitorKeys, (n) => {
    if (!ok) return false;
    if (n !== callback && isFunctionNode(n)) return false;
    if (
      n.type === AST_NODE_TYPES.ReturnStatement ||
      n.type === AST_NODE_TYPES.ThisExpression ||
      (n.type === AST_NODE_TYPES.Identifier && n.name === 'arguments')
    ) {
      ok = false;
    }
    return undefined;
  });
  return ok;
}

export interface MemoSpec {
  /** The module-scope variable that caches the promise. */
  readonly cache: string;
  /** Statements of the initialiser (already in final form, `\n` line breaks, no indentation). */
  readonly body: string;
  /** Events after which the instance is dropped and created again on the next call. */
  readonly resetEvents: readonly string[];
  /** `: Promise<T> | undefined` in TypeScript. */
  readonly annotation: string;
}

/**
 * The once-per-environment initialiser, as the body of a function: the first call starts it, concurrent callers
 * share its promise, and a failure (or a reset event of the instance, such as `error` or `end`) drops it so the next
 * call starts again. Only the failing instance's own promise is dropped, so late events of a replaced connection
 * never clear its successor.
 *
 *     if (!clientPromise) {
 *       const promise = (async () => { <body> })().then((client) => {
 *         const forget = () => { if (clientPromise === promise) clientPromise = undefined; };
 *         client.on('error', forget);
 *         client.on('end', forget);
 *         return client;
 *       });
 *       promise.catch(() => { if (clientPromise === promise) clientPromise = undefined; });
 *       clientPromise = promise;
 *     }
 *     return clientPromise;
 */
export function memoBody(fix: FixBuilder, spec: MemoSpec): string {
  const promise = fix.uniqueName('promise');
  const { cache } = spec;
  const lines: string[] = [`if (!${cache}) {`];
  const body = reindent(spec.body, '    ');
  if (spec.resetEvents.length > 0) {
    const instance = fix.uniqueName('instance');
    const forget = fix.uniqueName('forget');
    lines.push(`  const ${promise} = (async () => {`, body, `  })().then((${instance}) => {`);
    lines.push(`    const ${forget} = () => {`, `      if (${cache} === ${promise}) ${cache} = undefined;`, `    };`);
    for (const event of spec.resetEvents) lines.push(`    ${instance}.on('${event}', ${forget});`);
    lines.push(`    return ${instance};`, `  });`);
  } else {
    lines.push(`  const ${promise} = (async () => {`, body, `  })();`);
  }
  lines.push(
    `  ${promise}.catch(() => {`,
    `    if (${cache} === ${promise}) ${cache} = undefined;`,
    `  });`,
    `  ${cache} = ${promise};`,
    `}`,
    `return ${cache};`,
  );
  return lines.join('\n');
}

/**
 * Generated code (two-space indentation, `\n`) rendered in the file's style, with moved source text left as it is:
 * moved text is marked by the caller and substituted after rendering.
 */
export function renderWithMoved(fix: FixBuilder, template: string, moved: readonly string[]): string {
  const rendered = fix.code(template.replace(/\u0000(\d+)\u0000/g, (_, i: string) => `\u0001${i}\u0001`));
  const eolMoved = moved.map((m) => (fix.style.eol === '\n' ? m : m.replace(/\r?\n/g, fix.style.eol)));
  return rendered.replace(/([ \t]*)\u0001(\d+)\u0001/g, (_, indent: string, i: string) =>
    eolMoved[Number(i)]!.split(fix.style.eol).map((line) => (line.trim() === '' ? '' : `${indent}${line}`)).join(fix.style.eol),
  );
}

/** A placeholder for moved text inside a template given to `renderWithMoved`. */
export function movedSlot(index: number): string {
  return `\u0000${index}\u0000`;
}

/** Where module-scope code for `node` goes: before its top-level statement (with that statement's comments). */
export function moduleInsertPoint(fix: FixBuilder, node: TSESTree.Node, after: number): { at: number; before: boolean } {
  let top: TSESTree.Node = node;
  while (top.parent && top.parent.type !== AST_NODE_TYPES.Program) top = top.parent;
  const program = top.parent as TSESTree.Program | undefined;
  if (after > top.range[0]) {
    // The setup reads a module-scope declaration that comes later: the new code goes after it.
    return { at: after, before: false };
  }
  const index = program ? program.body.indexOf(top as TSESTree.ProgramStatement) : -1;
  const floor = index > 0 ? program!.body[index - 1]!.range[1] : 0;
  const at = startWithLeadingComments(fix.text, top.range[0], floor);
  // A file's first statement keeps its leading comments (licence headers, directives) above the new code.
  if (index === 0 && at < top.range[0] && floor === 0) return { at: lineStartOf(fix.text, top.range[0]), before: true };
  return { at, before: true };
}

/** Inserts module-scope code at an insertion point, separated by a blank line. */
export function insertModuleCode(fix: FixBuilder, point: { at: number; before: boolean }, code: string): void {
  const eol = fix.style.eol;
  const previousLine = fix.text.slice(lineStartOf(fix.text, Math.max(0, point.at - 1)), Math.max(0, point.at - 1));
  const separate = point.at > 0 && previousLine.trim() !== '';
  if (point.before) fix.insert(point.at, `${separate ? eol : ''}${code}${eol}${eol}`);
  else fix.insert(point.at, `${eol}${eol}${code}`);
}

/** Whether unwrapping a block would put one of its declarations in a scope that already has that name. */
function blockNamesClash(fix: FixBuilder, block: TSESTree.BlockStatement): boolean {
  const manager = fix.sourceCode.scopeManager;
  const scope = manager?.scopes.find((s) => s.block === block);
  if (!scope || scope.variables.length === 0) return false;
  const upper = scope.upper;
  return scope.variables.some((variable) => {
    for (let s = upper; s; s = s.upper) {
      if (s.set.has(variable.name)) return true;
      if (s.type === 'function' || s.type === 'module' || s.type === 'global') break;
    }
    return false;
  });
}
