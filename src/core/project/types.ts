/** What the project knowledge knows about the deployed functions of a project. */

export type DescriptorKind = 'serverless' | 'sam' | 'cloudformation' | 'cdk' | 'amplify';

/** Where something was declared: the descriptor file and the line (1-based) when known. */
export interface DeclaredAt {
  readonly file: string;
  readonly line: number | undefined;
  readonly kind: DescriptorKind;
}

/** A Lambda function a deployment descriptor declares, with the module and export that handle its invocations. */
export interface FunctionDeclaration {
  /** The function's name in the descriptor (Serverless function key, logical id, construct id). */
  readonly name: string;
  /** Absolute path of the handler's source module. */
  readonly file: string;
  /** The export the runtime calls (`handler`, `read`, `main`, `default`…). */
  readonly exportName: string;
  /** The function's timeout in seconds: as declared, else the deployment tool's default. */
  readonly timeout: number;
  /** Whether `timeout` was declared (on the function or as a descriptor-wide default) rather than the tool's default. */
  readonly timeoutDeclared: boolean;
  readonly declaredAt: DeclaredAt;
}

/** A Lambda layer declared with a folder of the repository as its content (mounted at `/opt`). */
export interface LayerDeclaration {
  readonly contentDir: string;
  readonly declaredAt: DeclaredAt;
}

export interface DescriptorFacts {
  readonly functions: readonly FunctionDeclaration[];
  readonly layers: readonly LayerDeclaration[];
}

export const NO_FACTS: DescriptorFacts = { functions: [], layers: [] };

/** Default timeouts (seconds) when a descriptor declares none. */
export const DEFAULT_TIMEOUTS: Readonly<Record<DescriptorKind, number>> = {
  // Serverless Framework's provider default.
  serverless: 6,
  // AWS::Serverless::Function, AWS::Lambda::Function, CDK lambda.Function and Amplify: Lambda's own default.
  sam: 3,
  cloudformation: 3,
  cdk: 3,
  amplify: 3,
};
