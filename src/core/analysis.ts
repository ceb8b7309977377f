/**
 * The per-file analysis every rule shares: computed once per `Program` (WeakMap) and only for files that
 * mention a database module, so the cost for all other files is one regular-expression test of the text.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { findCreationSites, mentionsDatabaseModule, valueParent, type CreationSite } from './modules.js';
import { findHandlers, type LambdaHandler } from './lambda/handlers.js';
import { InvocationGraph } from './lambda/invocation.js';
import { findVariable, type Variable } from './ast/scope.js';
import { getPropertyName, memberCallee, unwrapExpression } from './ast/nodes.js';
import { readSettings, type LambdaRdsSettings } from './settings.js';
import { perFile, type AnyContext } from './per-file.js';
import { diskPath, projectOfFile, type FunctionDeclaration, type ProjectView } from './project/index.js';

/** A driver instance: a creation site and, when it is stored in a variable, that variable. */
export interface DriverInstance extends CreationSite {
  readonly variable: Variable | undefined;
  /** The declarator or assignment that stores it, if any. */
  readonly binding: TSESTree.VariableDeclarator | TSESTree.AssignmentExpression | undefined;
}

/** A method call on a driver instance, e.g. `client.connect()`. */
export interface InstanceCall {
  readonly node: TSESTree.CallExpression;
  readonly method: string;
  readonly instance: DriverInstance;
}

/** The project a linted file belongs to (see core/project). */
export interface FileProject {
  /** The file's absolute path on disk. */
  readonly file: string;
  readonly view: ProjectView;
}

export interface FileAnalysis {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly settings: LambdaRdsSettings;
  /** What the project says beyond the file; undefined when the setting is off or the file has no path on disk. */
  readonly project: FileProject | undefined;
  readonly instances: readonly DriverInstance[];
  /** Lambda handlers of the file (computed on first use). */
  readonly handlers: readonly LambdaHandler[];
  readonly isLambda: boolean;
  /** Per-invocation reachability (computed on first use). */
  readonly invocation: InvocationGraph;
  /** Calls of the given methods on tracked instances. */
  instanceCalls(methods: (instance: DriverInstance) => readonly string[] | undefined): InstanceCall[];
}

/**
 * The shared analysis of the file being linted, or `null` when the file imports no database module (the cheap
 * early exit every rule takes).
 */
export const getFileAnalysis = perFile((context): FileAnalysis | null =>
  mentionsDatabase(context) ? analyse(context) : null,
);

let lastSettings: { raw: unknown; read: LambdaRdsSettings } = { raw: undefined, read: readSettings(undefined) };

/**
 * The settings of the file being linted, read once per settings object: hosts hand every file of one configuration
 * the same one.
 */
export function getSettings(context: AnyContext): LambdaRdsSettings {
  if (context.settings !== lastSettings.raw) lastSettings = { raw: context.settings, read: readSettings(context.settings) };
  return lastSettings.read;
}

/**
 * The project knowledge of the file being linted, once per file: undefined when `settings['lambda-rds'].project` is
 * false or the file has no path on disk (`<input>`, standard input without a file name).
 */
export const getProject = perFile((context): FileProject | undefined => {
  if (!getSettings(context).project) return undefined;
  const file = diskPath(context);
  const view = file ? projectOfFile(file) : undefined;
  return file && view ? { file, view } : undefined;
});

const NO_DECLARATIONS = (): readonly FunctionDeclaration[] => [];

/** The Lambda handlers of the file being linted (names, wrappers, types, and the descriptors' declarations). */
export const getHandlers = perFile((context): LambdaHandler[] => {
  const settings = getSettings(context);
  const declared = new Map<string, readonly FunctionDeclaration[]>();
  let ofFile: ((exportName: string) => readonly FunctionDeclaration[]) | undefined;
  // The descriptors are read only when an export needs them (its name does not make it a handler) or a
  // handler's declarations are asked for, and only those that can name that export of this file.
  const declaredFor = (name: string): readonly FunctionDeclaration[] => {
    let list = declared.get(name);
    if (!list) {
      if (!ofFile) {
        const project = getProject(context);
        ofFile = (project && project.view.fileDeclarations(project.file)) ?? NO_DECLARATIONS;
      }
      list = ofFile(name);
      declared.set(name, list);
    }
    return list;
  };
  return findHandlers(context.sourceCode, { handlerNames: settings.handlerNames, declared: declaredFor });
});

/**
 * The shortest timeout of the functions that deploy the file's handlers, as their deployment descriptors declare it
 * (or the tool's default for a function they declare without one); undefined when no descriptor deploys them.
 */
export const getFunctionTimeout = perFile((context): FunctionDeclaration | undefined => {
  let shortest: FunctionDeclaration | undefined;
  for (const handler of getHandlers(context)) {
    for (const declaration of handler.declarations) {
      if (!shortest || declaration.timeout < shortest.timeout) shortest = declaration;
    }
  }
  return shortest;
});

/**
 * The text test behind `getFileAnalysis` (does the file name a catalogued database module?), once per file: a rule
 * can ask it without paying for the analysis itself.
 */
export const mentionsDatabase = perFile((context) => mentionsDatabaseModule(context.sourceCode.text));

/** The driver instances a file creates, with the variables that hold them. */
export function findInstances(sourceCode: Readonly<TSESLint.SourceCode>): DriverInstance[] {
  const scope = sourceCode.scopeManager!.globalScope!;
  return findCreationSites(sourceCode).map((site) => bindInstance(site, scope));
}

/** Calls of the given methods on tracked instances (`client.connect()`). */
export function instanceCallsOf(
  instances: readonly DriverInstance[],
  methods: (instance: DriverInstance) => readonly string[] | undefined,
): InstanceCall[] {
  const out: InstanceCall[] = [];
  for (const instance of instances) {
    const names = methods(instance);
    if (!names?.length || !instance.variable) continue;
    for (const ref of instance.variable.references) {
      if (!ref.isRead()) continue;
      let id: TSESTree.Node = ref.identifier as TSESTree.Identifier;
      while (id.parent && unwrapExpression(id.parent) !== id.parent) id = id.parent;
      const member = id.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== id) continue;
      const call = member.parent?.type === AST_NODE_TYPES.ChainExpression ? member.parent.parent : member.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || memberCallee(call) !== member) continue;
      const method = getPropertyName(member);
      if (method !== undefined && names.includes(method)) out.push({ node: call, method, instance });
    }
  }
  return out;
}

function analyse(context: AnyContext): FileAnalysis {
  const sourceCode = context.sourceCode;
  const settings = getSettings(context);
  const scope = sourceCode.scopeManager!.globalScope!;
  const instances = findInstances(sourceCode);
  const instanceVariables = new Set(instances.map((i) => i.variable).filter((v): v is Variable => !!v));

  let graph: InvocationGraph | undefined;
  const analysis: FileAnalysis = {
    sourceCode,
    settings,
    get project() {
      return getProject(context);
    },
    instances,
    get handlers() {
      return getHandlers(context);
    },
    get isLambda() {
      return this.handlers.length > 0;
    },
    get invocation() {
      return (graph ??= new InvocationGraph(scope, sourceCode.visitorKeys, this.handlers, instanceVariables));
    },
    instanceCalls(methods) {
      return instanceCallsOf(instances, methods);
    },
  };
  return analysis;
}

function bindInstance(site: CreationSite, scope: TSESLint.Scope.Scope): DriverInstance {
  const top = valueParent(site.node);
  const parent = top.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === top && parent.id.type === AST_NODE_TYPES.Identifier) {
    return { ...site, variable: findVariable(scope, parent.id), binding: parent };
  }
  if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === top) {
    const left = unwrapExpression(parent.left);
    if (left.type === AST_NODE_TYPES.Identifier) return { ...site, variable: findVariable(scope, left), binding: parent };
    return { ...site, variable: undefined, binding: parent };
  }
  return { ...site, variable: undefined, binding: undefined };
}

/**
 * Whether the file being linted has a Lambda handler, also for files that mention no database module (where
 * there is no shared analysis): handler detection alone, once per file.
 */
export const isLambdaFile = perFile((context): boolean => getHandlers(context).length > 0);
