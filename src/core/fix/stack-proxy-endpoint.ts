/**
 * The fix for a database endpoint in a Lambda function's environment in stack code (`no-direct-rds-endpoint`):
 * the endpoint gives way to the endpoint of the RDS Proxy that targets the same database, when exactly one proxy of
 * the stack does (CDK `new rds.DatabaseProxy(this, id, { proxyTarget: rds.ProxyTarget.fromInstance(db) })` or
 * `db.addProxy(id, {...})`; Pulumi `aws.rds.ProxyTarget` linking the proxy and the database), and the code can
 * name that proxy where the endpoint is written (a variable declared before it, or a field of the same class).
 *
 * Refused: reader endpoints (a proxy's default endpoint is read/write: a read-only proxy endpoint is the
 * replacement, and it has to be created), `host:port` values (a proxy endpoint is a hostname), and endpoints read
 * in another statement than the environment variable's value.
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { contains, unwrapExpression } from '../ast/nodes.js';
import { innermostScope } from '../ast/scope.js';
import type { EndpointRef, EnvironmentVariable, StackResource } from '../iac/model.js';
import type { StackAnalysis } from '../iac/stack.js';
import { enclosingClassBody } from '../iac/types.js';
import { plan, Refusal, type FixContext, type PlanOutcome } from './plan.js';

export function planStackProxyEndpoint(
  context: FixContext,
  stack: StackAnalysis,
  variable: EnvironmentVariable,
  ref: EndpointRef,
): PlanOutcome {
  return plan(context, (fix) => {
    if (ref.kind === 'cluster-reader') {
      throw new Refusal("it is a reader endpoint, and a proxy's default endpoint is read/write: add a read-only proxy endpoint");
    }
    if (ref.withPort) throw new Refusal('the value is `host:port`, and a proxy endpoint is a hostname');
    const proxies = stack.databaseOf(ref.resource)?.proxies ?? [];
    if (proxies.length === 0) {
      throw new Refusal(
        'no RDS Proxy of this stack targets the database: add one (CDK `db.addProxy()` or `new rds.DatabaseProxy()`, Pulumi `aws.rds.Proxy` with an `aws.rds.ProxyTarget`) and run the codemod again',
      );
    }
    if (proxies.length > 1) throw new Refusal('several RDS Proxies of this stack target the database');
    const proxy = proxies[0]!.resource;
    const target = replaced(stack, variable, ref);
    const name = proxyReference(stack, proxy, target);
    const member = Object.keys(proxy.spec.endpoints ?? {})[0] ?? 'endpoint';
    const before = fix.text.slice(target.range[0], target.range[1]);
    fix.replace(target.range[0], target.range[1], `${name}.${member}`);
    fix.change(`replaced ${before} with ${name}.${member}`);
  });
}

/** What to replace: the endpoint read where the variable's value is written, or the `const` naming only it. */
function replaced(stack: StackAnalysis, variable: EnvironmentVariable, ref: EndpointRef): TSESTree.Node {
  if (contains(variable.expression, ref.node)) return ref.node;
  const expression = unwrapExpression(variable.expression);
  if (expression.type === AST_NODE_TYPES.Identifier) {
    const values = stack.resolver.values(expression);
    if (values.length === 1 && values[0]!.node === ref.node) return variable.expression;
  }
  throw new Refusal('the endpoint is read in another statement than the environment variable');
}

/** How code at `site` can name the proxy: the variable or class field it is held in, when visible there. */
function proxyReference(stack: StackAnalysis, proxy: StackResource, site: TSESTree.Node): string {
  let holder: TSESTree.Node = proxy.node;
  while (holder.parent && unwrapExpression(holder.parent) !== holder.parent) holder = holder.parent;
  const parent = holder.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === holder && parent.id.type === AST_NODE_TYPES.Identifier) {
    const name = parent.id.name;
    const declared = stack.sourceCode.scopeManager?.getDeclaredVariables(parent)[0];
    let scope: ReturnType<typeof innermostScope> | null = innermostScope(stack.sourceCode.scopeManager!.globalScope!, site);
    let visible;
    while (scope && !visible) {
      visible = scope.set.get(name);
      scope = scope.upper;
    }
    if (declared && visible === declared && parent.range[1] <= site.range[0]) return name;
    throw new Refusal(`the proxy's variable \`${name}\` is not declared before this point or not visible here`);
  }
  const member =
    parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === holder
      ? parent.left
      : parent?.type === AST_NODE_TYPES.PropertyDefinition && parent.value === holder
        ? parent
        : undefined;
  if (member) {
    const isThisField =
      member.type === AST_NODE_TYPES.PropertyDefinition ||
      (member.type === AST_NODE_TYPES.MemberExpression && member.object.type === AST_NODE_TYPES.ThisExpression && !member.computed);
    const key = member.type === AST_NODE_TYPES.PropertyDefinition ? member.key : member.type === AST_NODE_TYPES.MemberExpression ? member.property : undefined;
    const body = enclosingClassBody(parent!);
    const ordered = member.type === AST_NODE_TYPES.PropertyDefinition || parent!.range[1] <= site.range[0];
    if (isThisField && key?.type === AST_NODE_TYPES.Identifier && body && enclosingClassBody(site) === body && ordered) {
      return `this.${key.name}`;
    }
  }
  throw new Refusal('the proxy is not held in a variable or class field that this code can read');
}
