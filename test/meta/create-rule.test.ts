import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { createRule } from '../../src/util/create-rule.js';

type Options = [{ max?: number; nested?: { a?: number; b?: number }; list?: string[] }];

/** A rule that records the options it was created with, file by file. */
function probe() {
  const seen: Options[0][] = [];
  const rule = createRule<Options, 'x'>({
    name: 'probe',
    meta: {
      type: 'problem',
      docs: { description: 'probe' },
      messages: { x: 'x' },
      schema: [
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            max: { type: 'number' },
            nested: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
            list: { type: 'array', items: { type: 'string' } },
          },
        },
      ],
      defaultOptions: [{ max: 1, nested: { a: 1, b: 2 }, list: ['d'] }],
    },
    create(_context, [options]) {
      seen.push(options);
      return {};
    },
  });
  const lint = (entry: Linter.RuleEntry, code = 'x;') =>
    new Linter().verify(code, [{ plugins: { p: { rules: { probe: rule as never } } }, rules: { 'p/probe': entry } }]);
  return { seen, lint };
}

describe('createRule', () => {
  it('gives the defaults when nothing is configured', () => {
    const { seen, lint } = probe();
    lint('error');
    expect(seen).toEqual([{ max: 1, nested: { a: 1, b: 2 }, list: ['d'] }]);
  });

  it('merges configured options into the defaults deeply, arrays replaced', () => {
    const { seen, lint } = probe();
    lint(['error', { max: 3, nested: { b: 5 }, list: ['x', 'y'] }]);
    expect(seen).toEqual([{ max: 3, nested: { a: 1, b: 5 }, list: ['x', 'y'] }]);
  });

  it('keeps configurations apart and reuses the merged options of one configuration from file to file', () => {
    const { seen, lint } = probe();
    lint(['error', { max: 3 }]);
    lint(['error', { max: 4 }]);
    lint(['error', { max: 3 }]);
    lint('error');
    expect(seen.map((o) => o.max)).toEqual([3, 4, 3, 1]);
    expect(seen[2]).toBe(seen[0]);
  });

  it('tells apart configurations that differ only deep inside, also past the configurations it remembers', () => {
    const { seen, lint } = probe();
    const lists = [['a'], ['a', 'b'], ['b', 'a'], [], ['a', 'b', 'c'], ['c'], ['d', 'e'], ['e'], ['f'], ['g'], ['a']];
    for (const list of lists) lint(['error', { list, nested: { a: list.length } }]);
    expect(seen.map((o) => o.list)).toEqual(lists);
    expect(seen.map((o) => o.nested)).toEqual(lists.map((list) => ({ a: list.length, b: 2 })));
  });

  it('hands out options no rule can change for the next file', () => {
    const { seen, lint } = probe();
    lint(['error', { nested: { a: 9 } }]);
    const options = seen[0]!;
    expect(Object.isFrozen(options)).toBe(true);
    expect(Object.isFrozen(options.nested)).toBe(true);
    expect(() => options.list!.push('z')).toThrow(TypeError);
    lint(['error', { nested: { a: 9 } }]);
    expect(seen[1]).toEqual({ max: 1, nested: { a: 9, b: 2 }, list: ['d'] });
  });
});
