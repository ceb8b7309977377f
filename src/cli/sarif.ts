/**
 * The SARIF 2.1.0 log of `lambda-rds scan`, written here rather than through an ESLint formatter: the log is a
 * small JSON document, and code-scanning services (GitHub, Azure DevOps, SonarQube) need only a few parts of it.
 *
 * - `tool.driver`: name, version, information URI, and every rule that ran, each with its short description, a full
 *   description (the first paragraph of its doc page), `helpUri` and default level.
 * - `results`: rule id and index, level, message, and a physical location whose artifact URI is relative to the
 *   `%SRCROOT%` base (the directory the scan ran in), with a region of start and end line and column. Files outside
 *   that directory keep an absolute `file://` URI.
 * - `partialFingerprints`: a hash of the rule, the file and the code of the reported lines (string contents masked,
 *   white space folded) plus an ordinal among equal hashes in the file, so a finding keeps its fingerprint when lines
 *   above it move, and no fingerprint is derived from a secret's value.
 * - `invocations[0]`: whether the run succeeded, and skipped or failed files as tool execution notifications.
 *
 * Source code is never copied into the log: the scanned files are what the plugin searches for passwords.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import { rules } from '../rules/index.js';
import { NAMESPACE, REPOSITORY_URL, VERSION } from '../meta.js';
import type { LintOutcome } from './lint.js';

const SRCROOT = '%SRCROOT%';
const FINGERPRINT = 'lambdaRds/v1';
const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

type RuleName = keyof typeof rules;

export function renderSarif(outcome: LintOutcome, cwd: string): string {
  const ruleIds = [...outcome.rules];
  const ruleIndex = new Map(ruleIds.map((id, index) => [id, index]));
  const root = withTrailingSlash(pathToFileURL(cwd).href);
  const artifactIndex = new Map<string, number>();
  const artifacts: Sarif.Artifact[] = [];

  const artifactLocation = (file: string): Sarif.ArtifactLocation => {
    const relative = path.relative(cwd, file);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
      return { uri: pathToFileURL(file).href };
    }
    return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  };
  const indexedLocation = (file: string): Sarif.ArtifactLocation => {
    let index = artifactIndex.get(file);
    if (index === undefined) {
      index = artifacts.length;
      artifactIndex.set(file, index);
      artifacts.push({ location: artifactLocation(file) });
    }
    return { ...artifactLocation(file), index };
  };

  const results: Sarif.Result[] = [];
  for (const { file, findings, text } of outcome.files) {
    const lines = text.split(/\r\n|[\r\n\u2028\u2029]/);
    const seen = new Map<string, number>();
    for (const finding of findings) {
      const { uri } = artifactLocation(file);
      const hash = fingerprintHash(finding.ruleId, uri ?? file, finding.message, lines, finding.line, finding.endLine);
      const ordinal = seen.get(hash) ?? 0;
      seen.set(hash, ordinal + 1);
      const region: Sarif.Region = { startLine: finding.line, startColumn: finding.column };
      if (finding.endLine !== undefined) region.endLine = finding.endLine;
      if (finding.endColumn !== undefined) region.endColumn = finding.endColumn;
      results.push({
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId) ?? -1,
        level: 'error',
        message: { text: finding.message },
        locations: [{ physicalLocation: { artifactLocation: indexedLocation(file), region } }],
        partialFingerprints: { [FINGERPRINT]: `${hash}:${ordinal}` },
      });
    }
  }

  const notification = (
    id: string,
    level: Sarif.Notification.level,
    file: string,
    message: string,
    line?: number,
    column?: number,
  ): Sarif.Notification => ({
    descriptor: { id },
    level,
    message: { text: message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(file),
          ...(line ? { region: { startLine: line, ...(column ? { startColumn: column } : {}) } } : {}),
        },
      },
    ],
  });
  const notifications = [
    ...outcome.skipped.map((s) => notification(s.reason, 'warning', s.file, s.message, s.line, s.column)),
    ...outcome.failed.map((f) => notification('internal-error', 'error', f.file, f.message)),
  ];

  const log: Sarif.Log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: NAMESPACE,
            fullName: 'eslint-plugin-lambda-rds',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: REPOSITORY_URL,
            rules: ruleIds.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: root } },
        artifacts,
        results,
        invocations: [
          {
            executionSuccessful: outcome.failed.length === 0,
            ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(id: string): Sarif.ReportingDescriptor {
  const name = id.slice(NAMESPACE.length + 1) as RuleName;
  const docs = rules[name].meta.docs as { description: string; url?: string };
  return {
    id,
    name,
    shortDescription: { text: `${docs.description}.` },
    fullDescription: { text: fullDescription(name) ?? `${docs.description}.` },
    ...(docs.url ? { helpUri: docs.url } : {}),
    defaultConfiguration: { level: 'error' },
  };
}

const descriptions = new Map<string, string | undefined>();

/** The first paragraph of the rule's doc page (shipped with the package), as plain text. */
function fullDescription(name: string): string | undefined {
  if (descriptions.has(name)) return descriptions.get(name);
  let text: string | undefined;
  try {
    const doc = readFileSync(fileURLToPath(new URL(`../../docs/rules/${name}.md`, import.meta.url)), 'utf8');
    const body = doc.split('<!-- end auto-generated rule header -->')[1] ?? '';
    const paragraph = body
      .split(/\r?\n\s*\r?\n/)
      .map((block) => block.trim())
      .find((block) => block !== '' && !/^[#|<`-]/.test(block));
    text = paragraph?.replace(/\s*\r?\n\s*/g, ' ');
  } catch {
    text = undefined;
  }
  descriptions.set(name, text);
  return text;
}

/** String, template and regular-expression contents are masked; white space is folded. */
function maskedLine(line: string): string {
  return line
    .replace(/(["'`])(?:\\.|(?!\1)[^\\])*\1?/g, '$1$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function fingerprintHash(
  ruleId: string,
  uri: string,
  message: string,
  lines: readonly string[],
  startLine: number,
  endLine: number | undefined,
): string {
  const last = Math.min(endLine ?? startLine, startLine + 4);
  const code = lines.slice(startLine - 1, last).map(maskedLine).join('\n');
  return createHash('sha256').update(`${ruleId}\0${uri}\0${message}\0${code}`).digest('hex').slice(0, 32);
}

function withTrailingSlash(uri: string): string {
  return uri.endsWith('/') ? uri : `${uri}/`;
}
