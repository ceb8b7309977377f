import type { Creator } from '../../../core/drivers/catalogue.js';
import type { AnyPath } from '../../shared/ast.js';

/** One finding of the rule, located in the jscodeshift AST, with the catalogue entry of what it creates. */
export interface Target {
  readonly kind: 'create' | 'connect';
  readonly call: AnyPath;
  /** Where a `--annotate` comment goes: the reported call. */
  readonly path: AnyPath;
  readonly creator: Creator;
  readonly line: number;
}

