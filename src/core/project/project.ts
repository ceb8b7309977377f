/**
 * The project a file belongs to and what its deployment descriptors declare.
 *
 * The project root is the nearest folder above the file with a `.git`; without one, the highest folder (below the
 * home directory) that has a `package.json` or a deployment descriptor. Descriptors are read
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
import { escapeRegExp } from '../regexp.js';
import { BoundedCache } from './cache.js';
import { isDirectory, isFile, listDirectory, readText, recordReads, unchanged, type FileStat } from './fs.js';
import { isFresh, projectClock } from './refresh.js';
import { isIgnoredDirectory, SOURCE_FILE, type SpecifierContext } from './paths.js';
import { includedFiles, serverlessFacts } from './descriptors/serverless.js';
import { mayBeTemplate, templateFacts } from './descriptors/cloudformation.js';
import { cdkStackFacts, stackFiles } from './descriptors/cdk.js';
import { NO_FACTS, type DescriptorFacts, type DescriptorKind, type FunctionDeclaration } from './types.js';

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
  /** `cdk`: one stack file of the CDK app whose `cdk.json` is `app`. */
  readonly kind: 'serverless' | 'template' | 'cdk';
  /** For CDK stacks: the app folder (where `cdk.json` is), which relative asset paths start from. */
  readonly appDir?: string;
}

export interface ProjectView {
  /** The project root. */
  readonly root: string;
  /** The deployment descriptors that apply to this folder (for a CDK app: its stack files). */
  readonly descriptors: readonly DescriptorFile[];
  /** Every function they declare (reads every descriptor). */
  readonly functions: readonly FunctionDeclaration[];
  /** Content folders of the layers they declare (reads every descriptor). */
  readonly layers: readonly string[];
  /** What import specifiers resolve against (root, and the layers when a layer path needs them). */
  readonly specifiers: SpecifierContext;
  /**
   * The functions whose handler is in `file` (absolute path), or only those whose handler is its export
   * `exportName`. Only descriptors whose text can name the file (and the export) are read: it mentions the file's
   * name, or the file is a CDK default entry of the stack; with an export name, a YAML or JSON descriptor also
   * mentions `<module>.<export>` and a CDK stack the export. So a file that no descriptor names costs no parsing.
   */
  declarationsFor(file: string, exportName?: string): readonly FunctionDeclaration[];
  /**
   * `declarationsFor` for one file and any of its exports: the descriptors that can name the file are found once,
   * and each export then tests only those. Undefined when no descriptor can name the file.
   */
  fileDeclarations(file: string): ((exportName?: string) => readonly FunctionDeclaration[]) | undefined;
}

const SERVERLESS = /^serverless(?:\.[\w-]+)*\.(?:ya?ml|json|[cm]?[jt]s)$/i;
const YAML = /\.ya?ml$/i;
const JSON_TEMPLATE = /(?:^|[.-])template\.json$|\.template$/i;
const NOT_TEMPLATE = /^(?:docker-compose|compose|buildspec|pnpm-lock|\.gitlab-ci|\.travis|mkdocs|openapi|swagger|samconfig|amplify|codecov|netlify)\b/i;

type FileKind = 'serverless' | 'template' | 'cdk-app';

function descriptorKind(name: string): FileKind | undefined {
  // Most names of a folder are source files: their first and last letters rule them out before a pattern is tried.
  // Serverless Framework files start with `s`; templates end in `l` (`.yml`, `.yaml`), `n` (`.json`) or `e`
  // (`.template`), any case.
  if ((name.charCodeAt(0) | 0x20) === 0x73 && SERVERLESS.test(name)) return 'serverless';
  if (name === 'cdk.json') return 'cdk-app';
  const last = name.charCodeAt(name.length - 1) | 0x20;
  if (last !== 0x6c && last !== 0x6e && last !== 0x65) return undefined;
  if ((YAML.test(name) || JSON_TEMPLATE.test(name)) && !NOT_TEMPLATE.test(name)) return 'template';
  return undefined;
}

/** Whether a file is a Serverless Framework file in TypeScript or JavaScript (parsed as a module for its facts). */
export function isServerlessSource(file: string): boolean {
  const name = path.basename(file);
  return descriptorKind(name) === 'serverless' && SOURCE_FILE.test(name);
}

/** What a folder's listing says about the project: a `.git`, a `package.json` or descriptor file (memoised per listing). */
const markers = new WeakMap<object, { git: boolean; project: boolean }>();

function markersOf(dir: string): { git: boolean; project: boolean } {
  const entries = listDirectory(dir);
  let known = markers.get(entries);
  if (!known) {
    known = {
      git: entries.some((e) => e.name === '.git'),
      project: entries.some((e) => !e.isDirectory && (e.name === 'package.json' || descriptorKind(e.name) !== undefined)),
    };
    markers.set(entries, known);
  }
  return known;
}

/** Descriptor files of a folder listing, without CDK stacks (memoised per listing: the listing changes with the folder). */
const listingDescriptors = new WeakMap<object, { files: DescriptorFile[]; cdkApps: string[] }>();

/** Descriptor files in one folder (templates only when their text declares Lambda functions or layers). */
function descriptorsIn(dir: string, specifiers: SpecifierContext): DescriptorFile[] {
  const entries = listDirectory(dir);
  let known = listingDescriptors.get(entries);
  if (!known) {
    known = { files: [], cdkApps: [] };
    for (const entry of entries) {
      if (entry.isDirectory) continue;
      const kind = descriptorKind(entry.name);
      if (!kind) continue;
      const file = path.join(dir, entry.name);
      if (kind === 'cdk-app') known.cdkApps.push(file);
      else known.files.push({ file, kind });
    }
    listingDescriptors.set(entries, known);
  }
  // Whether a YAML or JSON file is a template is read from its text each time (cached per file version).
  const out: DescriptorFile[] = known.files.filter((d) => {
    if (d.kind !== 'template') return true;
    const text = readText(d.file);
    return text !== undefined && mayBeTemplate(text);
  });
  for (const app of known.cdkApps) out.push(...appStacks(app, dir, specifiers));
  return out;
}

/** The stack files of the CDK app whose `cdk.json` is `app` in `dir`, as descriptors. */
function appStacks(app: string, dir: string, specifiers: SpecifierContext): DescriptorFile[] {
  return cdkStacks(app, specifiers).map((stack) => ({ file: stack, kind: 'cdk', appDir: dir }));
}

const stackLists = new BoundedCache<string, { reads: ReadonlyMap<string, FileStat | null>; stacks: readonly string[] }>('cdk-app', 200);

/** The stack files of a CDK app (text only), cached until a file they were found through changes. */
function cdkStacks(cdkJson: string, specifiers: SpecifierContext): readonly string[] {
  const cached = stackLists.get(cdkJson);
  if (cached && unchanged(cached.reads)) return cached.stacks;
  const { value, reads } = recordReads(() => {
    try {
      return stackFiles(cdkJson, specifiers);
    } catch {
      return [];
    }
  });
  stackLists.set(cdkJson, { reads, stacks: value });
  return value;
}

/** Amplify (Gen 1) function templates under `<dir>/amplify/backend/function/<name>/`. */
function amplifyTemplates(dir: string): DescriptorFile[] {
  if (!listDirectory(dir).some((e) => e.isDirectory && e.name === 'amplify')) return [];
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

/** What a folder and the folders above it hold: the nearest `.git`, else the highest folder with a project marker. */
interface Climb {
  readonly git: string | undefined;
  readonly top: string | undefined;
}

const climbs = new BoundedCache<string, { climb: Climb; checkedAt: number }>('project-root', 5_000);

/**
 * The climb from `dir` (see the module comment), built from its parent's: each folder is looked at once per refresh
 * interval however many folders below it ask. The home directory is looked at only when it is where a climb starts.
 */
function climbFrom(dir: string, time: number): Climb {
  const cached = climbs.get(dir);
  if (cached && isFresh(cached.checkedAt, time)) return cached.climb;
  const found = markersOf(dir);
  let climb: Climb;
  if (found.git) climb = { git: dir, top: undefined };
  else {
    const parent = path.dirname(dir);
    const above =
      parent === dir || (HOME !== undefined && parent === HOME) ? { git: undefined, top: undefined } : climbFrom(parent, time);
    climb = above.git ? above : { git: undefined, top: above.top ?? (found.project ? dir : undefined) };
  }
  climbs.set(dir, { climb, checkedAt: time });
  return climb;
}

/** The project root of a folder (see the module comment). */
export function projectRoot(dir: string): string {
  const climb = climbFrom(dir, projectClock());
  return climb.git ?? climb.top ?? dir;
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
          return cdkStackFacts(descriptor.file, descriptor.appDir ?? path.dirname(descriptor.file), specifiers);
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

const MAX_INCLUDE_DEPTH = 3;

/**
 * The texts a descriptor declares functions with: its own, and for a Serverless Framework YAML or JSON file those of
 * the files it includes with `${file(...)}` (YAML, JSON, or a plain value such as `${file(.nvmrc)}`), found where
 * the descriptor's reader finds them (`includedFiles`). Undefined when
 * that cannot be told from the text: an include whose path is built from variables or that is code
 * (`${file(./functions.js):list}`), or includes nested too deep.
 */
function descriptorTexts(descriptor: DescriptorFile): string[] | undefined {
  const texts: string[] = [];
  const serviceDir = path.dirname(descriptor.file);
  const visit = (file: string, depth: number): boolean => {
    const text = readText(file);
    if (text === undefined) return true;
    texts.push(text);
    if (descriptor.kind !== 'serverless') return true;
    const included = includedFiles(text, serviceDir);
    if (included === undefined || (included.length > 0 && depth >= MAX_INCLUDE_DEPTH)) return false;
    return included.every((next) => visit(next, depth + 1));
  };
  return visit(descriptor.file, 0) ? texts : undefined;
}

type DescriptorTest = (descriptor: DescriptorFile, texts: readonly string[] | undefined) => boolean;

/**
 * Whether a descriptor's text can declare `file`: it names the module (`orders.read`, `index.handler`, `app.ts`,
 * `users.ts`; for `dir/index.*` also `dir`), is code that builds handler paths elsewhere (`serverless.ts`), or the
 * file is a default `NodejsFunction` entry of the stack (`stack.<id>.ts`). `texts`: the descriptor's
 * (`descriptorTexts`), undefined when they cannot tell. The test is built once for the file and asked of each
 * descriptor.
 */
function mayDeclareFile(file: string): DescriptorTest {
  const base = path.basename(file);
  const stem = base.slice(0, base.indexOf('.') > 0 ? base.indexOf('.') : undefined);
  const dir = stem === 'index' ? path.basename(path.dirname(file)) : undefined;
  // The stem before a dot or a closing quote, or for an index file its folder's name anywhere.
  let names: RegExp | undefined;
  return (descriptor, texts) => {
    if (texts === undefined) return true;
    if (descriptor.kind === 'cdk' && base.startsWith(`${path.basename(descriptor.file).replace(SOURCE_FILE, '')}.`)) return true;
    names ??= new RegExp(`${escapeRegExp(stem)}[.'"\`]${dir === undefined ? '' : `|${escapeRegExp(dir)}`}`);
    return texts.some((text) => names!.test(text));
  };
}

/**
 * Whether a descriptor that can declare `file` can declare its export `exportName`: a Lambda handler string is
 * `<module path>.<export>`, so a YAML or JSON descriptor that declares it holds `<module>.<export>`, and a CDK stack
 * holds the export as a string or the end of one (a `NodejsFunction`'s `handler: 'main'`), unless it is `handler`,
 * the default. Built once for the export and asked of each descriptor.
 */
function mayDeclareExport(file: string, exportName: string): DescriptorTest {
  const dotted = `${path.basename(file).replace(SOURCE_FILE, '')}.${exportName}`;
  // The export as a string or the end of one (`'main'`, `"index.main"`, `` `${dir}.main` ``).
  let quoted: RegExp | undefined;
  return (descriptor, texts) => {
    if (texts === undefined) return true;
    if (descriptor.kind !== 'cdk') return texts.some((text) => text.includes(dotted));
    if (exportName === 'handler') return true;
    quoted ??= new RegExp(`[.'"\`]${escapeRegExp(exportName)}['"\`]`);
    return texts.some((text) => quoted!.test(text));
  };
}

/**
 * The texts that say whether a descriptor can declare a file: undefined when they cannot (a `serverless.ts`, code
 * that builds handler paths anywhere; includes that cannot be followed). A Serverless Framework file is read with
 * the files it includes.
 */
function declaringTexts(descriptor: DescriptorFile): string[] | undefined {
  return descriptor.kind === 'serverless' && SOURCE_FILE.test(descriptor.file) ? undefined : descriptorTexts(descriptor);
}

interface ViewEntry {
  readonly view: ProjectView;
  readonly descriptors: readonly DescriptorFile[];
  checkedAt: number;
}

const views = new BoundedCache<string, ViewEntry>('project-view', 2_000);

/** The descriptors that apply to files of `dir`, and what they declare (read on demand). */
export function projectView(dir: string): ProjectView {
  const cached = views.get(dir);
  const time = projectClock();
  if (cached && isFresh(cached.checkedAt, time)) return cached.view;

  const root = projectRoot(dir);
  let layersRead: string[] | undefined;
  const specifiers: SpecifierContext = {
    root,
    layers: () => (layersRead ??= [...new Set(descriptors.flatMap((d) => factsOf(d, base).layers.map((l) => l.contentDir)))]),
  };
  // Descriptors are read with a context whose layers are those of the descriptors (cut at one level).
  const base: SpecifierContext = { root, layers: () => [] };
  const descriptors = descriptorChain(dir, root, base, time);
  if (cached && cached.view.root === root && sameDescriptors(cached.descriptors, descriptors)) {
    cached.checkedAt = time;
    return cached.view;
  }
  const view = buildView(root, descriptors, base, specifiers);
  views.set(dir, { view, descriptors, checkedAt: time });
  return view;
}

const chains = new BoundedCache<string, { list: readonly DescriptorFile[]; checkedAt: number }>('descriptor-chain', 5_000);

/**
 * The descriptors of `dir` and of every folder above it up to `root`, then the CDK apps in the root's direct
 * subfolders (they often sit beside the code they deploy: `infra/`, `cdk/`), without repeats. Built from the
 * parent folder's list, so each folder of a project is listed once per refresh interval however many files it has.
 */
function descriptorChain(dir: string, root: string, base: SpecifierContext, time: number): readonly DescriptorFile[] {
  const key = `${dir}\0${root}`;
  const cached = chains.get(key);
  if (cached && isFresh(cached.checkedAt, time)) return cached.list;
  const parent = path.dirname(dir);
  const rest = dir === root || parent === dir ? rootSubfolderApps(root, base) : descriptorChain(parent, root, base, time);
  const list: DescriptorFile[] = [];
  const seen = new Set<string>();
  for (const d of [...descriptorsIn(dir, base), ...amplifyTemplates(dir), ...rest]) {
    if (!seen.has(d.file)) (seen.add(d.file), list.push(d));
  }
  chains.set(key, { list, checkedAt: time });
  return list;
}

function rootSubfolderApps(root: string, base: SpecifierContext): DescriptorFile[] {
  const out: DescriptorFile[] = [];
  for (const child of listDirectory(root)) {
    if (!child.isDirectory || isIgnoredDirectory(child.name) || child.name.startsWith('.git')) continue;
    // One stat per subfolder: listing each (`src/` with all its files) only to look for `cdk.json` costs more.
    const dir = path.join(root, child.name);
    const app = path.join(dir, 'cdk.json');
    if (isFile(app)) out.push(...appStacks(app, dir, base));
  }
  return out;
}

function sameDescriptors(a: readonly DescriptorFile[], b: readonly DescriptorFile[]): boolean {
  return a.length === b.length && a.every((d, i) => d.file === b[i]!.file && d.kind === b[i]!.kind);
}

function buildView(root: string, descriptors: readonly DescriptorFile[], base: SpecifierContext, specifiers: SpecifierContext): ProjectView {
  const dedupe = (functions: readonly FunctionDeclaration[]): FunctionDeclaration[] => {
    const seen = new Set<string>();
    return functions.filter((fn) => {
      const key = `${fn.file}\0${fn.exportName}\0${fn.declaredAt.file}\0${fn.name}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  };
  const fileDeclarations = (file: string): ((exportName?: string) => readonly FunctionDeclaration[]) | undefined => {
    if (descriptors.length === 0) return undefined;
    // The descriptors that can name the file, found once for all its exports.
    const namesFile = mayDeclareFile(file);
    const candidates = descriptors.flatMap((descriptor) => {
      const texts = declaringTexts(descriptor);
      return namesFile(descriptor, texts) ? [{ descriptor, texts }] : [];
    });
    if (candidates.length === 0) return undefined;
    return (exportName) => {
      const namesExport = exportName === undefined ? undefined : mayDeclareExport(file, exportName);
      const relevant = candidates.filter(({ descriptor, texts }) => !namesExport || namesExport(descriptor, texts));
      if (relevant.length === 0) return [];
      return dedupe(
        relevant.flatMap(({ descriptor }) =>
          factsOf(descriptor, base).functions.filter((fn) => fn.file === file && (exportName === undefined || fn.exportName === exportName)),
        ),
      );
    };
  };
  return {
    root,
    descriptors,
    get functions() {
      return dedupe(descriptors.flatMap((d) => factsOf(d, base).functions));
    },
    get layers() {
      return specifiers.layers();
    },
    specifiers,
    fileDeclarations,
    declarationsFor(file, exportName) {
      return fileDeclarations(file)?.(exportName) ?? [];
    },
  };
}

export type { DescriptorKind };
