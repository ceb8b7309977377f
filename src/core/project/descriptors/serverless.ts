/**
 * Serverless Framework services: `serverless.yml` / `.yaml` / `.json` and `serverless.ts` / `.js`. Each function's
 * `handler` (`path/to/module.export`, relative to the service folder), its `timeout` (else `provider.timeout`, else
 * the framework's 6 seconds) and runtime (functions on other runtimes than Node.js are left out), functions listed
 * in included files (`${file(./functions.yml)}`, `${file(./x.yml):key}`), `${self:…}` references, and the
 * service's layers (`layers.<name>.path`).
 */
import path from 'node:path';
import { readText } from '../fs.js';
import { parseFile } from '../parse.js';
import { resolveHandler, SOURCE_FILE, type SpecifierContext } from '../paths.js';
import { ModuleEvaluator, UNKNOWN, placeOf, stringOf } from '../evaluate.js';
import { DEFAULT_TIMEOUTS, type DescriptorFacts, type FunctionDeclaration, type LayerDeclaration } from '../types.js';
import { lineOf, readJson, readYaml } from './yaml.js';

type Place = (object: unknown, key: string) => { file: string; line: number | undefined };

export function serverlessFacts(file: string, context: SpecifierContext): DescriptorFacts {
  const text = readText(file);
  if (text === undefined) return { functions: [], layers: [] };
  const dir = path.dirname(file);
  if (SOURCE_FILE.test(file)) {
    const parsed = parseFile(file, text, false);
    if (!parsed) return { functions: [], layers: [] };
    const evaluator = new ModuleEvaluator(file, parsed.ast, context);
    const config = evaluator.exported('default');
    return factsOf(config, dir, file, (object, key) => {
      const place = placeOf(object, key);
      return place ? { file: place.file, line: place.line } : { file, line: undefined };
    });
  }
  const config = /\.json$/i.test(file) ? readJson(text) : readYaml(withoutResources(text));
  return factsOf(config, dir, file, (object, key) => ({ file: includedFrom.get(object as object) ?? file, line: lineOf(object, key) }));
}

/**
 * The YAML text without its top-level `resources:` block (raw CloudFormation, often most of the file, and never
 * where functions, timeouts or layers are declared), its lines kept empty so that line numbers stay the same. A
 * block in flow style (`resources: {`) is kept.
 */
function withoutResources(text: string): string {
  const start = /^resources[ \t]*:[ \t]*(?:#.*)?$/m.exec(text);
  if (!start) return text;
  let end = text.indexOf('\n', start.index);
  while (end !== -1) {
    const next = end + 1;
    const c = text[next];
    // The block goes on while lines are indented, empty or comments; a line starting in column 0 ends it.
    if (c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r' && c !== '#') break;
    end = text.indexOf('\n', next);
  }
  const stop = end === -1 ? text.length : end;
  return text.slice(0, start.index) + text.slice(start.index, stop).replace(/[^\n]+/g, '') + text.slice(stop);
}

/** The file an included object was read from (`${file(...)}`). */
const includedFrom = new WeakMap<object, string>();

function factsOf(config: unknown, dir: string, file: string, place: Place): DescriptorFacts {
  if (!isObject(config)) return { functions: [], layers: [] };
  const provider = isObject(config.provider) ? config.provider : {};
  if (typeof provider.name === 'string' && provider.name !== 'aws') return { functions: [], layers: [] };
  const self = (value: unknown): unknown => resolveVariables(value, config, dir);
  const providerTimeout = seconds(self(provider.timeout));
  const providerRuntime = stringOf(self(provider.runtime));

  const functions: FunctionDeclaration[] = [];
  for (const [name, fn] of functionEntries(self(config.functions), dir, self)) {
    if (!isObject(fn)) continue;
    const handler = stringOf(self(fn.handler));
    if (!handler) continue;
    const runtime = stringOf(self(fn.runtime)) ?? providerRuntime;
    if (runtime && OTHER_RUNTIME.test(runtime)) continue;
    const resolved = resolveHandler(dir, handler);
    if (!resolved) continue;
    const own = seconds(self(fn.timeout));
    const timeout = own ?? providerTimeout;
    const where = place(fn, 'handler');
    functions.push({
      name,
      file: resolved.file,
      exportName: resolved.exportName,
      timeout: timeout ?? DEFAULT_TIMEOUTS.serverless,
      timeoutDeclared: timeout !== undefined,
      declaredAt: { file: where.file, line: where.line, kind: 'serverless' },
    });
  }

  const layers: LayerDeclaration[] = [];
  const layerMap = self(config.layers);
  if (isObject(layerMap)) {
    for (const [, layer] of Object.entries(layerMap)) {
      if (!isObject(layer)) continue;
      const layerPath = stringOf(self(layer.path));
      if (!layerPath) continue;
      const where = place(layer, 'path');
      layers.push({ contentDir: path.resolve(dir, layerPath), declaredAt: { file: where.file, line: where.line, kind: 'serverless' } });
    }
  }
  return { functions, layers };
}

/** `functions` as a map, an array of maps, or included files. */
function functionEntries(value: unknown, dir: string, self: (v: unknown) => unknown): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const add = (v: unknown, depth: number): void => {
    if (depth > 4) return;
    const resolved = self(v);
    if (Array.isArray(resolved)) for (const item of resolved) add(item, depth + 1);
    else if (isObject(resolved)) for (const [name, fn] of Object.entries(resolved)) out.push([name, self(fn)]);
  };
  add(value, 0);
  return out;
}

const FILE_VARIABLE = /^\$\{file\((.+?)\)(?::([\w.-]+))?\}$/;
/** `${file(...)}` anywhere in a text. */
const FILE_INCLUDE = /\$\{file\((.+?)\)/g;

/**
 * The file a `${file(...)}` include names (its path as written, quotes allowed), resolved as the framework resolves
 * it: against the service folder, also in a file that was itself included.
 */
function includedFile(written: string, serviceDir: string): string {
  return path.resolve(serviceDir, written.trim().replace(/^['"]|['"]$/g, ''));
}

/**
 * The files a descriptor's text includes with `${file(...)}`, where the reader reads them (`serviceDir`: the folder
 * of the service's own descriptor); undefined when the text cannot tell what they declare: an include whose path is
 * built from variables, or one of code (`${file(./functions.js):list}`), whose value is computed.
 */
export function includedFiles(text: string, serviceDir: string): string[] | undefined {
  if (!text.includes('${file(')) return [];
  const files: string[] = [];
  for (const [, written] of text.matchAll(FILE_INCLUDE)) {
    if (written!.includes('$')) return undefined;
    const file = includedFile(written!, serviceDir);
    if (SOURCE_FILE.test(file)) return undefined;
    files.push(file);
  }
  return files;
}
const SELF_VARIABLE = /^\$\{self:([\w.-]+)(?:\s*,\s*(?:'([^']*)'|"([^"]*)"|([\w.-]+)))?\}$/;

/** `${file(x.yml)}`, `${file(x.yml):key}` and `${self:a.b, default}` as whole values; other variables stay text. */
function resolveVariables(value: unknown, config: Record<string, unknown>, dir: string, depth = 0): unknown {
  if (typeof value !== 'string' || depth > 5) return value;
  const file = FILE_VARIABLE.exec(value);
  if (file) {
    const target = includedFile(file[1]!, dir);
    const text = readText(target);
    if (text === undefined) return UNKNOWN;
    let included = /\.json$/i.test(target) ? readJson(text) : readYaml(text);
    markIncluded(included, target, 0);
    for (const key of file[2]?.split('.') ?? []) included = isObject(included) ? included[key] : undefined;
    return included;
  }
  const self = SELF_VARIABLE.exec(value);
  if (self) {
    let current: unknown = config;
    for (const key of self[1]!.split('.')) current = isObject(current) ? current[key] : undefined;
    if (current === undefined) {
      const fallback = self[2] ?? self[3] ?? self[4];
      return fallback === undefined ? UNKNOWN : /^\d+(?:\.\d+)?$/.test(fallback) ? Number(fallback) : fallback;
    }
    return resolveVariables(current, config, dir, depth + 1);
  }
  return value;
}

function markIncluded(value: unknown, file: string, depth: number): void {
  // Each object once: YAML aliases share one object in many places.
  if (!value || typeof value !== 'object' || depth > 6 || includedFrom.get(value) === file) return;
  includedFrom.set(value, file);
  for (const child of Object.values(value)) markIncluded(child, file, depth + 1);
}

/** Runtimes that are not Node.js (a runtime written with variables or references is taken to be Node.js). */
const OTHER_RUNTIME = /^(?:python|java|dotnet|go|ruby|provided)/i;

function seconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
