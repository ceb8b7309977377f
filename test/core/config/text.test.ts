import { describe, expect, it } from 'vitest';
import { parse } from '@typescript-eslint/parser';
import type { TSESTree } from '@typescript-eslint/types';
import { HOLE } from '../../../src/core/config/hosts.js';
import { displayText, isKnown, locate, staticText } from '../../../src/core/config/text.js';

/** The initialiser of the first declaration of `code`, with parent links. */
function init(code: string): TSESTree.Node {
  const ast = parse(code, { range: true, loc: true });
  const setParents = (node: TSESTree.Node, parent?: TSESTree.Node) => {
    (node as { parent?: TSESTree.Node }).parent = parent;
    for (const value of Object.values(node)) {
      if (Array.isArray(value)) value.forEach((v) => v && typeof v.type === 'string' && setParents(v, node));
      else if (value && typeof value === 'object' && typeof (value as TSESTree.Node).type === 'string' && value !== parent) {
        setParents(value as TSESTree.Node, node);
      }
    }
  };
  setParents(ast as unknown as TSESTree.Node);
  const declaration = ast.body[0] as TSESTree.VariableDeclaration;
  return declaration.declarations[0]!.init!;
}

const show = (text: string) => text.replaceAll(HOLE, '${}');

describe('staticText', () => {
  it('reads literals, templates and concatenations, with holes', () => {
    expect(show(staticText(init(`const a = 'postgres://u:p@h/db';`))!.text)).toBe('postgres://u:p@h/db');
    expect(show(staticText(init('const a = `postgres://${u}:p@${h}/db`;'))!.text)).toBe('postgres://${}:p@${}/db');
    expect(show(staticText(init(`const a = 'mysql://' + user + ':' + 'pw' + '@h';`))!.text)).toBe('mysql://${}:pw@h');
    expect(show(staticText(init(`const a = 'port ' + 5432;`))!.text)).toBe('port 5432');
  });

  it('keeps a numeric sum before the first string as one hole', () => {
    expect(show(staticText(init(`const a = 1 + 2 + 'x' + 3;`))!.text)).toBe('${}x3');
    expect(staticText(init(`const a = 1 + 2;`))).toBeUndefined();
    expect(staticText(init(`const a = b + c;`))).toBeUndefined();
  });

  it('maps ranges back to the source when a literal is written verbatim', () => {
    const code = `const a = 'postgres://u:' + 'hunter2' + '@h';`;
    const text = staticText(init(code))!;
    const start = text.text.indexOf('hunter2');
    const location = locate(text, start, start + 'hunter2'.length);
    expect(code.slice(...location.range!)).toBe('hunter2');
    expect(isKnown(text, start, start + 7)).toBe(true);
  });

  it('maps template parts to the template, and gives no range through escapes', () => {
    const code = 'const a = `x://u:pw@${h}/db`;';
    const text = staticText(init(code))!;
    const location = locate(text, 6, 8);
    expect(code.slice(...location.range!)).toBe('pw');
    expect(location.node.type).toBe('TemplateLiteral');
    const escaped = staticText(init(`const a = 'x://u:p\\u0077@h';`))!;
    const at = escaped.text.indexOf('pw');
    expect(locate(escaped, at, at + 2).range).toBeUndefined();
    // A range over several literals points at the whole expression.
    const split = staticText(init(`const a = 'ab' + 'cd';`))!;
    expect(locate(split, 1, 3)).toEqual({ node: split.node, range: undefined });
  });

  it('handles long chains (as long as the parser accepts)', () => {
    const terms = Array.from({ length: 600 }, (_, i) => (i % 2 ? `'s${i}'` : `v${i}`)).join(' + ');
    const text = staticText(init(`const a = ${terms};`))!;
    expect(text.segments).toHaveLength(600);
  });

  it('shows holes in messages as ${…}', () => {
    expect(displayText(`${HOLE}.cluster-x.us-east-1.rds.amazonaws.com`)).toBe('${…}.cluster-x.us-east-1.rds.amazonaws.com');
  });
});
