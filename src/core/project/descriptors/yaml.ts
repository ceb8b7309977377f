/**
 * YAML and JSON descriptors read into plain values that remember where each key was written (for "declared at
 * serverless.yml:12"). CloudFormation's short-form intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, `!If`, …) are
 * read as their long forms (`{ Ref: … }`, `{ 'Fn::Sub': … }`), on scalars, sequences and mappings alike, with the
 * `yaml` package's custom tags; an unknown tag does not stop the read.
 */
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Tags } from 'yaml';

/** Short-form intrinsic functions of CloudFormation templates (and `!Ref`/`!Condition`, which have no `Fn::`). */
const INTRINSICS = [
  'Ref',
  'Condition',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'FindInMap',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'Base64',
  'Cidr',
  'GetAZs',
  'ImportValue',
  'Transform',
  'ToJsonString',
  'Length',
  'ForEach',
];

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

const CFN_TAGS: Tags = INTRINSICS.flatMap((name) => {
  const key = longName(name);
  return [
    {
      tag: `!${name}`,
      resolve: (value: string) => ({ [key]: name === 'GetAtt' ? value.split('.') : value }),
    },
    { tag: `!${name}`, collection: 'seq' as const, resolve: (seq: { toJSON(): unknown }) => ({ [key]: seq.toJSON() }) },
    { tag: `!${name}`, collection: 'map' as const, resolve: (map: { toJSON(): unknown }) => ({ [key]: map.toJSON() }) },
  ];
}) as Tags;

/** Where each key of a read object was written: line numbers (1-based) by key. */
const keyLines = new WeakMap<object, Map<string, number>>();

/** The line a key of an object read by `readYaml`/`readJson` was written on, if known. */
export function lineOf(object: unknown, key: string): number | undefined {
  return object && typeof object === 'object' ? keyLines.get(object)?.get(key) : undefined;
}

/** A YAML document (the first) as plain values, or undefined when it cannot be read at all. */
export function readYaml(text: string): unknown {
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, {
      customTags: CFN_TAGS,
      lineCounter,
      strict: false,
      uniqueKeys: false,
      prettyErrors: false,
      logLevel: 'silent',
    });
    if (doc.errors.length > 0 && !doc.contents) return undefined;
    return toValue(doc.contents as Node | null, lineCounter, 0);
  } catch {
    return undefined;
  }
}

function toValue(node: Node | null | undefined, lines: LineCounter, depth: number): unknown {
  if (!node || depth > 64) return undefined;
  if (isAlias(node)) return undefined;
  if (isScalar(node)) return node.value;
  if (isSeq(node)) return node.items.map((item) => toValue(item as Node, lines, depth + 1));
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const where = new Map<string, number>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined || key === '__proto__') continue;
      out[key] = toValue(pair.value as Node | null, lines, depth + 1);
      const offset = keyNode?.range?.[0];
      if (offset !== undefined) where.set(key, lines.linePos(offset).line);
    }
    keyLines.set(out, where);
    return out;
  }
  // A tagged collection or scalar resolved by a custom tag is a plain value already.
  return (node as { toJSON?: () => unknown }).toJSON?.();
}

/**
 * A JSON document as plain values, or undefined when it is not JSON. Key lines are found by searching the text for
 * each key in document order (JSON.parse keeps that order), which is far cheaper than a YAML read.
 */
export function readJson(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (offset: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  let cursor = 0;
  const visit = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || depth > 64) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const where = new Map<string, number>();
    for (const [key, child] of Object.entries(node)) {
      const found = text.indexOf(JSON.stringify(key), cursor);
      if (found >= 0) {
        cursor = found + key.length + 2;
        where.set(key, lineAt(found));
      }
      visit(child, depth + 1);
    }
    keyLines.set(node, where);
  };
  visit(value, 0);
  return value;
}
