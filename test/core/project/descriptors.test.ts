/**
 * Deployment descriptors read by the project knowledge: which exports of which files are Lambda handlers, each
 * function's timeout, where it was declared, and the layers, on fixture projects of each tool.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearProjectCaches,
  projectCacheStats,
  projectOfFile,
  projectRoot,
  setRefreshInterval,
  type FunctionDeclaration,
} from '../../../src/core/project/index.js';
import { emptyProject, fixtureProject } from '../../helpers/projects.js';

beforeEach(() => {
  clearProjectCaches();
  setRefreshInterval(0);
});

/** `file#export timeout (declared|default) kind descriptor:line`, relative to the root, sorted. */
function summary(root: string, functions: readonly FunctionDeclaration[]): string[] {
  return functions
    .map(
      (f) =>
        `${path.relative(root, f.file)}#${f.exportName} ${f.timeout}s${f.timeoutDeclared ? '' : ' (default)'} ${f.declaredAt.kind} ${path.relative(root, f.declaredAt.file)}:${f.declaredAt.line}`,
    )
    .sort();
}

describe('Serverless Framework', () => {
  const root = fixtureProject('serverless-yml');

  it('names each function handler with its timeout and the line it is declared on', () => {
    const view = projectOfFile(path.join(root, 'src/orders.js'))!;
    expect(summary(root, view.functions)).toEqual([
      'src/orders.js#read 10s serverless serverless.yml:10',
      'src/orders.js#report 20s serverless serverless.yml:14',
      'src/users.ts#list 30s serverless functions/extra.yml:1',
    ]);
  });

  it('leaves out functions on other runtimes', () => {
    const view = projectOfFile(path.join(root, 'src/legacy.js'))!;
    expect(view.declarationsFor(path.join(root, 'src/legacy.js'))).toEqual([]);
  });

  it('reads the layers the service declares', () => {
    expect(projectOfFile(path.join(root, 'src/orders.js'))!.layers).toEqual([path.join(root, 'layers/db')]);
  });

  it("uses the framework's default timeout of 6 seconds", () => {
    const project = emptyProject();
    writeFileSync(path.join(project, 'serverless.yml'), 'service: s\nprovider:\n  name: aws\nfunctions:\n  a:\n    handler: index.handler\n');
    writeFileSync(path.join(project, 'index.js'), 'exports.handler = async () => 1;\n');
    expect(summary(project, projectOfFile(path.join(project, 'index.js'))!.functions)).toEqual([
      'index.js#handler 6s (default) serverless serverless.yml:6',
    ]);
  });

  it('reads functions declared after a resources block of CloudFormation, at their own lines', () => {
    const project = emptyProject();
    writeFileSync(
      path.join(project, 'serverless.yml'),
      [
        'service: s',
        'provider:',
        '  name: aws',
        '  timeout: 12',
        'resources:',
        '  Resources:',
        '    Db:',
        '      Type: AWS::RDS::DBInstance',
        '      Properties:',
        '        DBSubnetGroupName: !Ref Subnets',
        '# the API',
        '    Bucket: { Type: AWS::S3::Bucket }',
        'functions:',
        '  api:',
        '    handler: src/api.main',
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(project, 'src'));
    writeFileSync(path.join(project, 'src/api.js'), 'exports.main = async () => 1;\n');
    expect(summary(project, projectOfFile(path.join(project, 'src/api.js'))!.functions)).toEqual([
      'src/api.js#main 12s serverless serverless.yml:15',
    ]);
  });

  it('reads anchors and merge keys, also in an included file whose aliases share one mapping in many places', () => {
    const project = emptyProject();
    writeFileSync(
      path.join(project, 'serverless.yml'),
      ['service: s', 'provider:', '  name: aws', 'functions: ${file(./functions.yml)}', ''].join('\n'),
    );
    // Six levels of 200 aliases each: walking every path through them would never end.
    const lines = ['defaults: &defaults', '  timeout: 9', 'l0: &l0 { a: 1 }'];
    for (let level = 1; level <= 6; level++) {
      lines.push(`l${level}: &l${level} {${Array.from({ length: 200 }, (_, i) => ` k${i}: *l${level - 1}`).join(',')} }`);
    }
    lines.push('read:', '  <<: *defaults', '  handler: src/orders.read', '  extra: *l6', '');
    writeFileSync(path.join(project, 'functions.yml'), lines.join('\n'));
    mkdirSync(path.join(project, 'src'));
    writeFileSync(path.join(project, 'src/orders.js'), 'exports.read = async () => 1;\n');
    expect(summary(project, projectOfFile(path.join(project, 'src/orders.js'))!.functions)).toEqual([
      'src/orders.js#read 9s serverless functions.yml:12',
    ]);
  });

  it('evaluates serverless.ts with imported function definitions, tsconfig paths and handlerPath(__dirname)', () => {
    const tsRoot = fixtureProject('serverless-ts');
    const handler = path.join(tsRoot, 'src/functions/get-user/handler.ts');
    expect(summary(tsRoot, projectOfFile(handler)!.declarationsFor(handler))).toEqual([
      'src/functions/get-user/handler.ts#main 15s serverless src/functions/get-user/index.ts:4',
    ]);
  });
});

describe('AWS SAM and CloudFormation', () => {
  const root = fixtureProject('sam');

  it('reads Handler with CodeUri and Globals, CloudFormation tags, build paths and esbuild entry points', () => {
    const view = projectOfFile(path.join(root, 'hello/app.ts'))!;
    expect(summary(root, view.functions)).toEqual([
      'hello/app.ts#lambdaHandler 12s sam template.yaml:15',
      'orders/index.js#handler 45s sam template.yaml:27',
      'raw/main.js#run 3s (default) cloudformation template.yaml:42',
    ]);
    expect(view.layers).toEqual([path.join(root, 'layers/db')]);
  });

  it('reads Amplify function templates (code in src/)', () => {
    const amplify = fixtureProject('amplify');
    const file = path.join(amplify, 'amplify/backend/function/getPost/src/index.js');
    expect(summary(amplify, projectOfFile(file)!.declarationsFor(file))).toEqual([
      'amplify/backend/function/getPost/src/index.js#handler 25s amplify amplify/backend/function/getPost/getPost-cloudformation-template.json:8',
    ]);
  });
});

describe('AWS CDK', () => {
  const root = fixtureProject('cdk');

  it('reads lambda.Function, NodejsFunction (default entry and handler), subclasses, timeouts and layers', () => {
    const view = projectOfFile(path.join(root, 'functions/users.ts'))!;
    expect(summary(root, view.functions)).toEqual([
      'functions/reports.ts#handler 3s (default) cdk lib/api-stack.ts:38',
      'functions/users.ts#listUsers 120s cdk lib/api-stack.ts:30',
      'lambda/orders/index.js#main 20s cdk lib/api-stack.ts:22',
      'lib/api-stack.Default.ts#handler 3s (default) cdk lib/api-stack.ts:36',
    ]);
    expect(view.layers).toEqual([path.join(root, 'layers/shared')]);
  });
});

describe('AWS CDK app beside the code', () => {
  it('reads a CDK app in a direct subfolder of the root (`infra/cdk.json`) for functions elsewhere in the repository', () => {
    const root = emptyProject();
    mkdirSync(path.join(root, 'infra', 'bin'), { recursive: true });
    mkdirSync(path.join(root, 'infra', 'lib'), { recursive: true });
    mkdirSync(path.join(root, 'services', 'orders'), { recursive: true });
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    writeFileSync(path.join(root, 'infra', 'cdk.json'), '{ "app": "npx ts-node bin/app.ts" }\n');
    writeFileSync(
      path.join(root, 'infra', 'bin', 'app.ts'),
      "import * as cdk from 'aws-cdk-lib';\nimport { OrdersStack } from '../lib/orders-stack';\nnew OrdersStack(new cdk.App(), 'Orders');\n",
    );
    writeFileSync(
      path.join(root, 'infra', 'lib', 'orders-stack.ts'),
      [
        "import * as path from 'path';",
        "import { Duration, Stack } from 'aws-cdk-lib';",
        "import * as lambda from 'aws-cdk-lib/aws-lambda';",
        'export class OrdersStack extends Stack {',
        '  constructor(scope: any, id: string) {',
        '    super(scope, id);',
        "    new lambda.Function(this, 'Orders', {",
        '      runtime: lambda.Runtime.NODEJS_20_X,',
        "      handler: 'index.main',",
        "      code: lambda.Code.fromAsset(path.join(__dirname, '../../services/orders')),",
        '      timeout: Duration.seconds(9),',
        '    });',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(root, 'services', 'orders', 'index.js'), 'exports.main = async () => 1;\n');
    // A subfolder without a CDK app, and a file named like one deeper down, declare nothing.
    writeFileSync(path.join(root, 'docs', 'cdk.md'), '# cdk.json\n');
    const file = path.join(root, 'services', 'orders', 'index.js');
    const declared = projectOfFile(file)!.declarationsFor(file);
    expect(summary(root, declared)).toEqual(['services/orders/index.js#main 9s cdk infra/lib/orders-stack.ts:7']);
  });
});

/**
 * A CDK app (`cdk.json`, `bin/app.ts`) with one stack, `lib/stack.ts`, whose constructor holds `construct` at line 7,
 * and an empty folder `codeDir` for the functions; returns the root.
 */
function cdkApp(codeDir: string, construct: string): string {
  const root = emptyProject();
  for (const dir of ['bin', 'lib', codeDir]) mkdirSync(path.join(root, dir));
  writeFileSync(path.join(root, 'cdk.json'), '{ "app": "npx ts-node bin/app.ts" }\n');
  writeFileSync(
    path.join(root, 'bin', 'app.ts'),
    "import * as cdk from 'aws-cdk-lib';\nimport { AppStack } from '../lib/stack';\nnew AppStack(new cdk.App(), 'App');\n",
  );
  writeFileSync(
    path.join(root, 'lib', 'stack.ts'),
    [
      "import * as path from 'path';",
      "import { Stack } from 'aws-cdk-lib';",
      "import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';",
      'export class AppStack extends Stack {',
      '  constructor(scope: any, id: string) {',
      '    super(scope, id);',
      `    ${construct}`,
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return root;
}

describe('declarations of one export', () => {
  const fixtures = ['amplify', 'cdk', 'sam', 'serverless-ts', 'serverless-yml', 'timeouts-cdk', 'timeouts-sam', 'timeouts-serverless'];

  it.each(fixtures)('finds every function of %s when asked for its file and export', (name) => {
    const root = fixtureProject(name);
    const all = projectOfFile(path.join(root, 'package.json'))!.functions;
    expect(all.length).toBeGreaterThan(0);
    for (const fn of all) {
      clearProjectCaches();
      expect(projectOfFile(fn.file)!.declarationsFor(fn.file, fn.exportName), `${fn.file}#${fn.exportName}`).toContainEqual(fn);
    }
  });

  it('does not read a YAML descriptor, or the files it includes, that mention the file but not `<module>.<export>`', () => {
    const project = emptyProject();
    mkdirSync(path.join(project, 'src'));
    writeFileSync(
      path.join(project, 'serverless.yml'),
      'provider:\n  name: aws\n  runtime: nodejs${file(.nvmrc)}.x\n  environment:\n    HOST: ${self:custom.db.host}\ncustom:\n  db:\n    host: h\nfunctions: ${file(./functions.yml)}\n',
    );
    writeFileSync(path.join(project, '.nvmrc'), '20\n');
    writeFileSync(path.join(project, 'functions.yml'), 'read:\n  handler: src/orders.read\n');
    writeFileSync(path.join(project, 'src', 'db.js'), 'exports.query = async () => 1;\n');
    writeFileSync(path.join(project, 'src', 'orders.js'), 'exports.read = async () => 1;\nexports.helper = () => 2;\n');
    const db = path.join(project, 'src', 'db.js');
    const orders = path.join(project, 'src', 'orders.js');
    expect(projectOfFile(db)!.declarationsFor(db, 'query')).toEqual([]);
    expect(projectOfFile(orders)!.declarationsFor(orders, 'helper')).toEqual([]);
    expect(projectCacheStats().descriptor!.size).toBe(0);
    expect(summary(project, projectOfFile(orders)!.declarationsFor(orders, 'read'))).toEqual([
      'src/orders.js#read 6s (default) serverless functions.yml:2',
    ]);
    // An include whose path is built from variables, or that is code, could declare anything: the descriptor is read.
    for (const include of ['./functions-${opt:stage}.yml', './functions.js']) {
      writeFileSync(path.join(project, 'serverless.yml'), `provider:\n  name: aws\nfunctions: \${file(${include})}\n`);
      clearProjectCaches();
      expect(projectOfFile(db)!.declarationsFor(db, 'query')).toEqual([]);
      expect(projectCacheStats().descriptor!.size, include).toBe(1);
    }
  });

  it('reads the files a YAML descriptor includes from where the reader reads them, nested includes too', () => {
    const project = emptyProject();
    for (const dir of ['src', 'config']) mkdirSync(path.join(project, dir));
    // Include paths are relative to the service folder, also in an included file.
    writeFileSync(path.join(project, 'serverless.yml'), 'provider:\n  name: aws\nfunctions: ${file(./config/functions.yml)}\n');
    writeFileSync(path.join(project, 'config', 'functions.yml'), "read: ${file('./config/read.yml')}\n");
    writeFileSync(path.join(project, 'config', 'read.yml'), 'handler: src/orders.read\ntimeout: 9\n');
    writeFileSync(path.join(project, 'src', 'orders.js'), 'exports.read = async () => 1;\n');
    const orders = path.join(project, 'src', 'orders.js');
    expect(summary(project, projectOfFile(orders)!.declarationsFor(orders))).toEqual(['src/orders.js#read 9s serverless config/read.yml:1']);
    clearProjectCaches();
    expect(summary(project, projectOfFile(orders)!.declarationsFor(orders, 'read'))).toEqual(['src/orders.js#read 9s serverless config/read.yml:1']);
  });

  it('does not read a CDK stack that mentions the file but not the export, unless it is the default `handler`', () => {
    const root = cdkApp('functions', "new NodejsFunction(this, 'Users', { entry: path.join(__dirname, '../functions/users.ts') });");
    const users = path.join(root, 'functions', 'users.ts');
    writeFileSync(users, 'export const handler = async () => 1;\nexport const formatUser = () => 2;\n');
    expect(projectOfFile(users)!.declarationsFor(users, 'formatUser')).toEqual([]);
    expect(projectCacheStats().descriptor!.size).toBe(0);
    expect(summary(root, projectOfFile(users)!.declarationsFor(users, 'handler'))).toEqual([
      'functions/users.ts#handler 3s (default) cdk lib/stack.ts:7',
    ]);
  });

  it('finds files and exports whose names hold characters special in a pattern (`[id].ts`, `$main`), and only those', () => {
    const root = cdkApp('routes', "new NodejsFunction(this, 'Item', { entry: path.join(__dirname, '../routes/[id].ts'), handler: '$main' });");
    const item = path.join(root, 'routes', '[id].ts');
    const other = path.join(root, 'routes', 'i.ts');
    writeFileSync(item, 'export const $main = async () => 1;\nexport const main = async () => 2;\n');
    writeFileSync(other, 'export const $main = async () => 1;\n');
    expect(summary(root, projectOfFile(item)!.declarationsFor(item, '$main'))).toEqual(['routes/[id].ts#$main 3s (default) cdk lib/stack.ts:7']);
    // `main` is not a string of the stack on its own, and nothing names `i.ts`: no descriptor is read for either.
    clearProjectCaches();
    expect(projectOfFile(item)!.declarationsFor(item, 'main')).toEqual([]);
    expect(projectOfFile(other)!.declarationsFor(other, '$main')).toEqual([]);
    expect(projectCacheStats().descriptor!.size).toBe(0);
  });
});

describe('project root and caches', () => {
  it('is the nearest folder with .git above the file', () => {
    const root = fixtureProject('sam');
    expect(projectRoot(path.join(root, 'hello'))).toBe(root);
  });

  it('sees a descriptor change (modification time) without a restart', () => {
    const project = emptyProject();
    const descriptor = path.join(project, 'serverless.yml');
    writeFileSync(path.join(project, 'index.js'), 'exports.a = async () => 1;\nexports.b = async () => 2;\n');
    writeFileSync(descriptor, 'provider:\n  name: aws\nfunctions:\n  f:\n    handler: index.a\n');
    const file = path.join(project, 'index.js');
    expect(projectOfFile(file)!.declarationsFor(file).map((f) => f.exportName)).toEqual(['a']);
    writeFileSync(descriptor, 'provider:\n  name: aws\nfunctions:\n  f:\n    handler: index.b\n');
    const later = new Date(Date.now() + 5000);
    utimesSync(descriptor, later, later);
    expect(projectOfFile(file)!.declarationsFor(file).map((f) => f.exportName)).toEqual(['b']);
  });

  it('keeps every cache within its bound', () => {
    for (const [name, stats] of Object.entries(projectCacheStats())) {
      expect(stats.size, name).toBeLessThanOrEqual(stats.max);
      if (stats.maxWeight !== undefined) expect(stats.weight, name).toBeLessThanOrEqual(stats.maxWeight);
    }
  });

  it('reads nothing for a folder outside any project with descriptors', () => {
    const project = emptyProject();
    writeFileSync(path.join(project, 'index.js'), 'exports.handler = async () => 1;\n');
    const view = projectOfFile(path.join(project, 'index.js'))!;
    expect(view.descriptors).toEqual([]);
    expect(view.functions).toEqual([]);
  });
});
