import { describe, expect, it } from 'vitest';
import { detectStyle, render } from '../../../src/core/fix/style.js';

describe('detectStyle', () => {
  it('reads semicolons, single quotes and two-space indentation', () => {
    const text = "import pg from 'pg';\nexport const handler = async () => {\n  return 1;\n};\n";
    expect(detectStyle(text)).toEqual({ eol: '\n', quote: "'", semi: true, indent: '  ' });
  });

  it('reads a file without semicolons (lines end with calls, names and quotes)', () => {
    const text = "const pg = require('pg')\nconst pool = new pg.Pool()\nexports.handler = async () => {\n  return pool.query('select 1')\n}\n";
    expect(detectStyle(text).semi).toBe(false);
  });

  it('takes semicolons when one statement ends a line with one, however many do not', () => {
    const text = "const a = f()\nconst b = g()\nconst c = h();\nconst d = i()\n";
    expect(detectStyle(text).semi).toBe(true);
  });

  it('takes semicolons when no line can tell (no statement ends a line)', () => {
    expect(detectStyle('{\n}\n').semi).toBe(true);
  });

  it('takes the quote most module specifiers open with (from, require, dynamic import)', () => {
    const double = 'import a from "a";\nconst b = require("b");\nconst c = await import("c");\nconst d = require(\'d\');\n';
    expect(detectStyle(double).quote).toBe('"');
    const single = "import a from 'a';\nimport b from \"b\";\nconst c = require('c');\n";
    expect(detectStyle(single).quote).toBe("'");
    // A tie, or no specifier at all: single quotes.
    expect(detectStyle("import a from 'a';\nimport b from \"b\";\n").quote).toBe("'");
    // The first ten specifiers decide: imports stand at the top, and the rest of a large file is not searched.
    const top = Array.from({ length: 10 }, (_, i) => `import m${i} from 'm${i}';\n`).join('');
    const later = Array.from({ length: 12 }, (_, i) => `const r${i} = require("r${i}");\n`).join('');
    expect(detectStyle(top + later).quote).toBe("'");
    expect(detectStyle('const x = "y";\n').quote).toBe("'");
  });

  it('samples the quote at the top of a long file, and further down only when the top has no specifier', () => {
    const body = `function f() {\n  return 1;\n}\n`.repeat(400);
    // A double-quoted import at the top decides against single-quoted requires far below it.
    const lateRequires = Array.from({ length: 10 }, (_, i) => `const r${i} = require('r${i}');\n`).join('');
    expect(detectStyle(`import a from "a";\n${body}${lateRequires}`).quote).toBe('"');
    // No specifier at the top: the requires further down decide.
    const lateDouble = Array.from({ length: 3 }, (_, i) => `const r${i} = require("r${i}");\n`).join('');
    expect(detectStyle(`${body}${lateDouble}`).quote).toBe('"');
  });

  it('reads tabs, four spaces and CRLF line endings', () => {
    expect(detectStyle('function f() {\n\treturn 1;\n}\n').indent).toBe('\t');
    expect(detectStyle('function f() {\n    if (x) {\n        return 1;\n    }\n}\n').indent).toBe('    ');
    // Four-space lines among two-space ones: two spaces.
    expect(detectStyle('function f() {\n    a();\n  b();\n}\n').indent).toBe('  ');
    expect(detectStyle('const a = 1;\r\nconst b = 2;\r\n').eol).toBe('\r\n');
  });
});

describe('render', () => {
  it('writes generated code in the file style', () => {
    const code = "if (x) {\n  call('a');\n}";
    expect(render(code, { eol: '\n', quote: '"', semi: false, indent: '\t' })).toBe('if (x) {\n\tcall("a")\n}');
    expect(render(code, { eol: '\n', quote: "'", semi: true, indent: '    ' })).toBe("if (x) {\n    call('a');\n}");
  });
});
