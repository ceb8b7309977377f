/**
 * The stack analysis: what a CDK or Pulumi program says about the Lambda functions it deploys and the databases
 * they reach. Computed once per file (`getStackAnalysis`), and only for files that import a catalogued CDK or
 * Pulumi module; every other file costs one text test.
 *
 * Constructs are found by import with the module tracker (any import style). Values are followed within the file:
 * `const`s (and never-reassigned `let`s), destructuring, spreads of props objects, class fields assigned once
 * (`this.db = new rds.DatabaseInstance(...)`), and type annotations that name a catalogued class (a parameter
 * `cluster: rds.IDatabaseCluster`, `{ rds }: { rds: aws.rds.Cluster }`, a field `db: DatabaseInstance`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { getPropertyName, isFunctionNode, unwrapExpression, type FunctionNode } from '../ast/nodes.js';
import { walk } from '../ast/walk.js';
import { IamTokens } from '../config/iam.js';
import type { ConfigValue } from '../config/types.js';
import { ValueResolver } from '../config/values.js';
import type { Engine } from '../drivers/catalogue.js';
import { perFile } from '../per-file.js';
import { trackModuleReferences } from '../track.js';
import {
  CDK_DATABASE_PROXY,
  ENDPOINT_LEAVES,
  IAC_TRACE_MAP,
  mentionsIacModule,
  type CallSpec,
  type ConstructSpec,
  type TrackedInfo,
} from './catalogue.js';
import type {
  EndpointRef,
  EnvironmentVariable,
  FunctionConnection,
  StackDatabase,
  StackFunction,
  StackProxy,
  StackResource,
} from './model.js';
import { LazyProps, type StackProps } from './props.js';
import { enclosingClassBody, TypeResolver } from './types.js';

type Node = TSESTree.Node;

const MAX_DEPTH = 10;

/** A tracked static call (`Credentials.fromPassword(...)`, `SecretValue.unsafePlainText(...)`...). */
export interface StackCall {
  readonly node: TSESTree.CallExpression;
  readonly spec: CallSpec;
}

export interface StackAnalysis {
  readonly sourceCode: Readonly<TSESLint.SourceCode>;
  readonly resolver: ValueResolver;
  readonly functions: readonly StackFunction[];
  readonly databases: readonly StackDatabase[];
  readonly proxies: readonly StackProxy[];
  /** Every construct created or looked up in the file, in source order. */
  readonly resources: readonly StackResource[];
  /** Tracked static calls, in source order. */
  readonly calls: readonly StackCall[];
  /** The construct an expression holds, if the file says. */
  resourceOf(node: Node): StackResource | undefined;
  /** The database and proxy endpoints an expression's value is made of. */
  endpointsIn(node: Node): EndpointRef[];
  databaseOf(resource: StackResource): StackDatabase | undefined;
  proxyOf(resource: StackResource): StackProxy | undefined;
  /** For every environment variable of a function that holds an endpoint: what the stack says about it. */
  connections(fn?: StackFunction): FunctionConnection[];
}

/** Whether the file imports a catalogued CDK or Pulumi module (a text test, once per file). */
export const mentionsStackModule = perFile((context) => mentionsIacModule(context.sourceCode.text));

/** The stack analysis of the file being linted, or `null` when it imports no catalogued CDK or Pulumi module. */
export const getStackAnalysis = perFile((context): StackAnalysis | null =>
  mentionsStackModule(context) ? new Stack(context.sourceCode) : null,
);

const RESOURCE_ROLES = new Set(['instance', 'cluster', 'proxy', 'proxy-endpoint', 'function']);

class Stack implements StackAnalysis {
  readonly resolver: ValueResolver;
  readonly resources: StackResource[] = [];
  readonly calls: StackCall[] = [];
  private readonly byNode = new Map<Node, StackResource>();
  private readonly callByNode = new Map<Node, StackCall>();
  private readonly interpolateTags = new Set<Node>();
  private readonly typed = new Map<Node, StackResource>();
  private readonly resourceCache = new Map<Node, StackResource | null>();
  private readonly active = new Set<Node>();
  private readonly fields = new Map<TSESTree.ClassBody, Map<string, Node[]>>();
  private readonly types: TypeResolver;
  private readonly addEnvironmentCalls: TSESTree.CallExpression[] = [];
  private readonly addProxyCalls: Array<{ call: TSESTree.CallExpression; receiver: Node }> = [];
  private functionList: StackFunction[] | undefined;
  private databaseMap: Map<StackResource, StackDatabase> | undefined;
  private proxyMap: Map<StackResource, StackProxy> | undefined;

  constructor(readonly sourceCode: Readonly<TSESLint.SourceCode>) {
    // Stack code sends no IAM tokens: a resolver of its own skips looking for signers.
    this.resolver = new ValueResolver(sourceCode, IamTokens.none);
    this.types = new TypeResolver(sourceCode.scopeManager!.globalScope!);
    for (const { node, info } of trackModuleReferences<TrackedInfo>(sourceCode, IAC_TRACE_MAP)) {
      if (info.type === 'interpolate') {
        this.interpolateTags.add(node);
      } else if (info.type === 'construct' && node.type === AST_NODE_TYPES.NewExpression) {
        this.addResource(info.spec, 'new', node, node.arguments[info.spec.propsIndex], node.arguments[info.spec.idIndex]);
      } else if (info.type === 'call' && node.type === AST_NODE_TYPES.CallExpression) {
        if (info.spec.role === 'lookup' && info.spec.resource) {
          const spec = info.spec.resource;
          const attrs = spec.tool === 'cdk' ? node.arguments[2] : undefined;
          this.addResource(spec, 'lookup', node, attrs, node.arguments[spec.idIndex]);
        }
        const call = { node, spec: info.spec };
        this.calls.push(call);
        this.callByNode.set(node, call);
      }
    }
    // `db.addProxy(id, options)` and `fn.addEnvironment(key, value)`: method calls on constructs.
    const text = sourceCode.text;
    if (text.includes('addProxy') || text.includes('addEnvironment')) {
      walk(sourceCode.ast as Node, sourceCode.visitorKeys, (node) => {
        if (node.type !== AST_NODE_TYPES.CallExpression) return;
        const callee = unwrapExpression(node.callee);
        if (callee.type !== AST_NODE_TYPES.MemberExpression) return;
        const name = getPropertyName(callee);
        if (name === 'addProxy') this.addProxyCalls.push({ call: node, receiver: callee.object });
        else if (name === 'addEnvironment' && node.arguments.length >= 2) this.addEnvironmentCalls.push(node);
      });
    }
    for (const { call, receiver } of this.addProxyCalls) {
      const target = this.resourceOf(receiver);
      if (target?.spec.tool === 'cdk' && (target.spec.role === 'instance' || target.spec.role === 'cluster')) {
        this.addResource(CDK_DATABASE_PROXY, 'add-proxy', call, call.arguments[1], call.arguments[0]);
      }
    }
    this.resources.sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  private addResource(spec: ConstructSpec, origin: StackResource['origin'], node: Node, props: Node | undefined, id: Node | undefined): void {
    const resource: StackResource = {
      spec,
      origin,
      node,
      props: props ? this.objectOf(props) : undefined,
      id: id ? this.singleString(id) : undefined,
    };
    this.resources.push(resource);
    this.byNode.set(node, resource);
    this.resourceCache.clear();
  }

  private objectOf(node: Node): StackProps | undefined {
    return node.type === AST_NODE_TYPES.SpreadElement ? undefined : new LazyProps(this.resolver, node);
  }

  private singleString(node: Node): string | undefined {
    if (node.type === AST_NODE_TYPES.SpreadElement) return undefined;
    const values = this.resolver.values(node);
    const [value] = values;
    return values.length === 1 && value!.kind === 'literal' && typeof value!.value === 'string' ? value!.value : undefined;
  }

  // --- Resources ------------------------------------------------------------------------------------------

  resourceOf(input: Node, depth = 0): StackResource | undefined {
    const node = unwrap(input);
    const cached = this.resourceCache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    if (this.active.has(node) || depth > MAX_DEPTH) return undefined;
    this.active.add(node);
    let found: StackResource | undefined;
    try {
      found = this.byNode.get(node) ?? this.computeResource(node, depth);
    } finally {
      this.active.delete(node);
    }
    this.resourceCache.set(node, found ?? null);
    return found;
  }

  private computeResource(node: Node, depth: number): StackResource | undefined {
    if (node.type === AST_NODE_TYPES.NewExpression || node.type === AST_NODE_TYPES.CallExpression) return undefined;
    let found: StackResource | undefined;
    const values = this.resolver.values(node);
    for (const value of values) {
      let resource: StackResource | undefined;
      if (value.node === node) resource = this.fallback(node, depth);
      else if (value.kind === 'call' || value.kind === 'unknown') resource = this.resourceOf(value.node, depth + 1);
      if (!resource || (found && found !== resource)) return undefined;
      found = resource;
    }
    return found;
  }

  /** What the value resolver cannot follow: `this.x` fields, and values known only from a type annotation. */
  private fallback(node: Node, depth: number): StackResource | undefined {
    if (node.type === AST_NODE_TYPES.MemberExpression && node.object.type === AST_NODE_TYPES.ThisExpression) {
      const name = getPropertyName(node);
      const body = name === undefined ? undefined : enclosingClassBody(node);
      if (body) {
        const sources = this.fieldSources(body).get(name!) ?? [];
        if (sources.length === 1) {
          const resource = this.resourceOf(sources[0]!, depth + 1);
          if (resource) return resource;
        }
      }
    }
    if (node.type !== AST_NODE_TYPES.Identifier && node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const type = this.types.typeOf(node);
    const spec = type ? this.types.specOf(type) : undefined;
    if (!type || !spec || !RESOURCE_ROLES.has(spec.role)) return undefined;
    let resource = this.typed.get(type);
    if (!resource) {
      resource = { spec, origin: 'type', node: type, props: undefined, id: undefined };
      this.typed.set(type, resource);
    }
    return resource;
  }

  /** The values a class gives each of its fields: initialisers and `this.x = value` assignments. */
  private fieldSources(body: TSESTree.ClassBody): Map<string, Node[]> {
    let map = this.fields.get(body);
    if (map) return map;
    const fields = new Map<string, Node[]>();
    map = fields;
    this.fields.set(body, fields);
    const add = (name: string | undefined, value: Node): void => {
      if (name === undefined) return;
      const list = fields.get(name) ?? [];
      list.push(value);
      fields.set(name, list);
    };
    walk(body, this.sourceCode.visitorKeys, (node) => {
      if (node.type === AST_NODE_TYPES.ClassBody && node !== body) return false;
      if (node.type === AST_NODE_TYPES.PropertyDefinition && node.parent === body && node.value && !node.computed) {
        add(getPropertyName(node), node.value);
      } else if (
        node.type === AST_NODE_TYPES.AssignmentExpression &&
        node.operator === '=' &&
        node.left.type === AST_NODE_TYPES.MemberExpression &&
        node.left.object.type === AST_NODE_TYPES.ThisExpression &&
        enclosingClassBody(node) === body
      ) {
        add(getPropertyName(node.left), node.right);
      }
      return undefined;
    });
    return map;
  }

  // --- Endpoints ------------------------------------------------------------------------------------------

  endpointsIn(node: Node): EndpointRef[] {
    const out: EndpointRef[] = [];
    this.collectEndpoints(node, out, new Set(), 0);
    return out;
  }

  private collectEndpoints(input: Node, out: EndpointRef[], seen: Set<Node>, depth: number): void {
    const node = unwrap(input);
    if (seen.has(node) || depth > MAX_DEPTH) return;
    seen.add(node);
    switch (node.type) {
      case AST_NODE_TYPES.MemberExpression: {
        const ref = this.endpointAt(node);
        if (ref) {
          out.push(ref);
          return;
        }
        this.followValues(node, out, seen, depth);
        return;
      }
      case AST_NODE_TYPES.Identifier:
        this.followValues(node, out, seen, depth);
        return;
      case AST_NODE_TYPES.TemplateLiteral:
        for (const expression of node.expressions) this.collectEndpoints(expression, out, seen, depth + 1);
        return;
      case AST_NODE_TYPES.TaggedTemplateExpression:
        if (this.interpolateTags.has(unwrap(node.tag))) {
          for (const expression of node.quasi.expressions) this.collectEndpoints(expression, out, seen, depth + 1);
        }
        return;
      case AST_NODE_TYPES.BinaryExpression:
        if (node.operator === '+') {
          this.collectEndpoints(node.left, out, seen, depth + 1);
          this.collectEndpoints(node.right, out, seen, depth + 1);
        }
        return;
      case AST_NODE_TYPES.LogicalExpression:
        this.collectEndpoints(node.left, out, seen, depth + 1);
        this.collectEndpoints(node.right, out, seen, depth + 1);
        return;
      case AST_NODE_TYPES.ConditionalExpression:
        this.collectEndpoints(node.consequent, out, seen, depth + 1);
        this.collectEndpoints(node.alternate, out, seen, depth + 1);
        return;
      case AST_NODE_TYPES.CallExpression: {
        const call = this.callByNode.get(node);
        if (call?.spec.role === 'concat' || call?.spec.role === 'wrap') {
          for (const arg of node.arguments) this.collectEndpoints(arg, out, seen, depth + 1);
        }
        return;
      }
      default:
        return;
    }
  }

  /** A `const` (or destructured, or field) holding an endpoint or a string built from one. */
  private followValues(node: Node, out: EndpointRef[], seen: Set<Node>, depth: number): void {
    for (const value of this.resolver.values(node)) {
      if (value.node !== node) this.collectEndpoints(value.node, out, seen, depth + 1);
    }
  }

  /** `<resource>.<endpoint path>`: the longest object prefix that is a resource, and the rest of the path. */
  private endpointAt(member: TSESTree.MemberExpression): EndpointRef | undefined {
    const leaf = getPropertyName(member);
    if (leaf === undefined || !ENDPOINT_LEAVES.has(leaf)) return undefined;
    const names: string[] = [];
    let current: Node = member;
    while (current.type === AST_NODE_TYPES.MemberExpression) {
      const name = getPropertyName(current);
      if (name === undefined) return undefined;
      names.unshift(/^\d+$/.test(name) ? '*' : name);
      current = unwrap(current.object);
      if (current.type === AST_NODE_TYPES.ThisExpression) break;
      const resource = this.resourceOf(current);
      if (resource) {
        const path = names.join('.');
        const spec = resource.spec.endpoints?.[path];
        if (!spec) return undefined;
        const direct = spec.kind !== 'proxy' && spec.kind !== 'proxy-endpoint';
        return { node: member, resource, path, kind: spec.kind, withPort: Boolean(spec.withPort), direct };
      }
    }
    return undefined;
  }

  // --- Functions ------------------------------------------------------------------------------------------

  get functions(): readonly StackFunction[] {
    return (this.functionList ??= this.buildFunctions());
  }

  private buildFunctions(): StackFunction[] {
    const byResource = new Map<StackResource | undefined, { environment: EnvironmentVariable[]; complete: boolean; resource: StackResource | undefined }>();
    const list: StackFunction[] = [];
    for (const resource of this.resources) {
      if (resource.spec.role !== 'function' || resource.origin !== 'new') continue;
      const environment: EnvironmentVariable[] = [];
      let complete = true;
      const path = resource.spec.environment ?? ['environment'];
      if (resource.props) {
        if (!resource.props.complete) complete = false;
        for (const entry of resource.props.get(path)) {
          for (const value of entry.values) {
            if (value.kind !== 'object') {
              if (!(value.kind === 'literal' && value.value === null)) complete = false;
              continue;
            }
            if (!value.object.complete) complete = false;
            for (const [key, entries] of value.object.properties) {
              for (const variable of entries) {
                environment.push({
                  key,
                  expression: variable.expression,
                  holder: variable.holder as EnvironmentVariable['holder'],
                  values: variable.values,
                  endpoints: this.endpointsIn(variable.expression),
                });
              }
            }
          }
        }
      } else if ((resource.node as TSESTree.NewExpression).arguments.length > resource.spec.propsIndex) {
        complete = false;
      }
      byResource.set(resource, { environment, complete, resource });
    }
    for (const call of this.addEnvironmentCalls) {
      const callee = unwrapExpression(call.callee) as TSESTree.MemberExpression;
      const resource = this.resourceOf(callee.object);
      const key = this.singleString(call.arguments[0]!);
      const value = call.arguments[1]!;
      if (key === undefined || value.type === AST_NODE_TYPES.SpreadElement) continue;
      const owner = resource?.spec.role === 'function' ? resource : undefined;
      let group = byResource.get(owner);
      if (!group) byResource.set(owner, (group = { environment: [], complete: false, resource: owner }));
      group.environment.push({ key, expression: value, holder: call, values: this.resolver.values(value), endpoints: this.endpointsIn(value) });
    }
    for (const group of byResource.values()) {
      const props = group.resource?.props;
      // What the function runs is read on demand: the rules do not need it.
      const stack = this;
      list.push({
        resource: group.resource,
        environment: group.environment,
        environmentComplete: group.complete,
        get handler() {
          return props ? stack.propString(props, 'handler') : undefined;
        },
        get entry() {
          return props ? stack.propString(props, 'entry') : undefined;
        },
        get code() {
          return props ? stack.codePath(props) : undefined;
        },
        get callback() {
          return props ? stack.callbackOf(props) : undefined;
        },
      });
    }
    return list;
  }

  private propString(props: StackProps, key: string): string | undefined {
    const entries = props.get(key);
    return entries.length === 1 ? this.singleString(entries[0]!.expression) : undefined;
  }

  private codePath(props: StackProps): string | undefined {
    const entries = props.get('code');
    if (entries.length !== 1) return undefined;
    const [value] = entries[0]!.values;
    if (value?.kind !== 'call') return undefined;
    const [arg] = value.node.arguments;
    return arg ? this.singleString(arg) : undefined;
  }

  private callbackOf(props: StackProps): FunctionNode | undefined {
    for (const entry of props.get('callback')) {
      for (const value of entry.values) if (value.kind === 'function') return value.node;
    }
    return undefined;
  }

  // --- Databases and proxies ------------------------------------------------------------------------------

  get databases(): readonly StackDatabase[] {
    return [...this.links().databases.values()];
  }

  get proxies(): readonly StackProxy[] {
    return [...this.links().proxies.values()];
  }

  databaseOf(resource: StackResource): StackDatabase | undefined {
    return this.links().databases.get(resource);
  }

  proxyOf(resource: StackResource): StackProxy | undefined {
    return this.links().proxies.get(resource);
  }

  /**
   * The databases and proxies, as objects whose details are read on demand: a rule that needs a proxy's TLS setting
   * does not pay for linking proxies to databases or for reading engines.
   */
  private links(): { databases: Map<StackResource, StackDatabase>; proxies: Map<StackResource, StackProxy> } {
    if (this.databaseMap && this.proxyMap) return { databases: this.databaseMap, proxies: this.proxyMap };
    const databases = new Map<StackResource, StackDatabase>();
    const proxies = new Map<StackResource, StackProxy>();
    this.databaseMap = databases;
    this.proxyMap = proxies;
    for (const resource of this.resources) this.databaseFor(resource);
    const stack = this;
    for (const resource of this.resources) {
      if (resource.spec.role !== 'proxy') continue;
      const props = resource.props;
      const setting = resource.spec.requireTls && props ? props.get(resource.spec.requireTls.key)[0] : undefined;
      const cache: { engine?: Engine | undefined; iamAuth?: boolean | undefined; initQuery?: string | undefined } = {};
      proxies.set(resource, {
        resource,
        get engine() {
          if (!('engine' in cache)) cache.engine = (props ? stack.engineOf(props.get('engineFamily')) : undefined) ?? singleEngine(this.targets);
          return cache.engine;
        },
        get iamAuth() {
          if (!('iamAuth' in cache)) cache.iamAuth = props && resource.origin !== 'lookup' ? stack.proxyIamAuth(props) : undefined;
          return cache.iamAuth;
        },
        requireTls: setting
          ? booleanLiteral(setting.values)
          : resource.origin === 'lookup' || (props && !props.complete)
            ? undefined
            : resource.spec.requireTls?.default,
        requireTlsSetting: setting ? { key: setting.key, expression: setting.expression, values: setting.values } : undefined,
        get initQuery() {
          if (!('initQuery' in cache)) {
            cache.initQuery = stack.targetIndex().initQueries.get(resource) ?? (props ? stack.initQueryOf(props, 'initQuery') : undefined);
          }
          return cache.initQuery;
        },
        get targets() {
          return stack.targetIndex().targets.get(resource) ?? [];
        },
      });
    }
    return { databases, proxies };
  }

  /** The database a resource is, as a `StackDatabase` (created once). */
  private databaseFor(resource: StackResource | undefined): StackDatabase | undefined {
    if (!resource || (resource.spec.role !== 'instance' && resource.spec.role !== 'cluster')) return undefined;
    const databases = this.databaseMap!;
    let database = databases.get(resource);
    if (database) return database;
    const stack = this;
    const props = resource.props;
    const cache: { engine?: Engine | undefined; iam?: boolean | undefined } = {};
    database = {
      resource,
      kind: resource.spec.role,
      get engine() {
        if (!('engine' in cache)) cache.engine = props ? stack.engineOf(props.get('engine')) : undefined;
        return cache.engine;
      },
      get iamAuthentication() {
        if (!('iam' in cache)) {
          cache.iam =
            props && resource.origin === 'new'
              ? stack.booleanProp(props, ['iamAuthentication', 'enableIamDatabaseAuthentication', 'iamDatabaseAuthenticationEnabled'])
              : undefined;
        }
        return cache.iam;
      },
      get proxies() {
        return stack.targetIndex().proxiesOf.get(database!) ?? [];
      },
    };
    databases.set(resource, database);
    return database;
  }

  private targetCache:
    | { targets: Map<StackResource, StackDatabase[]>; proxiesOf: Map<StackDatabase, StackProxy[]>; initQueries: Map<StackResource, string> }
    | undefined;

  /**
   * Which proxy targets which database: `proxyTarget: ProxyTarget.fromInstance(db)`, `db.addProxy(...)`, Pulumi
   * `aws.rds.ProxyTarget` and CDK `CfnDBProxyTargetGroup` (by the references they hold), and the initialization
   * queries target groups set.
   */
  private targetIndex(): NonNullable<Stack['targetCache']> {
    if (this.targetCache) return this.targetCache;
    const { proxies } = this.links();
    const targets = new Map<StackResource, StackDatabase[]>();
    const proxiesOf = new Map<StackDatabase, StackProxy[]>();
    const initQueries = new Map<StackResource, string>();
    this.targetCache = { targets, proxiesOf, initQueries };
    const link = (proxy: StackResource | undefined, database: StackDatabase | undefined): void => {
      // (A proxy known only from a type annotation has no `StackProxy`.)
      const stackProxy = proxy ? proxies.get(proxy) : undefined;
      if (!proxy || !stackProxy || !database) return;
      const list = targets.get(proxy) ?? [];
      if (list.includes(database)) return;
      list.push(database);
      targets.set(proxy, list);
      const of = proxiesOf.get(database) ?? [];
      of.push(stackProxy);
      proxiesOf.set(database, of);
    };
    for (const resource of this.resources) {
      const props = resource.props;
      if (resource.spec.role === 'proxy-target' && props) {
        const proxy = this.rootResource(props.get('dbProxyName'));
        if (proxy?.spec.role !== 'proxy') continue;
        for (const key of ['dbInstanceIdentifier', 'dbClusterIdentifier', 'dbInstanceIdentifiers', 'dbClusterIdentifiers']) {
          for (const entry of props.get(key)) {
            const expression = unwrap(entry.expression);
            const elements = expression.type === AST_NODE_TYPES.ArrayExpression ? expression.elements : [expression];
            for (const element of elements) {
              if (!element || element.type === AST_NODE_TYPES.SpreadElement) continue;
              link(proxy, this.databaseFor(this.rootResource([{ expression: element }])));
            }
          }
        }
        const initQuery = this.initQueryOf(props, 'connectionPoolConfigurationInfo.initQuery');
        if (initQuery !== undefined) initQueries.set(proxy, initQuery);
      } else if (resource.spec.role === 'proxy-target-group' && props) {
        const proxy = this.rootResource(props.get('dbProxyName'));
        const initQuery = this.initQueryOf(props, 'connectionPoolConfig.initQuery');
        if (proxy?.spec.role === 'proxy' && initQuery !== undefined) initQueries.set(proxy, initQuery);
      } else if (resource.spec.role === 'proxy') {
        if (resource.origin === 'add-proxy') {
          const callee = unwrapExpression((resource.node as TSESTree.CallExpression).callee) as TSESTree.MemberExpression;
          link(resource, this.databaseFor(this.resourceOf(callee.object)));
        }
        for (const entry of props?.get('proxyTarget') ?? []) {
          for (const value of entry.values) {
            const call = value.kind === 'call' ? this.callByNode.get(value.node) : undefined;
            const [arg] = call?.node.arguments ?? [];
            if (call?.spec.role === 'proxy-target' && arg) link(resource, this.databaseFor(this.resourceOf(arg)));
          }
        }
      }
    }
    return this.targetCache;
  }

  /** The resource an identifier reference is read from: `proxy.name`, `db.identifier`, `cluster.id`, `cfnDb.ref`. */
  private rootResource(entries: ReadonlyArray<{ expression: Node }>): StackResource | undefined {
    if (entries.length !== 1) return undefined;
    let node = unwrap(entries[0]!.expression);
    for (let i = 0; i < 4; i++) {
      const resource = this.resourceOf(node);
      if (resource) return resource;
      if (node.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      node = unwrap(node.object);
    }
    return undefined;
  }

  private initQueryOf(props: StackProps, path: string): string | undefined {
    const entries = props.get(path);
    if (entries.length !== 1) return undefined;
    const [value] = entries[0]!.values;
    if (value?.kind === 'literal' && typeof value.value === 'string') return value.value;
    return undefined;
  }

  private booleanProp(props: StackProps, keys: readonly string[]): boolean | undefined {
    for (const key of keys) {
      const entries = props.get(key);
      if (entries.length > 0) return entries.length === 1 ? booleanLiteral(entries[0]!.values) : undefined;
    }
    return props.complete ? false : undefined;
  }

  private proxyIamAuth(props: StackProps): boolean | undefined {
    const iamAuth = props.get('iamAuth');
    if (iamAuth.length > 0) return booleanLiteral(iamAuth[0]!.values);
    for (const entry of props.get('defaultAuthScheme')) {
      if (this.mentions(entry.expression, /^IAM_AUTH$/)) return true;
    }
    // CfnDBProxy `auth`, Pulumi `auths`: `[{ iamAuth: 'REQUIRED', ... }]`.
    for (const key of ['auth', 'auths']) {
      for (const entry of props.get(key)) {
        const list = unwrap(entry.expression);
        if (list.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
        let required: boolean | undefined;
        for (const element of list.elements) {
          if (!element || element.type === AST_NODE_TYPES.SpreadElement) return undefined;
          for (const value of this.resolver.values(element)) {
            if (value.kind !== 'object') return undefined;
            const setting = value.object.get('iamAuth');
            const literal = setting.length === 1 ? setting[0]!.values[0] : undefined;
            const text = literal?.kind === 'literal' && typeof literal.value === 'string' ? literal.value.toUpperCase() : undefined;
            if (text === 'REQUIRED') required = true;
            else if (text === undefined && setting.length > 0) return undefined;
            else required ??= false;
          }
        }
        return required;
      }
    }
    return props.complete ? false : undefined;
  }

  /** An engine family named in an expression: `DatabaseInstanceEngine.postgres(...)`, `'aurora-mysql'`, `'POSTGRESQL'`. */
  private engineOf(entries: ReadonlyArray<{ expression: Node }>): Engine | undefined {
    if (entries.length !== 1) return undefined;
    let engine: Engine | undefined;
    this.mentions(entries[0]!.expression, (name) => {
      engine ??= engineFromName(name);
      return engine !== undefined;
    });
    return engine;
  }

  /**
   * Whether an expression (or the `const` it reads) contains a name or string the test accepts: its string literals,
   * identifiers and property names, in source order.
   */
  private mentions(expression: Node, test: RegExp | ((name: string) => boolean)): boolean {
    const accept = typeof test === 'function' ? test : (name: string) => test.test(name);
    const roots = [expression, ...this.resolver.values(expression).map((v) => v.node)];
    let found = false;
    for (const root of new Set(roots)) {
      walk(root, this.sourceCode.visitorKeys, (node) => {
        if (found || isFunctionNode(node)) return false;
        if (node.type === AST_NODE_TYPES.Identifier) found = accept(node.name);
        else if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') found = accept(node.value);
        return undefined;
      });
      if (found) return true;
    }
    return false;
  }

  // --- Connections ----------------------------------------------------------------------------------------

  connections(fn?: StackFunction): FunctionConnection[] {
    const out: FunctionConnection[] = [];
    for (const function_ of fn ? [fn] : this.functions) {
      for (const variable of function_.environment) {
        for (const endpoint of variable.endpoints) {
          const proxy =
            this.proxyOf(endpoint.resource) ?? (this.databaseOf(endpoint.resource)?.proxies.length === 1 ? this.databaseOf(endpoint.resource)!.proxies[0] : undefined);
          const database =
            this.databaseOf(endpoint.resource) ?? (proxy?.targets.length === 1 ? proxy.targets[0] : undefined);
          out.push({
            function: function_,
            variable,
            endpoint,
            proxy: endpoint.direct ? undefined : proxy,
            database,
            engine: proxy?.engine ?? database?.engine,
            iamAuth: endpoint.direct ? database?.iamAuthentication : proxy?.iamAuth,
            requireTls: endpoint.direct ? undefined : proxy?.requireTls,
            initQuery: endpoint.direct ? undefined : proxy?.initQuery,
          });
        }
      }
    }
    return out;
  }
}

function unwrap(node: Node): Node {
  let current = unwrapExpression(node);
  while (current.type === AST_NODE_TYPES.AwaitExpression) current = unwrapExpression(current.argument);
  return current;
}

function booleanLiteral(values: readonly ConfigValue[]): boolean | undefined {
  if (values.length !== 1) return undefined;
  const [value] = values;
  return value!.kind === 'literal' && typeof value!.value === 'boolean' ? value!.value : undefined;
}

function singleEngine(databases: readonly StackDatabase[]): Engine | undefined {
  const engines = new Set(databases.map((d) => d.engine));
  return engines.size === 1 ? [...engines][0] : undefined;
}

/** The engine family a name in an `engine` setting stands for. */
export function engineFromName(name: string): Engine | undefined {
  if (/postgres/i.test(name)) return 'postgresql';
  if (/mysql|maria/i.test(name) || /^aurora$/i.test(name)) return 'mysql';
  if (/sql_?server/i.test(name)) return 'sqlserver';
  return undefined;
}

