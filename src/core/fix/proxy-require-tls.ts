/**
 * The fix for an RDS Proxy that lets clients connect without TLS (`require-tls`): `requireTLS: false` (CDK
 * `DatabaseProxy`), `requireTls: false` (CDK `CfnDBProxy`, Pulumi `aws.rds.Proxy`) becomes `true`. Only a `false`
 * written as the setting's value is changed: a constant used elsewhere is left alone.
 */
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import { unwrapExpression } from '../ast/nodes.js';
import type { StackProxy } from '../iac/model.js';
import { plan, Refusal, type FixContext, type PlanOutcome } from './plan.js';

export function planProxyRequireTls(context: FixContext, proxy: StackProxy): PlanOutcome {
  return plan(context, (fix) => {
    const setting = proxy.requireTlsSetting;
    if (!setting) throw new Refusal('the proxy has no TLS setting to change');
    const value = unwrapExpression(setting.expression);
    if (value.type !== AST_NODE_TYPES.Literal || value.value !== false) {
      throw new Refusal(`\`${setting.key}\` is not written as \`false\` in the proxy's props`);
    }
    fix.replace(value.range[0], value.range[1], 'true');
    fix.change(`set ${setting.key} to true on ${proxy.resource.spec.label}`);
  });
}
