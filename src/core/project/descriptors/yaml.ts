/**
 * YAML and JSON descriptors read into plain values that remember where each key was written (for "declared at
 * serverless.yml:12"). CloudFormation's short-form intrinsic functions (`!Ref`, `!Sub`, `!GetAtt`, `!If`, …) are
 * read as their long forms (`{ Ref: … }`, `{ 'Fn::Sub': … }`), on scalars, sequences and mappings alike; an unknown
 * tag does not stop the read. Anchors, aliases and merge keys (`<<: *defaults`) are followed, as the Serverless
 * Framework reads them.
 *
 * YAML is read with js-yaml's event parser (one flat list of events with source offsets), from which the values
 * are built here: that gives every key's line without a document model, and js-yaml is loaded on first use, so
 * projects without YAML descriptors never load it.
 */
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';

type YamlEvent = ReturnType<typeof JsYaml.parseEvents>[number];
type Api = Pick<typeof JsYaml, 'parseEvents' | 'getScalarValue' | 'EVENT_ID' | 'SCALAR_STYLE'>;

let api: Api | null | undefined;

function loadApi(): Api | null {
  if (api === undefined) {
    try {
      api = createRequire(import.meta.url)('js-yaml') as Api;
    } catch {
      api = null;
    }
  }
  return api;
}

/** Short-form intrinsic functions of CloudFormation templates (and `!Ref`/`!Condition`, which have no `Fn::`). */
const INTRINSICS = new Set([
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
]);

function longName(name: string): string {
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** Where each key of a read object was written: line numbers (1-based) by key. */
const keyLines = new WeakMap<object, Map<string, number>>();

/** The line a key of an object read by `readYaml`/`readJson` was written on, if known. */
export function lineOf(object: unknown, key: string): number | undefined {
  return object && typeof object === 'object' ? keyLines.get(object)?.get(key) : undefined;
}

/** Keys copied by merge keys (`<<`) in one document at most: a bound on documents that merge maps into maps. */
const MAX_MERGED_KEYS = 100_000;

/** Repairs at most to read past errors in one document. */
const MAX_REPAIRS = 16;

/**
 * A YAML document (the first) as plain values, or undefined when it cannot be read. What YAML parsers reject but
 * the tools that deploy such files have read is read too, each error repaired in place and the parse run again
 * (line numbers stay as they were): see `repair`.
 */
export function readYaml(text: string): unknown {
  const yaml = loadApi();
  if (!yaml) return undefined;
  let source = text;
  const tried = new Map<number, number>();
  for (let repairs = 0; repairs <= MAX_REPAIRS; repairs++) {
    let events: YamlEvent[];
    try {
      events = yaml.parseEvents(source, {});
    } catch (error) {
      const repaired = repair(source, (error as { mark?: { position?: unknown } }).mark?.position, tried);
      if (repaired === undefined) return undefined;
      source = repaired;
      continue;
    }
    try {
      return new DocumentReader(yaml, source, events).read();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * The text with the line of a parse error (at `position`) repaired, or undefined when that line has been tried
 * already. First try on a line: an error in its indentation gets tabs there as two spaces each (YAML allows no
 * tabs in indentation) or, without tabs, two more spaces (flow collections whose lines are not indented past their
 * key); an error after the indentation cuts the line there (a comment that touches a flow collection,
 * `}#comment`). Second try: the whole line is blanked (left out). Then the document cannot be read.
 */
function repair(source: string, position: unknown, tried: Map<number, number>): string | undefined {
  if (typeof position !== 'number') return undefined;
  const at = Math.min(Math.max(position, 0), source.length);
  const lineStart = source.lastIndexOf('\n', at - 1) + 1;
  let lineEnd = source.indexOf('\n', at);
  if (lineEnd === -1) lineEnd = source.length;
  // Lines by number: repairs change the offsets of the lines after them, never the numbers.
  let number = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < lineStart; i = source.indexOf('\n', i + 1)) number++;
  const attempt = tried.get(number) ?? 0;
  tried.set(number, attempt + 1);
  const line = source.slice(lineStart, lineEnd);
  const indent = /^[ \t]*/.exec(line)![0];
  let replaced: string;
  if (attempt === 0 && at - lineStart <= indent.length) {
    replaced = indent.includes('\t') ? indent.replace(/\t/g, '  ') + line.slice(indent.length) : `  ${line}`;
  } else if (attempt === 0 && at < lineEnd) {
    replaced = line.slice(0, at - lineStart);
  } else if (attempt <= 1 && line.trim() !== '') {
    replaced = '';
  } else {
    return undefined;
  }
  return source.slice(0, lineStart) + replaced + source.slice(lineEnd);
}

type Container = { kind: 'map'; value: Record<string, unknown>; lines: Map<string, number>; key: string | undefined; keyLine: number } | { kind: 'seq'; value: unknown[] };

interface Open {
  readonly container: Container;
  readonly tag: string | undefined;
  readonly anchor: string | undefined;
}

/** Builds the first document's values from the event list. */
class DocumentReader {
  private readonly anchors = new Map<string, unknown>();
  private readonly stack: Open[] = [];
  private merged = 0;
  /** Line counting: the offset counted up to and the line it is on (events come in source order). */
  private countedTo = 0;
  private line = 1;

  constructor(
    private readonly yaml: Api,
    private readonly text: string,
    private readonly events: readonly YamlEvent[],
  ) {}

  read(): unknown {
    const { EVENT_ID } = this.yaml;
    let root: unknown;
    let started = false;
    for (const event of this.events) {
      switch (event.type) {
        case EVENT_ID.DOCUMENT:
          // The first document only.
          if (started) return root;
          started = true;
          break;
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE: {
          const container: Container =
            event.type === EVENT_ID.MAPPING
              ? { kind: 'map', value: {}, lines: new Map(), key: undefined, keyLine: 0 }
              : { kind: 'seq', value: [] };
          if (container.kind === 'map') keyLines.set(container.value, container.lines);
          this.stack.push({ container, tag: this.slice(event.tagStart, event.tagEnd), anchor: this.slice(event.anchorStart, event.anchorEnd) });
          break;
        }
        case EVENT_ID.POP: {
          const open = this.stack.pop();
          // The document's own end.
          if (!open) return root;
          const value = tagged(open.tag, open.container.value);
          if (open.anchor !== undefined) this.anchors.set(open.anchor, value);
          if (this.stack.length === 0) root = value;
          else this.add(value, -1);
          break;
        }
        case EVENT_ID.SCALAR: {
          const raw = this.yaml.getScalarValue(this.text, event);
          const tag = this.slice(event.tagStart, event.tagEnd);
          const value = tagged(tag, tag === undefined && event.style === this.yaml.SCALAR_STYLE.PLAIN ? plainScalar(raw) : raw);
          const anchor = this.slice(event.anchorStart, event.anchorEnd);
          if (anchor !== undefined) this.anchors.set(anchor, value);
          if (this.stack.length === 0) root = value;
          else this.add(value, event.valueStart);
          break;
        }
        case EVENT_ID.ALIAS: {
          const name = this.slice(event.anchorStart, event.anchorEnd);
          const value = name === undefined ? undefined : this.anchors.get(name);
          if (this.stack.length === 0) root = value;
          else this.add(value, -1);
          break;
        }
        default:
          break;
      }
    }
    return root;
  }

  /** Adds a value to the innermost open collection: an item, a mapping's key (`offset`: where it starts) or value. */
  private add(value: unknown, offset: number): void {
    const { container } = this.stack[this.stack.length - 1]!;
    if (container.kind === 'seq') {
      container.value.push(value);
      return;
    }
    if (container.key === undefined) {
      // A key: scalars only (a collection as a key is kept out, its value with it).
      container.key = value !== null && typeof value === 'object' ? '\0' : String(value ?? '');
      container.keyLine = offset >= 0 ? this.lineAt(offset) : 0;
      return;
    }
    const key = container.key;
    container.key = undefined;
    if (key === '\0' || key === '__proto__') return;
    if (key === '<<') {
      this.merge(container, value);
      return;
    }
    container.value[key] = value;
    if (container.keyLine > 0) container.lines.set(key, container.keyLine);
  }

  /** A merge key: the keys of the merged mapping (or mappings) that the mapping does not set itself. */
  private merge(container: Extract<Container, { kind: 'map' }>, value: unknown): void {
    for (const source of Array.isArray(value) ? value : [value]) {
      if (!source || typeof source !== 'object' || Array.isArray(source)) continue;
      const lines = keyLines.get(source);
      for (const [key, item] of Object.entries(source as Record<string, unknown>)) {
        if (Object.hasOwn(container.value, key)) continue;
        if (++this.merged > MAX_MERGED_KEYS) return;
        container.value[key] = item;
        const line = lines?.get(key);
        if (line !== undefined) container.lines.set(key, line);
      }
    }
  }

  private slice(start: number, end: number): string | undefined {
    return start >= 0 && end > start ? this.text.slice(start, end) : undefined;
  }

  private lineAt(offset: number): number {
    if (offset < this.countedTo) {
      // Out of order (not expected): count from the start.
      this.countedTo = 0;
      this.line = 1;
    }
    for (let i = this.text.indexOf('\n', this.countedTo); i !== -1 && i < offset; i = this.text.indexOf('\n', i + 1)) this.line++;
    this.countedTo = offset;
    return this.line;
  }
}

/** The value of a tagged node: a CloudFormation short form in its long form; standard and unknown tags as read. */
function tagged(tag: string | undefined, value: unknown): unknown {
  if (tag === undefined) return value;
  const standard = /^!(?:!|<tag:yaml\.org,2002:)(\w+)>?$/.exec(tag)?.[1];
  if (standard === 'str') return typeof value === 'string' ? value : String(value ?? '');
  if (standard === 'int' || standard === 'float' || standard === 'bool' || standard === 'null') {
    return typeof value === 'string' ? plainScalar(value) : value;
  }
  const name = /^!(?:<!?)?([A-Za-z]+)>?$/.exec(tag)?.[1];
  if (name === undefined || !INTRINSICS.has(name)) return value;
  return { [longName(name)]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value };
}

/** A plain (unquoted) scalar as YAML 1.2's core schema reads it: null, booleans, numbers, else the text. */
function plainScalar(text: string): unknown {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  const first = text.charCodeAt(0);
  // Numbers start with a digit, a sign or a dot: most scalars are not numbers and end here.
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 46)) return text;
  if (/^[-+]?[0-9]+$/.test(text)) return Number.parseInt(text, 10);
  if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number.parseFloat(text);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return Number.NaN;
  return text;
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
