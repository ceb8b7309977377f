/**
 * `lambda-rds scan --list-handlers`: the Lambda handlers the rules see in each scanned file, and where each is
 * declared. The files are parsed exactly as a scan parses them, and the handlers come from the same shared analysis
 * the rules use (core/analysis.ts): deployment descriptors read from each file's folder up to its project root,
 * handler names, wrappers and types.
 */
import type { Rule } from 'eslint';
import { getHandlers } from '../core/analysis.js';
import type { LambdaHandler } from '../core/lambda/handlers.js';
import { displayPath } from './files.js';
import { lintFiles } from './lint.js';

export interface ListedDeclaration {
  /** The descriptor (absolute path) and the line the function is declared on. */
  readonly file: string;
  readonly line: number | undefined;
  readonly kind: string;
  /** The function's name in the descriptor. */
  readonly name: string;
  readonly timeout: number;
  readonly timeoutDeclared: boolean;
}

export interface ListedHandler {
  /** Absolute path of the file. */
  readonly file: string;
  readonly exportName: string;
  /** Why it is a handler: `declared` (a descriptor names it), `name`, `wrapper`, `type` or `signature`. */
  readonly reason: LambdaHandler['reason'];
  /** The line of the export. */
  readonly line: number;
  readonly declarations: readonly ListedDeclaration[];
}

export interface HandlerListing {
  readonly handlers: ListedHandler[];
  readonly filesScanned: number;
  /** Files that could not be read or parsed. */
  readonly skipped: Array<{ file: string; message: string }>;
}

export async function listHandlers(files: readonly string[]): Promise<HandlerListing> {
  const found = new Map<string, ListedHandler[]>();
  const collector: Rule.RuleModule = {
    meta: { type: 'problem', schema: [] },
    create(context) {
      return {
        'Program:exit'() {
          const handlers = getHandlers(context as never);
          found.set(
            context.physicalFilename,
            handlers.map((h) => ({
              file: context.physicalFilename,
              exportName: h.name,
              // A descriptor's word counts most: it is what deploys the export.
              reason: h.declarations.length > 0 ? 'declared' : h.reason,
              line: h.exportNode.loc.start.line,
              declarations: h.declarations.map((d) => ({
                file: d.declaredAt.file,
                line: d.declaredAt.line,
                kind: d.declaredAt.kind,
                name: d.name,
                timeout: d.timeout,
                timeoutDeclared: d.timeoutDeclared,
              })),
            })),
          );
        },
      };
    },
  };
  // Linted exactly as a scan lints (each file parsed as Node.js runs it), with no rule of the plugin on: only the
  // collector runs.
  const outcome = await lintFiles(files, [], {
    rules: [],
    extraConfig: [
      {
        name: 'lambda-rds/cli/list-handlers',
        plugins: { 'lambda-rds-cli': { rules: { handlers: collector } } },
        rules: { 'lambda-rds-cli/handlers': 'error' },
      },
    ],
  });
  const skipped = [...outcome.skipped, ...outcome.failed].map(({ file, message }) => ({ file, message }));
  const filesScanned = outcome.filesLinted;
  const handlers = files.flatMap((file) => found.get(file) ?? []);
  return { handlers, filesScanned, skipped };
}

/** One block per file with handlers: `export  reason  declared at descriptor:line (function name, timeout)`. */
export function renderHandlerText(listing: HandlerListing, cwd: string): string {
  const blocks: string[] = [];
  const byFile = new Map<string, ListedHandler[]>();
  for (const handler of listing.handlers) {
    const list = byFile.get(handler.file);
    if (list) list.push(handler);
    else byFile.set(handler.file, [handler]);
  }
  for (const [file, handlers] of byFile) {
    const width = Math.max(...handlers.map((h) => `${h.line}  ${h.exportName}`.length));
    const lines = handlers.flatMap((h) => {
      const head = `  ${`${h.line}  ${h.exportName}`.padEnd(width)}  ${REASONS[h.reason]}`;
      const declared = h.declarations.map(
        (d) =>
          `      declared in ${displayPath(d.file, cwd)}${d.line ? `:${d.line}` : ''} (${d.kind} function ${d.name}, timeout ${d.timeout} s${d.timeoutDeclared ? '' : ', the default'})`,
      );
      return [head, ...declared];
    });
    blocks.push([displayPath(file, cwd), ...lines].join('\n'));
  }
  const n = listing.handlers.length;
  const summary = `${n} ${n === 1 ? 'handler' : 'handlers'} in ${byFile.size} ${byFile.size === 1 ? 'file' : 'files'} (${listing.filesScanned} ${listing.filesScanned === 1 ? 'file' : 'files'} scanned${listing.skipped.length ? `, ${listing.skipped.length} skipped` : ''}).`;
  return `${[...blocks, summary].join('\n\n')}\n`;
}

const REASONS: Record<LambdaHandler['reason'], string> = {
  declared: 'named by a deployment descriptor',
  name: 'named like a handler',
  wrapper: 'wrapped by a Lambda wrapper',
  type: 'typed with an aws-lambda type',
  signature: 'default export with (event, context)',
};

/** `{ version, handlers: [{ path, export, line, reason, declarations: [{ path, line, kind, function, timeout, timeoutDeclared }] }], summary }`. */
export function renderHandlerJson(listing: HandlerListing, cwd: string): string {
  const report = {
    version: 1,
    handlers: listing.handlers.map((h) => ({
      path: displayPath(h.file, cwd),
      export: h.exportName,
      line: h.line,
      reason: h.reason,
      declarations: h.declarations.map((d) => ({
        path: displayPath(d.file, cwd),
        line: d.line ?? null,
        kind: d.kind,
        function: d.name,
        timeout: d.timeout,
        timeoutDeclared: d.timeoutDeclared,
      })),
    })),
    summary: { handlers: listing.handlers.length, filesScanned: listing.filesScanned, skipped: listing.skipped.length },
    skipped: listing.skipped.map((s) => ({ path: displayPath(s.file, cwd), message: s.message })),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
}
