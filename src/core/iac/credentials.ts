/**
 * Database passwords written in stack code: the literal a Lambda function's environment gives a variable that names
 * a database password, and the literal a database construct gets as its master password (CDK
 * `Credentials.fromPassword(user, SecretValue.unsafePlainText('…'))`, `masterUserPassword`, Pulumi `password` /
 * `masterPassword`). Values are followed through `const`s, environment reads with a literal fallback
 * (`process.env.DB_PASSWORD || 'password'`), `SecretValue.unsafePlainText()` / `plainText()` and
 * `pulumi.secret()` / `pulumi.output()`.
 *
 * Not passwords in the code: a secret's ARN or name, a Parameter Store name, a value read from a secret
 * (`secret.secretValueFromJson('password')`), a generated password (`Credentials.fromGeneratedSecret`,
 * `random.RandomPassword`), a Pulumi config secret (`config.requireSecret(...)`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import { isDatabasePasswordKey } from '../config/keys.js';
import type { ConfigValue } from '../config/types.js';
import type { EnvironmentVariable, StackFunction, StackResource } from './model.js';
import type { StackAnalysis } from './stack.js';

/**
 * Values a deployment tool substitutes (`${DB_PASSWORD}`, `{{password}}`, `$DB_PASSWORD`): not a password in the
 * code. Anchored, with a single bounded class each: linear.
 */
const PLACEHOLDER = /^(?:\$\{[^{}]*\}|\{\{[^{}]*\}\}|\$[A-Z_][A-Z0-9_]*)$/;

/**
 * Every place a stack password is looked for names one: a variable `DB_PASSWORD` / `DB_PASS` / `MYSQL_PWD`, a prop
 * `masterUserPassword` / `password`, a helper `fromPassword()` / `fromUsername(user, { password })`. Text without
 * `pass` or `pwd` (any case) holds none, and needs no stack analysis for them.
 */
const PASSWORD_WORD = /pass|pwd/i;

/** Whether the text of a stack file can hold a password `stackPasswords` reports (the cheap test first). */
export function mayHoldStackPassword(text: string): boolean {
  return PASSWORD_WORD.test(text);
}

/** A password found in stack code. */
export interface StackPassword {
  /** The literal holding it (never its text: messages must not echo it). */
  readonly node: TSESTree.Node;
  /**
   * `environment`: the value of a function's environment variable `key`; `prop`: the `key` prop of a database
   * construct; `credentials`: an argument of a CDK credentials helper (`label` names it).
   */
  readonly where: 'environment' | 'prop' | 'credentials';
  readonly key: string;
  /** The construct (`rds.DatabaseInstance`, `aws.rds.Cluster`) or helper (`Credentials.fromPassword()`). */
  readonly label: string;
  readonly tool: 'cdk' | 'pulumi';
  readonly function?: StackFunction;
  readonly variable?: EnvironmentVariable;
  readonly resource?: StackResource;
}

/** Every database password written in the stack code of a file, in source order, each literal once. */
export function stackPasswords(stack: StackAnalysis): StackPassword[] {
  const out: StackPassword[] = [];
  const seen = new Set<TSESTree.Node>();
  const add = (password: StackPassword): void => {
    if (seen.has(password.node)) return;
    seen.add(password.node);
    out.push(password);
  };
  const literalsOf = (values: readonly ConfigValue[], depth = 0): TSESTree.Node[] => {
    const found: TSESTree.Node[] = [];
    for (const value of values) {
      if (value.kind === 'literal' && isPassword(value.value)) found.push(value.node);
      else if (value.kind === 'template' && !value.text.text.includes('\uFFFF') && isPassword(value.text.text)) found.push(value.node);
      else if (value.kind === 'call' && depth < 3 && value.node.type === AST_NODE_TYPES.CallExpression) {
        // `SecretValue.unsafePlainText('…')`, `pulumi.secret('…')`, and `.unsafeUnwrap()` / `.toString()` of them.
        const call = stack.calls.find((c) => c.node === value.node);
        const [arg] = value.node.arguments;
        if ((call?.spec.role === 'plain-secret' || call?.spec.role === 'wrap') && arg && arg.type !== AST_NODE_TYPES.SpreadElement) {
          found.push(...literalsOf(stack.resolver.values(arg), depth + 1));
        } else if (!call) {
          const callee = value.node.callee;
          if (
            callee.type === AST_NODE_TYPES.MemberExpression &&
            !callee.computed &&
            callee.property.type === AST_NODE_TYPES.Identifier &&
            (callee.property.name === 'unsafeUnwrap' || callee.property.name === 'toString') &&
            value.node.arguments.length === 0
          ) {
            found.push(...literalsOf(stack.resolver.values(callee.object), depth + 1));
          }
        }
      }
    }
    return found;
  };

  for (const fn of stack.functions) {
    for (const variable of fn.environment) {
      if (!isDatabasePasswordKey(variable.key)) continue;
      for (const node of literalsOf(variable.values)) {
        add({ node, where: 'environment', key: variable.key, label: fn.resource?.spec.label ?? 'Lambda function', tool: fn.resource?.spec.tool ?? 'cdk', function: fn, variable });
      }
    }
  }
  for (const resource of stack.resources) {
    if (!resource.props || resource.origin !== 'new') continue;
    for (const key of resource.spec.passwordProps ?? []) {
      for (const entry of resource.props.get(key)) {
        for (const node of literalsOf(entry.values)) {
          add({ node, where: 'prop', key, label: resource.spec.label, tool: resource.spec.tool, resource });
        }
      }
    }
  }
  for (const call of stack.calls) {
    let password: TSESTree.Node | undefined;
    if (call.spec.role === 'credentials-password') password = call.node.arguments[1];
    else if (call.spec.role === 'snapshot-password') password = call.node.arguments[0];
    else if (call.spec.role === 'credentials-username') {
      const options = call.node.arguments[1];
      if (options && options.type !== AST_NODE_TYPES.SpreadElement) {
        for (const value of stack.resolver.values(options)) {
          if (value.kind !== 'object') continue;
          for (const entry of value.object.get('password')) {
            for (const node of literalsOf(entry.values)) add({ node, where: 'credentials', key: 'password', label: call.spec.label, tool: 'cdk' });
          }
        }
      }
      continue;
    }
    if (!password || password.type === AST_NODE_TYPES.SpreadElement) continue;
    for (const node of literalsOf(stack.resolver.values(password))) {
      add({ node, where: 'credentials', key: 'password', label: call.spec.label, tool: 'cdk' });
    }
  }
  return out.sort((a, b) => a.node.range[0] - b.node.range[0]);
}

function isPassword(value: unknown): boolean {
  if (typeof value === 'number' || typeof value === 'bigint') return true;
  return typeof value === 'string' && value.length > 0 && !PLACEHOLDER.test(value);
}
