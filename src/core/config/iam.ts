/**
 * RDS IAM authentication tokens in a file (domain notes §3.2, §3.5): calls of `getAuthToken()` on a `Signer` of
 * `@aws-sdk/rds-signer` or of the AWS SDK v2 (`new AWS.RDS.Signer()`), found by import rather than by name, and the
 * context/request keys `@middy/rds-signer` is told to fill (`fetchData: { rdsToken: {...} }`).
 */
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/types';
import type { TSESLint } from '@typescript-eslint/utils';
import { contains, getPropertyName, unwrapExpression } from '../ast/nodes.js';
import { findVariable } from '../ast/scope.js';
import { CALL, CONSTRUCT, mentionsModule, searchOrder, trackModuleReferences, type TraceMap } from '../track.js';
import { perFile } from '../per-file.js';

type SignerKind = 'rds-signer' | 'aws-sdk-v2' | 'middy';

const SIGNER_MODULES = searchOrder(['@aws-sdk/rds-signer', 'aws-sdk', 'aws-sdk/clients/rds', '@middy/rds-signer']);

const TRACE_MAP: Record<string, TraceMap> = {
  '@aws-sdk/rds-signer': { Signer: { [CONSTRUCT]: 'rds-signer' } },
  'aws-sdk': { RDS: { Signer: { [CONSTRUCT]: 'aws-sdk-v2' } } },
  'aws-sdk/clients/rds': { Signer: { [CONSTRUCT]: 'aws-sdk-v2' } },
  '@middy/rds-signer': { [CALL]: 'middy', default: { [CALL]: 'middy' } },
};

/** The signer method that returns a token: every token call names it. */
const TOKEN_METHOD = 'getAuthToken';

/** Whether code can hold a token call: its text names the signer's token method (a test before any tracking). */
export function mayCallForToken(text: string): boolean {
  return text.includes(TOKEN_METHOD);
}

export class IamTokens {
  /** `signer.getAuthToken(...)` calls. */
  readonly tokenCalls = new Set<TSESTree.CallExpression>();
  /** `signer.getAuthToken` member expressions (called or passed on, e.g. `.bind(signer)`). */
  readonly tokenMembers = new Set<TSESTree.MemberExpression>();
  /** Keys `@middy/rds-signer` fills with a token. */
  readonly middyKeys = new Set<string>();
  /**
   * How long `@middy/rds-signer` keeps each key's token before fetching a new one, in milliseconds as its
   * `cacheExpiry` option says: `-1` (its default) caches the token for the life of the execution environment, `0`
   * fetches one per invocation. `undefined` when the option is not a literal (or differs between middlewares).
   */
  readonly middyCacheExpiry = new Map<string, number | undefined>();

  static readonly none = new IamTokens();

  private static readonly ofFile = perFile((context) => IamTokens.find(context.sourceCode));

  /** The tokens of a file, found once per file for every rule and planner that asks. */
  static of(sourceCode: Readonly<TSESLint.SourceCode>): IamTokens {
    return IamTokens.ofFile({ sourceCode, settings: {} });
  }

  /** Finds the tokens of a file; files that mention no signer module cost one text search. */
  private static find(sourceCode: Readonly<TSESLint.SourceCode>): IamTokens {
    if (!mentionsModule(sourceCode.text, SIGNER_MODULES)) return IamTokens.none;
    const tokens = new IamTokens();
    const scope = sourceCode.scopeManager!.globalScope!;
    for (const { node, info } of trackModuleReferences<SignerKind>(sourceCode, TRACE_MAP)) {
      if (info === 'middy') tokens.addMiddy(node);
      else if (node.type === AST_NODE_TYPES.NewExpression) tokens.addSigner(node, scope);
    }
    return tokens;
  }

  get isEmpty(): boolean {
    return this.tokenMembers.size === 0 && this.middyKeys.size === 0;
  }

  isTokenCall(node: TSESTree.Node): boolean {
    return node.type === AST_NODE_TYPES.CallExpression && this.tokenCalls.has(node);
  }

  isTokenMember(node: TSESTree.Node): boolean {
    return node.type === AST_NODE_TYPES.MemberExpression && this.tokenMembers.has(node);
  }

  /** Whether a function's body calls or passes on `getAuthToken` directly. */
  containsToken(fn: TSESTree.Node): boolean {
    for (const member of this.tokenMembers) if (contains(fn, member)) return true;
    return false;
  }

  private addSigner(construct: TSESTree.NewExpression, scope: TSESLint.Scope.Scope): void {
    let top: TSESTree.Node = construct;
    while (top.parent && unwrapExpression(top.parent) !== top.parent) top = top.parent;
    this.addMemberUse(top);
    const parent = top.parent;
    let id: TSESTree.Node | undefined;
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === top) id = parent.id;
    else if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === top) id = unwrapExpression(parent.left);
    if (id?.type !== AST_NODE_TYPES.Identifier) return;
    const variable = findVariable(scope, id);
    for (const ref of variable?.references ?? []) {
      if (!ref.isRead()) continue;
      let use: TSESTree.Node = ref.identifier as TSESTree.Identifier;
      while (use.parent && unwrapExpression(use.parent) !== use.parent) use = use.parent;
      this.addMemberUse(use);
    }
  }

  /** `<signer>.getAuthToken` (and its call) on an expression that is a signer. */
  private addMemberUse(signer: TSESTree.Node): void {
    const member = signer.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== signer) return;
    if (getPropertyName(member) !== TOKEN_METHOD) return;
    this.tokenMembers.add(member);
    let callee: TSESTree.Node = member;
    while (callee.parent && unwrapExpression(callee.parent) !== callee.parent) callee = callee.parent;
    const call = callee.parent;
    if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === callee) this.tokenCalls.add(call);
    else if (call?.type === AST_NODE_TYPES.CallExpression && unwrapExpression(call.callee) === member) this.tokenCalls.add(call);
  }

  private addMiddy(call: TSESTree.Node): void {
    if (call.type !== AST_NODE_TYPES.CallExpression) return;
    const options = call.arguments[0];
    if (options?.type !== AST_NODE_TYPES.ObjectExpression) return;
    const expiry = middyCacheExpiry(options);
    for (const prop of options.properties) {
      if (prop.type !== AST_NODE_TYPES.Property || getPropertyName(prop) !== 'fetchData') continue;
      if (prop.value.type !== AST_NODE_TYPES.ObjectExpression) continue;
      for (const key of prop.value.properties) {
        const name = key.type === AST_NODE_TYPES.Property ? getPropertyName(key) : undefined;
        if (name === undefined) continue;
        const known = this.middyCacheExpiry.has(name);
        this.middyCacheExpiry.set(name, known && this.middyCacheExpiry.get(name) !== expiry ? undefined : expiry);
        this.middyKeys.add(name);
      }
    }
  }
}

/** The `cacheExpiry` option of `@middy/rds-signer` (default `-1`, cache forever); `undefined` when not a literal. */
function middyCacheExpiry(options: TSESTree.ObjectExpression): number | undefined {
  let expiry: number | undefined = -1;
  for (const prop of options.properties) {
    if (prop.type === AST_NODE_TYPES.SpreadElement) return undefined;
    if (getPropertyName(prop) !== 'cacheExpiry') continue;
    expiry = numberLiteral(unwrapExpression(prop.value));
  }
  return expiry;
}

function numberLiteral(node: TSESTree.Node): number | undefined {
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'number') return node.value;
  if (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === '-') {
    const value = numberLiteral(unwrapExpression(node.argument));
    return value === undefined ? undefined : -value;
  }
  // `15 * 60 * 1000`
  if (node.type === AST_NODE_TYPES.BinaryExpression && node.operator === '*') {
    const left = numberLiteral(unwrapExpression(node.left));
    const right = numberLiteral(unwrapExpression(node.right));
    return left === undefined || right === undefined ? undefined : left * right;
  }
  return undefined;
}
