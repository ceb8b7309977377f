/**
 * The project a file belongs to and what its deployment descriptors declare.
 *
 * The project root is the nearest folder above the file with a `.git`; without one, the highest folder (below the
 * home directory, at most 12 levels up) that has a `package.json` or a deployment descriptor. Descriptors are read
 * in every folder from the file's own up to the root, and in the root's direct subfolders (CDK apps and templates
 * often sit in `infra/`, `cdk/`, `stacks/`): `serverless.yml|yaml|json|ts|js` (and stage variants such as
 * `serverless.prod.yml`), SAM / CloudFormation templates (YAML or JSON files that declare Lambda functions or
 * layers), `cdk.json` apps, and Amplify's `amplify/backend/function/<name>/` templates.
 *
 * Everything is cached and bounded: the facts of each descriptor until one of the files it was read from changes,
 * the view of a folder for the refresh interval (then its descriptors are checked again). A folder with no
 * descriptor above it costs a few cached directory listings.
 */
import { homedir } from 'node:os';
import path from 'node:path';
import { BoundedCache } from './cache.js';
import { isDirectory, listDirectory, readText, recordReads, unchanged, type FileStat } from './fs.js';
import { getRefreshInterval } from './refresh.js';
import { isIgnoredDirectory, type SpecifierContext } from './paths.js';
import { serverlessFacts } from './descriptors/serverless.js';
import { mayBeTemplate, templateFacts } from './descriptors/cloudformation.js';
import { cdkFacts } from './descriptors/cdk.js';
import { NO_FACTS, type DescriptorFacts, type DescriptorKind, type FunctionDeclaration } from './types.js';

const MAX_LEVELS = 12;
const HOME = safeHome();

function safeHome(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}

export interface DescriptorFile {
  readonly file: string;
  readonly kind: 'serverless' | 'template' | 'cdk';
}

export interface ProjectView {
  /** The project root. */
  readonly root: string;
  /** The deployment descriptors read for this folder. */
  readonly descriptors: readonly DescriptorFile[];
  /** Every function they declare. */
  readonly functions: readonly FunctionDeclaration[];
  /** Content folders of the layers they declare. */
  readonly layers: readonly string[];
  /** What import specifiers resolve against (root, layers). */
  readonly specifiers: SpecifierContext;
  /** The functions whose handler is in `file` (absolute path). */
  declarationsFor(file: string): readonly FunctionDeclaration[];
}

const SERVERLESS = /^serverless(?:\.[\w-]+)*\.(?:ya?ml|json|[cm]?[jt]s)$/i;
const YAML = /\.ya?ml$/i;
const JSON_TEMPLATE = /(?:^|[.-])template\.json$|\.template$/i;
const NOT_TEMPLATE = /^(?:docker-compose|compose|buildspec|pnpm-lock|\.gitlab-ci|\.travis|mkdocs|openapi|swagger|samconfig|amplify|codecov|netlify)\b/i;

function descriptorKind(name: string): DescriptorFile['kind'] | undefined {
  if (SERVERLESS.test(name)) return 'serverless';
  if (name === 'cdk.json') return 'cdk';
  if ((YAML.test(name) || JSON_TEMPLATE.test(name)) && !NOT_TEMPLATE.test(name)) return 'template';
  return undefined;
}

/** Descriptors in one folder (templates only when their text declares Lambda functions or layers). */
function descriptorsIn(dir: string): DescriptorFile[] {
  const out: DescriptorFile[] = [];
  for (const entry of listDirectory(dir)) {
    if (entry.isDirectory) continue;
    const kind = descriptorKind(entry.name);
    if (!kind) continue;
    const file = path.join(dir, entry.name);
    if (kind === 'template') {
      const text = readText(file);
      if (text === undefined || !mayBeTemplate(text)) continue;
    }
    out.push({ file, kind });
  }
  return out;
}

/** Amplify (Gen 1) function templates under `<dir>/amplify/backend/function/<name>/`. */
function amplifyTemplates(dir: string): DescriptorFile[] {
  const functionsDir = path.join(dir, 'amplify', 'backend', 'function');
  if (!isDirectory(functionsDir)) return [];
  const out: DescriptorFile[] = [];
  for (const fn of listDirectory(functionsDir)) {
    if (!fn.isDirectory) continue;
    const fnDir = path.join(functionsDir, fn.name);
    for (const entry of listDirectory(fnDir)) {
      if (!entry.isDirectory && /-cloudformation-template\.json$/.test(entry.name)) out.push({ file: path.join(fnDir, entry.name), kind: 'template' });
    }
  }
  return out;
}

const roots = new BoundedCache<string, { root: string; checkedAt: number }>('project-root', 5_000);

/** The project root of a folder (see the module comment). */
export function projectRoot(dir: string): string {
  const cached = roots.get(dir);
  const time = performance.now();
  if (cached && time - cached.checkedAt <= getRefreshInterval()) return cached.root;
  let top: string | undefined;
  let root: string | undefined;
  let current = dir;
  for (let level = 0; level < MAX_LEVELS; level++) {
    if (HOME && current === HOME && current !== dir) break;
    const entries = listDirectory(current);
    if (entries.some((e) => e.name === '.git')) {
      root = current;
      break;
    }
    if (entries.some((e) => !e.isDirectory && (e.name === 'package.json' || descriptorKind(e.name) !== undefined))) top = current;
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  const result = root ?? top ?? dir;
  roots.set(dir, { root: result, checkedAt: time });
  return result;
}

interface FactsEntry {
  readonly facts: DescriptorFacts;
  readonly reads: ReadonlyMap<string, FileStat | null>;
}

const factsCache = new BoundedCache<string, FactsEntry>('descriptor', 1_000);

/** What one descriptor declares, recomputed when any file it was read from changed. */
function factsOf(descriptor: DescriptorFile, specifiers: SpecifierContext): DescriptorFacts {
  const key = `${descriptor.file}\0${specifiers.root}`;
  const cached = factsCache.get(key);
  if (cached && unchanged(cached.reads)) return cached.facts;
  const { value, reads } = recordReads((): DescriptorFacts => {
    try {
      switch (descriptor.kind) {
        case 'serverless':
          return serverlessFacts(descriptor.file, specifiers);
        case 'template':
          return templateFacts(descriptor.file);
        case 'cdk':
          return cdkFacts(descriptor.file, specifiers);
        default:
          return NO_FACTS;
      }
    } catch {
      // A descriptor the readers cannot follow declares nothing; linting goes on.
      return NO_FACTS;
    }
  });
  factsCache.set(key, { facts: value, reads });
  return value;
}

interface ViewEntry {
  readonly view: ProjectView;
  readonly facts: readonly DescriptorFacts[];
  checkedAt: number;
}

const views = new BoundedCache<string, ViewEntry>('project-view', 2_000);

/** The descriptors that apply to files of `dir`, and what they declare. */
export function projectView(dir: string): ProjectView {
  const cached = views.get(dir);
  const time = performance.now();
  if (cached && time - cached.checkedAt <= getRefreshInterval()) return cached.view;

  const root = projectRoot(dir);
  const descriptors: DescriptorFile[] = [];
  const seen = new Set<string>();
  const add = (list: DescriptorFile[]): void => {
    for (const d of list) if (!seen.has(d.file)) (seen.add(d.file), descriptors.push(d));
  };
  for (let current = dir; ; current = path.dirname(current)) {
    add(descriptorsIn(current));
    add(amplifyTemplates(current));
    if (current === root || path.dirname(current) === current) break;
  }
  for (const child of listDirectory(root)) {
    if (!child.isDirectory || isIgnoredDirectory(child.name) || child.name === 'amplify') continue;
    const childDir = path.join(root, child.name);
    add(descriptorsIn(childDir));
  }

  // Layers first (specifiers need them), from every descriptor, then the functions.
  const base: SpecifierContext = { root, layers: [] };
  const facts = descriptors.map((d) => factsOf(d, base));
  if (cached && sameFacts(cached.facts, facts) && cached.view.root === root) {
    cached.checkedAt = time;
    return cached.view;
  }
  const view = buildView(root, descriptors, facts);
  views.set(dir, { view, facts, checkedAt: time });
  return view;
}

function sameFacts(a: readonly DescriptorFacts[], b: readonly DescriptorFacts[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

function buildView(root: string, descriptors: DescriptorFile[], facts: readonly DescriptorFacts[]): ProjectView {
  const functions = facts.flatMap((f) => f.functions);
  const layers = [...new Set(facts.flatMap((f) => f.layers.map((l) => l.contentDir)))];
  const byFile = new Map<string, FunctionDeclaration[]>();
  const seen = new Set<string>();
  for (const fn of functions) {
    const key = `${fn.file}\0${fn.exportName}\0${fn.declaredAt.file}\0${fn.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let list = byFile.get(fn.file);
    if (!list) byFile.set(fn.file, (list = []));
    list.push(fn);
  }
  return {
    root,
    descriptors,
    functions: [...byFile.values()].flat(),
    layers,
    specifiers: { root, layers },
    declarationsFor: (file) => byFile.get(file) ?? [],
  };
}

export type { DescriptorKind };
