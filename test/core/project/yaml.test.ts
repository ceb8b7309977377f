/**
 * The YAML reader behind serverless.yml and SAM / CloudFormation templates: plain values as the Serverless Framework
 * and CloudFormation read them, with the line of every key.
 */
import { describe, expect, it } from 'vitest';
import { lineOf, readJson, readYaml } from '../../../src/core/project/descriptors/yaml.js';

describe('readYaml', () => {
  it('reads scalars as the YAML 1.2 core schema does', () => {
    const value = readYaml(
      [
        'int: 30',
        'negative: -5',
        'octal: 0o17',
        'hex: 0x1F',
        'float: 2.5',
        'exp: 1e3',
        'yes: true',
        'no: FALSE',
        'nothing: ~',
        'empty:',
        "quoted: '30'",
        'double: "true"',
        'text: nodejs20.x',
        'version: 1.2.3',
        'literal: |',
        '  line one',
        '  line two',
        'folded: >-',
        '  a',
        '  b',
      ].join('\n'),
    );
    expect(value).toEqual({
      int: 30,
      negative: -5,
      octal: 15,
      hex: 31,
      float: 2.5,
      exp: 1000,
      yes: true,
      no: false,
      nothing: null,
      empty: null,
      quoted: '30',
      double: 'true',
      text: 'nodejs20.x',
      version: '1.2.3',
      literal: 'line one\nline two\n',
      folded: 'a b',
    });
  });

  it('reads the short forms of CloudFormation intrinsic functions as their long forms, on every kind of node', () => {
    const value = readYaml(
      [
        'Ref: !Ref Table',
        'Att: !GetAtt Db.Endpoint.Address',
        'Sub: !Sub "${Stage}-db"',
        'SubList: !Sub',
        '  - "${A}-${B}"',
        '  - { A: !Ref X, B: 2 }',
        'Join: !Join [":", [a, b]]',
        'If: !If [IsProd, 30, 6]',
        'Cond: !Condition IsProd',
        'Verbatim: !<!Ref> Other',
      ].join('\n'),
    );
    expect(value).toEqual({
      Ref: { Ref: 'Table' },
      Att: { 'Fn::GetAtt': ['Db', 'Endpoint', 'Address'] },
      Sub: { 'Fn::Sub': '${Stage}-db' },
      SubList: { 'Fn::Sub': ['${A}-${B}', { A: { Ref: 'X' }, B: 2 }] },
      Join: { 'Fn::Join': [':', ['a', 'b']] },
      If: { 'Fn::If': ['IsProd', 30, 6] },
      Cond: { Condition: 'IsProd' },
      Verbatim: { Ref: 'Other' },
    });
  });

  it('reads through tags it does not know, and reads the standard tags (!!str, !!int)', () => {
    expect(readYaml('a: !Custom 5\nb: !!str 30\nn: !!int 86400\nc: !Unknown [1, 2]\nd: !Local { k: v }\n')).toEqual({
      a: '5',
      b: '30',
      n: 86400,
      c: [1, 2],
      d: { k: 'v' },
    });
  });

  it('follows anchors, aliases and merge keys, the mapping’s own keys first', () => {
    const value = readYaml(
      [
        'defaults: &defaults',
        '  runtime: nodejs20.x',
        '  timeout: 10',
        'functions:',
        '  a:',
        '    <<: *defaults',
        '    handler: a.handler',
        '    timeout: 20',
        '  b:',
        '    <<: [*defaults]',
        '    handler: b.handler',
        '  c: *defaults',
      ].join('\n'),
    ) as { functions: Record<string, Record<string, unknown>> };
    expect(value.functions).toEqual({
      a: { handler: 'a.handler', timeout: 20, runtime: 'nodejs20.x' },
      b: { handler: 'b.handler', runtime: 'nodejs20.x', timeout: 10 },
      c: { runtime: 'nodejs20.x', timeout: 10 },
    });
    expect(lineOf(value.functions.a, 'timeout')).toBe(8);
    // A merged key is where it was written, in the anchored mapping.
    expect(lineOf(value.functions.b, 'timeout')).toBe(3);
  });

  it('gives the line of every key, in block and flow style, after comments and multi-line scalars', () => {
    const value = readYaml(
      [
        '# a comment',
        'service: s',
        'description: |',
        '  several',
        '  lines',
        'functions:',
        '  read:   # trailing comment',
        '    handler: src/orders.read',
        '  "quoted key":',
        '    handler: x.y',
        '  flow: { handler: f.g, timeout: 3 }',
      ].join('\n'),
    ) as { functions: Record<string, object> };
    expect(lineOf(value, 'service')).toBe(2);
    expect(lineOf(value, 'functions')).toBe(6);
    expect(lineOf(value.functions, 'read')).toBe(7);
    expect(lineOf(value.functions.read, 'handler')).toBe(8);
    expect(lineOf(value.functions, 'quoted key')).toBe(9);
    expect(lineOf(value.functions['quoted key'], 'handler')).toBe(10);
    expect(lineOf(value.functions.flow, 'timeout')).toBe(11);
  });

  it('reads the first document of a stream', () => {
    expect(readYaml('a: 1\n---\nb: 2\n')).toEqual({ a: 1 });
    expect(readYaml('--- \nfirst: true\n...\n')).toEqual({ first: true });
  });

  it('keeps a key named __proto__ and collection keys out of the values', () => {
    const value = readYaml('__proto__: { polluted: true }\n? [a, b]\n: c\nok: 1\n') as Record<string, unknown>;
    expect(value).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads past what a YAML parser rejects, leaving it out, with the lines of the rest unchanged', () => {
    // A comment that touches a flow collection, and tabs as indentation: both rejected by YAML parsers.
    const value = readYaml(
      [
        'functions:',
        "  a: { 'Fn::GetAtt': [Fn, Arn] }#comment",
        '\tb:',
        '\t\thandler: tabs.handler',
        '  c:',
        '    handler: c.handler',
      ].join('\n'),
    ) as { functions: Record<string, unknown> };
    expect(value.functions).toEqual({ a: { 'Fn::GetAtt': ['Fn', 'Arn'] }, b: { handler: 'tabs.handler' }, c: { handler: 'c.handler' } });
    expect(lineOf(value.functions.b, 'handler')).toBe(4);
    expect(lineOf(value.functions.c, 'handler')).toBe(6);
  });

  it('reads a flow mapping whose lines are not indented past its key, as CloudFormation does', () => {
    const value = readYaml(['Environment:', '  Variables: {', '    "A": "b"', '  }', 'Handler: index.handler'].join('\n'));
    expect(value).toEqual({ Environment: { Variables: { A: 'b' } }, Handler: 'index.handler' });
  });

  it('cuts a line where its error is and reads the rest', () => {
    expect(readYaml(['a: 1', 'b: "x" y', 'c: 3'].join('\n'))).toEqual({ a: 1, b: 'x', c: 3 });
  });

  it('is undefined for text that is not YAML, and for an empty file', () => {
    expect(readYaml('functions:\n  a: [unclosed\n')).toBeUndefined();
    expect(readYaml('a: "open\n')).toBeUndefined();
    expect(readYaml('a: 1\nb: [1, 2\nc: 3\n')).toBeUndefined();
    expect(readYaml('')).toBeUndefined();
  });

  it('bounds the keys that merge keys copy', () => {
    const lines = ['base: &b'];
    for (let i = 0; i < 2000; i++) lines.push(`  k${i}: ${i}`);
    for (let i = 0; i < 100; i++) lines.push(`m${i}:`, '  <<: *b');
    const value = readYaml(lines.join('\n')) as Record<string, Record<string, unknown>>;
    const merged = Object.keys(value).filter((k) => k.startsWith('m')).reduce((n, k) => n + Object.keys(value[k] ?? {}).length, 0);
    expect(merged).toBe(100_000);
  });
});

describe('readJson', () => {
  it('reads JSON with the line of every key', () => {
    const value = readJson('{\n  "Resources": {\n    "Fn": { "Handler": "index.handler" }\n  }\n}\n') as { Resources: { Fn: object } };
    expect(value.Resources.Fn).toEqual({ Handler: 'index.handler' });
    expect(lineOf(value.Resources, 'Fn')).toBe(3);
    expect(lineOf(value.Resources.Fn, 'Handler')).toBe(3);
  });

  it('is undefined for text that is not JSON', () => {
    expect(readJson('{ "a": ')).toBeUndefined();
  });
});
