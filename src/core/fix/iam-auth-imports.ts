/**
 * Where generated module-scope code goes, and the imports it needs, in the file's own module style.
 *
 * An import or `require` always goes before its first use: at the end of the file's leading run of imports (the
 * `import` declarations and `const x = require('x')` statements it starts with), or, when the file starts with
 * something else, at its top, after a shebang, the directive prologue (`'use strict'`) and the comments that open
 * the file. A `require` further down (`require('knex')({...})` in the middle of the file) is never a place to add
 * one, since code above it would run first.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { getStaticString } from '../ast/nodes.js';
import { Refusal, type FixBuilder } from './plan.js';
import { render, withEol } from './style.js';

type Statement = TSESTree.ProgramStatement;

export function programOf(fix: FixBuilder): TSESTree.Program {
  return fix.sourceCode.ast as TSESTree.Program;
}

/** The top-level statement that holds `node`. */
export function topLevelStatement(fix: FixBuilder, node: TSESTree.Node): Statement | undefined {
  const program = programOf(fix);
  let current: TSESTree.Node = node;
  while (current.parent && current.parent !== program) current = current.parent;
  return current.parent === program ? (current as Statement) : undefined;
}

export function isRequireCall(node: TSESTree.Node | null | undefined, module?: string): node is TSESTree.CallExpression {
  return (
    node?.type === AST_NODE_TYPES.CallExpression &&
    node.callee.type === AST_NODE_TYPES.Identifier &&
    node.callee.name === 'require' &&
    node.arguments.length === 1 &&
    (module === undefined ? getStaticString(node.arguments[0]) !== undefined : getStaticString(node.arguments[0]) === module)
  );
}

/**
 * A statement that only imports: `import ...`, `import x = require()`, `const x = require('x')` or
 * `const y = require('x').y` (not `require('knex')({...})`, which runs code).
 */
export function isImportStatement(statement: Statement): boolean {
  if (statement.type === AST_NODE_TYPES.ImportDeclaration || statement.type === AST_NODE_TYPES.TSImportEqualsDeclaration) return true;
  if (statement.type !== AST_NODE_TYPES.VariableDeclaration) return false;
  return statement.declarations.every((d) => {
    let init = d.init;
    while (init?.type === AST_NODE_TYPES.MemberExpression) init = init.object;
    return isRequireCall(init);
  });
}

/**
 * ES module syntax (the file gets `import`), else CommonJS (`require`): a file with an `import` declaration is an
 * ES module; one that calls `require` or writes `exports` / `module.exports` is CommonJS, whatever its parser
 * was told; otherwise the source type decides.
 */
export function usesImportSyntax(fix: FixBuilder): boolean {
  const program = programOf(fix);
  if (program.body.some((s) => s.type === AST_NODE_TYPES.ImportDeclaration)) return true;
  const globals = fix.sourceCode.scopeManager?.globalScope;
  const commonjs = new Set(['require', 'module', 'exports']);
  if (globals?.through.some((ref) => commonjs.has(ref.identifier.name))) return false;
  for (const name of commonjs) {
    const variable = globals?.set.get(name);
    if (variable && variable.defs.length === 0 && variable.references.length > 0) return false;
  }
  return program.sourceType === 'module';
}

/** The start of the line after a statement (its end when it ends the file). */
function lineAfter(text: string, end: number): number {
  const newline = text.indexOf('\n', end);
  return newline < 0 ? text.length : newline + 1;
}

const DIRECTIVE_COMMENT = /^\s*(?:@ts-|eslint|jshint|global\s|@flow|prettier-ignore|#!)/;

/**
 * Where code goes at the top of the file: after the shebang, the directive prologue, and the comments that open the
 * file; a comment block written directly above the first statement (its documentation) stays with it.
 */
export function prologueEnd(fix: FixBuilder): number {
  const program = programOf(fix);
  const text = fix.text;
  let pos = text.startsWith('#!') ? lineAfter(text, 0) : 0;
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive !== undefined && statement.directive !== null) {
      pos = lineAfter(text, statement.range[1]);
      continue;
    }
    break;
  }
  const first = program.body.find((s) => s.range[0] >= pos);
  const limit = first ? first.range[0] : text.length;
  // Comments between `pos` and the first statement: the file's header, unless the last block touches the statement.
  const comments = (fix.sourceCode.getAllComments() as TSESTree.Comment[]).filter((c) => c.range[0] >= pos && c.range[1] <= limit);
  let headerEnd = pos;
  for (let i = 0; i < comments.length; i++) {
    const comment = comments[i]!;
    const end = comment.range[1];
    const between = text.slice(end, i + 1 < comments.length ? comments[i + 1]!.range[0] : limit);
    const blankAfter = /\n[ \t]*\r?\n/.test(between);
    const lastBlock = comments.slice(i + 1).every((c) => !/\n[ \t]*\r?\n/.test(text.slice(end, c.range[0])));
    if (!blankAfter && lastBlock && first && !DIRECTIVE_COMMENT.test(comment.value)) {
      // The block from here on documents the first statement.
      break;
    }
    headerEnd = lineAfter(text, end);
  }
  // Blank lines after the header stay with it.
  if (headerEnd > pos) headerEnd += /^(?:[ \t]*\r?\n)*/.exec(text.slice(headerEnd, headerEnd + 200))![0].length;
  return Math.max(pos, headerEnd);
}

/**
 * The start of the line after the file's leading run of import statements (directives may come first), or
 * undefined when the file does not start with one.
 */
export function leadingImportsEnd(fix: FixBuilder): number | undefined {
  let last: Statement | undefined;
  for (const statement of programOf(fix).body) {
    if (isImportStatement(statement)) last = statement;
    else if (statement.type === AST_NODE_TYPES.ExpressionStatement && statement.directive) continue;
    else break;
  }
  return last ? lineAfter(fix.text, last.range[1]) : undefined;
}

export interface ImportRequest {
  readonly module: string;
  /** `Signer` for `import { Signer }`; `default` for a default import (`import mysql2 from 'mysql2'`). */
  readonly name: string;
  /** The local name to use, unless taken. */
  readonly local: string;
}

export interface PlannedImport {
  /** The local name. */
  readonly name: string;
  /** Where it becomes available (0 for hoisted ES imports and for none needed). */
  readonly at: number;
}

/** The local name of an existing top-level import or require of `name` from `module`, and where it is declared. */
export function existingImport(fix: FixBuilder, request: ImportRequest): PlannedImport | undefined {
  for (const statement of programOf(fix).body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration && statement.source.value === request.module && statement.importKind !== 'type') {
      for (const s of statement.specifiers) {
        if (request.name === 'default' && s.type === AST_NODE_TYPES.ImportDefaultSpecifier) return { name: s.local.name, at: 0 };
        if (s.type === AST_NODE_TYPES.ImportSpecifier && s.importKind !== 'type') {
          const imported = s.imported.type === AST_NODE_TYPES.Identifier ? s.imported.name : String(s.imported.value);
          if (imported === request.name) return { name: s.local.name, at: 0 };
        }
      }
    }
    if (statement.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const d of statement.declarations) {
      if (!isRequireCall(d.init, request.module)) continue;
      if (request.name === 'default' && d.id.type === AST_NODE_TYPES.Identifier) return { name: d.id.name, at: statement.range[1] };
      if (d.id.type !== AST_NODE_TYPES.ObjectPattern) continue;
      for (const p of d.id.properties) {
        if (p.type === AST_NODE_TYPES.Property && !p.computed && p.key.type === AST_NODE_TYPES.Identifier && p.key.name === request.name) {
          if (p.value.type === AST_NODE_TYPES.Identifier) return { name: p.value.name, at: statement.range[1] };
        }
      }
    }
  }
  return undefined;
}

/** Imports planned by one fix (so two configs in one plan share them). */
const planned = new WeakMap<FixBuilder, Map<string, PlannedImport>>();
/** The import statements one fix inserts at each offset (written as one edit, so they stay together). */
const insertedAt = new WeakMap<FixBuilder, Map<number, { index: number; statements: string[]; blank: string }>>();


/**
 * The local name of `request`, importing it (in the file's module style) when the file does not yet. Throws a
 * `Refusal` when an existing import comes after `before`, the first place that uses it.
 */
export function ensureImport(fix: FixBuilder, request: ImportRequest, before: number): PlannedImport {
  let mine = planned.get(fix);
  if (!mine) planned.set(fix, (mine = new Map()));
  const key = `${request.module}\n${request.name}`;
  const known = mine.get(key) ?? existingImport(fix, request);
  if (known) {
    if (known.at > before) {
      throw new Refusal(`\`${known.name}\` is imported from ${request.module} below the place that needs it; move the import up first`);
    }
    mine.set(key, known);
    return known;
  }
  const name = fix.uniqueName(request.local);
  const esm = usesImportSyntax(fix);
  const statement =
    request.name === 'default'
      ? esm
        ? `import ${name} from '${request.module}';`
        : `const ${name} = require('${request.module}');`
      : esm
        ? `import { ${name === request.name ? name : `${request.name} as ${name}`} } from '${request.module}';`
        : `const { ${name === request.name ? name : `${request.name}: ${name}`} } = require('${request.module}');`;
  const run = leadingImportsEnd(fix);
  const at = run ?? prologueEnd(fix);
  if (at > before) throw new Refusal('there is no place above the configuration to import the signer');
  const next = fix.text.slice(at, at + 2);
  // At the top of a file that starts with code: a blank line separates the import from it.
  const blank = run === undefined && next !== '' && !/^\r?\n/.test(next) ? '\n' : '';
  const line = withEol(`${render(statement, fix.style)}\n`, fix.style);
  let offsets = insertedAt.get(fix);
  if (!offsets) insertedAt.set(fix, (offsets = new Map()));
  let group = offsets.get(at);
  if (group) {
    group.statements.push(line);
    fix.edits[group.index] = { start: at, end: at, text: group.statements.join('') + group.blank };
  } else {
    group = { index: fix.edits.length, statements: [line], blank: withEol(blank, fix.style) };
    offsets.set(at, group);
    fix.insert(at, line + group.blank);
  }
  fix.dependency(request.module);
  const result = { name, at };
  mine.set(key, result);
  return result;
}

/**
 * When generated code goes right after the imports this fix inserts at `at`, the imports end without their blank
 * line (the code brings its own). Returns whether the fix inserts imports there.
 */
export function joinImportsAt(fix: FixBuilder, at: number): boolean {
  const group = insertedAt.get(fix)?.get(at);
  if (!group) return false;
  group.blank = '';
  fix.edits[group.index] = { start: at, end: at, text: group.statements.join('') };
  return true;
}
