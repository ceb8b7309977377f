/** The once-per-file sharing of computations between rules. */
import { describe, expect, it } from 'vitest';
import { perFile, type AnyContext } from '../../src/core/per-file.js';

const contextOf = (ast: object): AnyContext => ({ sourceCode: { ast } as never, settings: {} });

describe('perFile', () => {
  it('computes once per file, however many rules ask', () => {
    let runs = 0;
    const get = perFile(() => ++runs);
    const file = contextOf({});
    expect([get(file), get(file), get(contextOf(file.sourceCode.ast))]).toEqual([1, 1, 1]);
    expect(runs).toBe(1);
  });

  it('computes again for the next file, and keeps a file whose analysis reads another file in between', () => {
    const seen: object[] = [];
    const get = perFile((context) => {
      seen.push(context.sourceCode.ast);
      return context.sourceCode.ast;
    });
    const a = contextOf({});
    const b = contextOf({});
    const c = contextOf({});
    expect(get(a)).toBe(a.sourceCode.ast);
    expect(get(b)).toBe(b.sourceCode.ast);
    expect(get(a)).toBe(a.sourceCode.ast);
    expect(seen).toHaveLength(2);
    expect(get(c)).toBe(c.sourceCode.ast);
    expect(seen).toHaveLength(3);
  });

  it('never gives one file the result of another', () => {
    const get = perFile((context) => context.sourceCode.ast);
    const files = Array.from({ length: 50 }, () => contextOf({}));
    for (let round = 0; round < 3; round++) for (const file of files) expect(get(file)).toBe(file.sourceCode.ast);
  });
});
