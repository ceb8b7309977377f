import type { JSCodeshift } from 'jscodeshift';
import type { FileStyle } from './style.js';
import type { TextEdit } from './edits.js';

/** Everything the steps of one file share. */
export interface TransformContext {
  readonly j: JSCodeshift;
  readonly root: ReturnType<JSCodeshift>;
  /** The file text without its byte-order mark. */
  readonly text: string;
  readonly style: FileStyle;
  readonly edits: TextEdit[];
  readonly changes: string[];
  readonly reasons: string[];
  /** Names taken anywhere in the file (generated names avoid them). */
  readonly taken: Set<string>;
  readonly annotate: boolean;
  /** TypeScript file: generated module-scope variables get type annotations. */
  readonly typescript: boolean;
  /** Packages the changed code imports and the project may lack (the migrate CLI adds them to package.json). */
  readonly dependencies?: Set<string>;
}

/** A reason to leave a target as it is. */
export class Bailout extends Error {}

export function uniqueName(ctx: TransformContext, base: string): string {
  let name = base;
  for (let i = 2; ctx.taken.has(name); i++) name = `${base}${i}`;
  ctx.taken.add(name);
  return name;
}

/**
 * The TypeScript type of what a creating call yields, written from its callee so no import is needed:
 * `new Client()` → `InstanceType<typeof Client>`, `mysql.createConnection()` →
 * `Awaited<ReturnType<typeof mysql.createConnection>>`. Undefined when the callee is not a plain name.
 */
export function instanceType(ctx: TransformContext, call: { type: string; callee?: unknown; start?: number | null }): string | undefined {
  const callee = call.callee as { start?: number | null; end?: number | null } | undefined;
  if (!callee || callee.start == null || callee.end == null) return undefined;
  const text = ctx.text.slice(callee.start, callee.end);
  if (!/^[\w$]+(?:\.[\w$]+)*$/.test(text)) return undefined;
  return call.type === 'NewExpression' ? `InstanceType<typeof ${text}>` : `Awaited<ReturnType<typeof ${text}>>`;
}

/** `: T | undefined` in TypeScript files, nothing in JavaScript. Bails out when TypeScript needs a type it cannot name. */
export function cacheAnnotation(ctx: TransformContext, type: string | undefined): string {
  if (!ctx.typescript) return '';
  if (!type) throw new Bailout('cannot name the type of the connection for a TypeScript annotation');
  return `: ${type} | undefined`;
}
