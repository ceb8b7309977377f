/**
 * AWS SAM and CloudFormation templates (YAML with the short-form intrinsic tags, or JSON), Amplify's function
 * templates among them: `AWS::Serverless::Function` (`Handler` relative to `CodeUri`, `Timeout`, `Runtime`, with
 * `Globals.Function` defaults; SAM's default timeout is 3 seconds), `AWS::Lambda::Function` (`Handler` relative to
 * a local `Code` path or the asset path in its metadata; Amplify's functions keep their code in `src/`), and layers
 * (`AWS::Serverless::LayerVersion` `ContentUri`, `AWS::Lambda::LayerVersion` `Content`).
 */
import path from 'node:path';
import { readText } from '../fs.js';
import { resolveHandler, resolveSourceDir, SOURCE_FILE } from '../paths.js';
import { DEFAULT_TIMEOUTS, type DescriptorFacts, type DescriptorKind, type FunctionDeclaration, type LayerDeclaration } from '../types.js';
import { lineOf, readJson, readYaml } from './yaml.js';

/** A cheap test on a YAML or JSON file's text: does it declare Lambda functions or layers? */
export function mayBeTemplate(text: string): boolean {
  return /AWS::(?:Serverless|Lambda)::(?:Function|LayerVersion)/.test(text);
}

export function templateFacts(file: string): DescriptorFacts {
  const text = readText(file);
  if (text === undefined || !mayBeTemplate(text)) return { functions: [], layers: [] };
  const template = /\.json$/i.test(file) ? readJson(text) : readYaml(text);
  if (!isObject(template) || !isObject(template.Resources)) return { functions: [], layers: [] };
  const dir = path.dirname(file);
  const amplify = /[\\/]amplify[\\/]backend[\\/]function[\\/][^\\/]+$/.test(dir);
  const globals = isObject(template.Globals) && isObject(template.Globals.Function) ? template.Globals.Function : {};
  const functions: FunctionDeclaration[] = [];
  const layers: LayerDeclaration[] = [];

  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!isObject(resource) || !isObject(resource.Properties ?? {})) continue;
    const props = (resource.Properties ?? {}) as Record<string, unknown>;
    const type = resource.Type;
    if (type === 'AWS::Serverless::Function' || type === 'AWS::Lambda::Function') {
      const sam = type === 'AWS::Serverless::Function';
      const kind: DescriptorKind = amplify ? 'amplify' : sam ? 'sam' : 'cloudformation';
      if ((props.PackageType ?? globals.PackageType) === 'Image') continue;
      const runtime = text_(props.Runtime) ?? text_(globals.Runtime);
      if (runtime && OTHER_RUNTIME.test(runtime)) continue;
      const handler = text_(props.Handler) ?? (sam ? text_(globals.Handler) : undefined);
      if (!handler) continue;
      const codeDir = sam ? samCodeDir(dir, props.CodeUri ?? globals.CodeUri) : lambdaCodeDir(dir, props.Code, resource.Metadata, amplify);
      if (!codeDir) continue;
      const resolved = resolveHandler(codeDir, handler) ?? esbuildEntry(codeDir, handler, resource.Metadata);
      if (!resolved) continue;
      const own = seconds(props.Timeout) ?? (sam ? seconds(globals.Timeout) : undefined);
      functions.push({
        name: logicalId,
        file: resolved.file,
        exportName: resolved.exportName,
        timeout: own ?? DEFAULT_TIMEOUTS[kind],
        timeoutDeclared: own !== undefined,
        declaredAt: { file, line: lineOf(props, 'Handler') ?? lineOf(template.Resources, logicalId), kind },
      });
    } else if (type === 'AWS::Serverless::LayerVersion' || type === 'AWS::Lambda::LayerVersion') {
      const content = text_(type === 'AWS::Serverless::LayerVersion' ? props.ContentUri : props.Content);
      if (!content || /^s3:\/\//i.test(content)) continue;
      const key = type === 'AWS::Serverless::LayerVersion' ? 'ContentUri' : 'Content';
      layers.push({
        contentDir: path.resolve(dir, content),
        declaredAt: { file, line: lineOf(props, key), kind: type === 'AWS::Serverless::LayerVersion' ? 'sam' : 'cloudformation' },
      });
    }
  }
  return { functions, layers };
}

/** SAM `CodeUri`: a local folder (default: the template's), not an S3 location. */
function samCodeDir(dir: string, codeUri: unknown): string | undefined {
  if (codeUri === undefined) return dir;
  const uri = text_(codeUri);
  if (!uri || /^s3:\/\//i.test(uri)) return undefined;
  return resolveSourceDir(dir, uri) ?? path.resolve(dir, uri);
}

/** `AWS::Lambda::Function` code: a local path (before `aws cloudformation package`), the asset path, or Amplify's `src/`. */
function lambdaCodeDir(dir: string, code: unknown, metadata: unknown, amplify: boolean): string | undefined {
  const local = text_(code);
  if (local && !/^s3:\/\//i.test(local)) return resolveSourceDir(dir, local) ?? path.resolve(dir, local);
  const asset = isObject(metadata) ? text_(metadata['aws:asset:path']) : undefined;
  if (asset) return path.resolve(dir, asset);
  if (amplify) return path.join(dir, 'src');
  // Code uploaded to S3 by a build script: the package is usually built from the template's folder.
  return isObject(code) ? dir : undefined;
}

/** SAM's esbuild build: `Handler: app.handler` with `Metadata.BuildProperties.EntryPoints: [app.ts]`. */
function esbuildEntry(codeDir: string, handler: string, metadata: unknown): { file: string; exportName: string } | undefined {
  if (!isObject(metadata) || !isObject(metadata.BuildProperties)) return undefined;
  const entries = metadata.BuildProperties.EntryPoints;
  if (!Array.isArray(entries)) return undefined;
  const exportName = handler.slice(handler.lastIndexOf('.') + 1);
  for (const entry of entries) {
    const name = text_(entry);
    if (!name) continue;
    const resolved = resolveHandler(codeDir, `${name.replace(SOURCE_FILE, '')}.${exportName}`);
    if (resolved) return resolved;
  }
  return undefined;
}

function text_(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Runtimes that are not Node.js (a runtime written with variables or references is taken to be Node.js). */
const OTHER_RUNTIME = /^(?:python|java|dotnet|go|ruby|provided)/i;

function seconds(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
  if (typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
