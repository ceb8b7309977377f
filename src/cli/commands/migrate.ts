/**
 * `lambda-rds migrate <codemod> [paths..]`: runs one of the plugin's codemods over source trees, as a thin
 * wrapper over jscodeshift's Runner (parallel workers, atomic writes). Each file ends up changed, unchanged,
 * skipped (with the reason) or failed (with the error); a file that does not parse is left as it is.
 *
 * The paths may be several repositories, or a folder of checkouts: each file belongs to the git repository that
 * holds it, each repository must have a clean working tree, each file's nearest package.json gets the packages it
 * now imports, and the summary and the JSON report give totals per repository.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { nearestManifest, planDependency, type DependencyPlan } from '../../codemods/shared/packageJson.js';
import { mentionsModule } from '../../core/track.js';
import { codemods, type CodemodInfo } from '../../codemods/shared/registry.js';
import type { FileOutcome } from '../../codemods/shared/report.js';
import { parseCommandLine, renderOptions, renderTable, type OptionTable } from '../args.js';
import { UsageError } from '../errors.js';
import { IGNORED_DIRECTORIES, SOURCE_EXTENSIONS, displayPath, findSourceFiles } from '../files.js';
import type { Command, CommandIo } from './command.js';

const NAME = 'migrate';
const require = createRequire(import.meta.url);

export const migrateOptions = {
  dry: { type: 'boolean', short: 'd', description: 'Write nothing; print a unified diff of every change instead' },
  json: { type: 'string', value: 'file', description: 'Write a JSON report: every file with its status, changes and reasons' },
  force: { type: 'boolean', description: 'Run even when the git working tree has uncommitted changes (or is not a git repository)' },
  annotate: { type: 'boolean', description: 'Leave a `// TODO(lambda-rds): <reason>` comment where a change was left undone' },
  shard: { type: 'string', value: 'K/N', description: 'Only the K-th of N deterministic slices of the files (for spreading a migration over CI jobs)' },
  workers: { type: 'string', value: 'n', description: 'Number of parallel workers (default: the number of CPUs minus one)' },
  'env-var': {
    type: 'string',
    value: 'name',
    description: 'use-proxy-endpoint: the environment variable holding the RDS Proxy endpoint (default: DB_PROXY_ENDPOINT)',
  },
  'no-package-json': {
    type: 'boolean',
    description: 'iam-auth: do not add @aws-sdk/rds-signer to the nearest package.json (only report that it is needed)',
  },
  help: { type: 'boolean', short: 'h', description: 'Show this help' },
} as const satisfies OptionTable;

function help(): string {
  return `Usage: lambda-rds ${NAME} <codemod> [options] [paths..]

Rewrites JavaScript and TypeScript AWS Lambda code to fix what the rules report. Review first:
  lambda-rds ${NAME} <codemod> --dry [paths..]      # print the diff, write nothing
  lambda-rds ${NAME} <codemod> [paths..]            # apply (needs a clean git working tree, or --force)

Codemods:
${renderTable(codemods.map((c) => [c.name, `${c.description} (fixes ${c.rule})`]))}

Only what the codemod is sure of changes; everything else is left as it is and listed with the reason.
Several repositories, or a folder of checkouts, can be migrated in one run: each file belongs to the git
repository that holds it, every one of them must have a clean working tree, and the summary and --json
give totals per repository.
Files are written atomically; a file that does not parse is reported and left alone.
Files: ${SOURCE_EXTENSIONS.join(' ')}; directories named ${IGNORED_DIRECTORIES.join(' ')} are skipped.

Options:
${renderOptions(migrateOptions)}

Exit status: 0 when no file failed, 1 when some file failed, 2 for usage errors.
`;
}

export const migrateCommand: Command = {
  name: NAME,
  usage: '<codemod> [options] [paths..]',
  summary: 'Run a codemod that fixes what the rules report (dry run and diff first)',
  options: migrateOptions,
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, migrateOptions, NAME);
    if (values.help) {
      io.stdout.write(help());
      return 0;
    }
    const [name, ...paths] = positionals;
    if (!name) throw new UsageError(`Missing codemod. Codemods: ${codemods.map((c) => c.name).join(', ')}.`, NAME);
    const codemod = codemods.find((c) => c.name === name);
    if (!codemod) {
      throw new UsageError(`Unknown codemod '${name}'. Codemods: ${codemods.map((c) => c.name).join(', ')}.`, NAME);
    }
    const shard = values.shard === undefined ? undefined : parseShard(values.shard);
    const workers = values.workers === undefined ? undefined : parseWorkers(values.workers);
    const envVar = values['env-var'];
    if (envVar !== undefined) {
      if (codemod.name !== 'use-proxy-endpoint') throw new UsageError('--env-var only applies to use-proxy-endpoint.', NAME);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envVar)) {
        throw new UsageError(`--env-var must be an environment variable name (letters, digits, _), got '${envVar}'.`, NAME);
      }
    }

    if (values['no-package-json'] && !codemod.dependencies) {
      throw new UsageError(`--no-package-json only applies to codemods that add imports (iam-auth).`, NAME);
    }

    const { files: all } = await findSourceFiles(paths.length ? paths : ['.'], io.cwd);
    const files = shard ? all.filter((file) => inShard(displayPath(file, io.cwd), shard)) : all;

    const repositories = repositoriesOf(files);
    if (!values.dry && !values.force) {
      const roots = new Set(files.map((file) => repositories.get(file)));
      if (roots.size === 0) roots.add(repositoryOf(io.cwd));
      const refusals = [...roots].flatMap((root) => {
        const refusal = gitRefusal(root);
        if (!refusal) return [];
        return [roots.size > 1 && root !== undefined ? `${displayPath(root, io.cwd) || '.'}: ${refusal}` : refusal];
      });
      if (refusals.length > 0) {
        io.stderr.write(`lambda-rds: ${refusals.join('\n')}\nCommit or stash first, review with --dry, or pass --force.\n`);
        return 2;
      }
    }

    const outcomes = await runCodemod(codemod, files, {
      dry: Boolean(values.dry),
      annotate: Boolean(values.annotate),
      workers,
      codemodOptions: envVar === undefined ? {} : { envVar },
      io,
    });

    const manifests = planDependencies(codemod, outcomes);
    if (values.dry) {
      for (const outcome of outcomes) {
        if (outcome.status !== 'changed' || outcome.output === undefined) continue;
        const rel = displayPath(outcome.file, io.cwd);
        const before = readFileSync(outcome.file, 'utf8');
        io.stdout.write(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, outcome.output, '', '', { context: 3 }));
      }
      if (!values['no-package-json']) {
        for (const [manifest, { before, after }] of manifestTexts(manifests)) {
          const rel = displayPath(manifest, io.cwd);
          io.stdout.write(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, before, after, '', '', { context: 3 }));
        }
      }
    } else if (!values['no-package-json']) {
      for (const [manifest, { after }] of manifestTexts(manifests)) await writeFile(manifest, after);
    }
    const summaryStream = values.dry ? io.stderr : io.stdout;
    summaryStream.write(renderSummary(outcomes, io.cwd, Boolean(values.dry), shard, repositories));
    summaryStream.write(renderDependencies(manifests, io.cwd, Boolean(values.dry), Boolean(values['no-package-json'])));

    if (values.json) {
      const target = path.resolve(io.cwd, values.json);
      await mkdir(path.dirname(target), { recursive: true });
      const report = {
        codemod: codemod.name,
        dry: Boolean(values.dry),
        ...(shard ? { shard: `${shard.index}/${shard.count}` } : {}),
        summary: counts(outcomes),
        repositories: groupByRepository(outcomes, repositories).map(({ root, outcomes: mine }) => ({
          path: root === undefined ? null : displayPath(root, io.cwd) || '.',
          summary: counts(mine),
          files: mine.map((o) => displayPath(o.file, io.cwd)),
        })),
        files: outcomes.map(({ output: _output, ...rest }) => ({
          ...rest,
          file: displayPath(rest.file, io.cwd),
          repository: repositories.get(rest.file) === undefined ? null : displayPath(repositories.get(rest.file)!, io.cwd) || '.',
        })),
        ...(manifests.length
          ? {
              packageJson: manifests.map((m) => ({
                file: m.manifest ? displayPath(m.manifest, io.cwd) : null,
                dependency: `${m.name}@${m.version}`,
                action: m.action === 'add' && (values.dry || values['no-package-json']) ? 'needed' : m.action,
                message: m.message,
              })),
            }
          : {}),
      };
      await writeFile(target, `${JSON.stringify(report, null, 2)}\n`);
    }
    return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  },
};

/**
 * The packages changed files now import, planned once per nearest package.json (missing ones are added there after
 * the run; the workers never write manifests).
 */
function planDependencies(codemod: CodemodInfo, outcomes: readonly FileOutcome[]): DependencyPlan[] {
  const wanted = new Map<string, { manifest: string | undefined; names: Set<string> }>();
  for (const outcome of outcomes) {
    if (outcome.status !== 'changed' || !outcome.dependencies?.length) continue;
    const manifest = nearestManifest(outcome.file);
    const key = manifest ?? `(none):${outcome.file}`;
    const entry = wanted.get(key) ?? { manifest, names: new Set<string>() };
    for (const name of outcome.dependencies) entry.names.add(name);
    wanted.set(key, entry);
  }
  /** Whether a file of the run under the manifest still imports `module` (after the run, or as the dry run left it). */
  const stillImported = (manifest: string | undefined, module: string): boolean =>
    outcomes.some((outcome) => {
      if (nearestManifest(outcome.file) !== manifest) return false;
      let text: string;
      try {
        text = outcome.output ?? readFileSync(outcome.file, 'utf8');
      } catch {
        return false;
      }
      return mentionsModule(text, [module]);
    });
  const plans: DependencyPlan[] = [];
  for (const { manifest, names } of wanted.values()) {
    let text: string | undefined;
    for (const name of names) {
      const version = codemod.dependencies?.[name];
      if (!version) continue;
      const replaced = codemod.replaces?.[name];
      const replaces = replaced !== undefined && !stillImported(manifest, replaced) ? replaced : undefined;
      // Several packages for one manifest: each plan starts from the text the previous one produced.
      const plan = planDependency(manifest, name, version, text, replaces);
      if (plan.action === 'add') text = plan.after;
      plans.push(plan);
    }
  }
  return plans;
}

/** The new text of each manifest: its last addition's, which contains the earlier ones. */
function manifestTexts(plans: readonly DependencyPlan[]): Map<string, { before: string; after: string }> {
  const texts = new Map<string, { before: string; after: string }>();
  for (const plan of plans) {
    if (plan.action !== 'add' || !plan.manifest) continue;
    const before = texts.get(plan.manifest)?.before ?? plan.before!;
    texts.set(plan.manifest, { before, after: plan.after! });
  }
  return texts;
}

function renderDependencies(plans: readonly DependencyPlan[], cwd: string, dry: boolean, skip: boolean): string {
  const lines: string[] = [];
  for (const plan of plans) {
    const where = plan.manifest ? displayPath(plan.manifest, cwd) : 'package.json';
    if (plan.action === 'present') continue;
    if (plan.action === 'add' && skip) lines.push(`${where}: needs "${plan.name}": "${plan.version}" in its dependencies (not added: --no-package-json)`);
    else if (plan.action === 'add' && plan.replaced) {
      lines.push(`${where}: ${dry ? 'would replace' : 'replaced'} ${plan.replaced} with "${plan.name}": "${plan.version}" in its dependencies`);
    } else if (plan.action === 'add') lines.push(`${where}: ${dry ? 'would add' : 'added'} "${plan.name}": "${plan.version}" to its dependencies`);
    else lines.push(`${where}: ${plan.message}`);
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

interface Shard {
  readonly index: number;
  readonly count: number;
}

function parseShard(value: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be K/N with 1 <= K <= N, for example 1/4 (got '${value}').`, NAME);
  }
  return { index, count };
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--workers must be a positive integer (got '${value}').`, NAME);
  return n;
}

/** FNV-1a of the path as the user sees it: a file stays in its shard when other files are added or removed. */
function inShard(relativePath: string, shard: Shard): boolean {
  let hash = 0x811c9dc5;
  for (let i = 0; i < relativePath.length; i++) {
    hash ^= relativePath.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shard.count === shard.index - 1;
}

/** The root of the git working tree that holds a file or directory (the nearest directory with `.git`). */
function repositoryOf(target: string): string | undefined {
  for (let dir = target; ; ) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Each file's repository root (undefined outside git). */
function repositoriesOf(files: readonly string[]): Map<string, string | undefined> {
  const byDirectory = new Map<string, string | undefined>();
  const out = new Map<string, string | undefined>();
  for (const file of files) {
    const dir = path.dirname(file);
    if (!byDirectory.has(dir)) byDirectory.set(dir, repositoryOf(dir));
    out.set(file, byDirectory.get(dir));
  }
  return out;
}

function groupByRepository(
  outcomes: readonly FileOutcome[],
  repositories: ReadonlyMap<string, string | undefined>,
): Array<{ root: string | undefined; outcomes: FileOutcome[] }> {
  const groups = new Map<string | undefined, FileOutcome[]>();
  for (const outcome of outcomes) {
    const root = repositories.get(outcome.file) ?? repositoryOf(path.dirname(outcome.file));
    groups.set(root, [...(groups.get(root) ?? []), outcome]);
  }
  return [...groups].map(([root, mine]) => ({ root, outcomes: mine }));
}

/** Why writing now would be unsafe: uncommitted changes (they would mix with the codemod's), or no git at all. */
function gitRefusal(root: string | undefined): string | undefined {
  if (root === undefined) return 'not inside a git working tree, so the changes could not be reviewed or undone with git.';
  let status: string;
  try {
    status = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return 'not inside a git working tree, so the changes could not be reviewed or undone with git.';
  }
  const dirty = status.split('\n').filter(Boolean);
  if (dirty.length === 0) return undefined;
  const shown = dirty.slice(0, 5).map((line) => `  ${line}`).join('\n');
  const more = dirty.length > 5 ? `\n  ... and ${dirty.length - 5} more` : '';
  return `the git working tree has uncommitted changes, which the migration would mix with its own:\n${shown}${more}`;
}

interface RunOptions {
  readonly dry: boolean;
  readonly annotate: boolean;
  readonly workers: number | undefined;
  /** Options of the codemod itself (`envVar`). */
  readonly codemodOptions: Readonly<Record<string, unknown>>;
  readonly io: CommandIo;
}

async function runCodemod(codemod: CodemodInfo, files: readonly string[], options: RunOptions): Promise<FileOutcome[]> {
  if (files.length === 0) return [];
  if (!existsSync(codemod.transformPath)) throw new Error(`the ${codemod.name} transform is missing at ${codemod.transformPath}`);
  const reportFile = path.join(os.tmpdir(), `lambda-rds-migrate-${randomUUID()}.jsonl`);
  const runner = require('jscodeshift/src/Runner.js') as {
    run(transform: string, paths: string[], options: Record<string, unknown>): Promise<unknown>;
  };
  const progress = options.io.stderr.isTTY ? startProgress(options.io, reportFile, files.length) : undefined;
  try {
    await runner.run(codemod.transformPath, [...files], {
      dry: options.dry,
      print: false,
      silent: true,
      verbose: 0,
      babel: false,
      ...(options.workers ? { cpus: options.workers } : {}),
      annotate: options.annotate,
      ...options.codemodOptions,
      lambdaRdsReport: reportFile,
      lambdaRdsOutputs: options.dry,
    });
  } finally {
    progress?.stop();
  }
  const lines = existsSync(reportFile) ? readFileSync(reportFile, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(reportFile, { force: true });
  const byFile = new Map<string, FileOutcome>();
  for (const line of lines) {
    const outcome = JSON.parse(line) as FileOutcome;
    byFile.set(path.resolve(outcome.file), outcome);
  }
  // A file the workers never reported on failed before the transform could say anything (unreadable file).
  return files.map(
    (file) =>
      byFile.get(file) ?? {
        file,
        codemod: codemod.name,
        status: 'failed' as const,
        changes: [],
        reasons: [],
        error: 'the file could not be processed (unreadable, or the worker stopped)',
      },
  );
}

function startProgress(io: CommandIo, reportFile: string, total: number): { stop(): void } {
  const width = 30;
  const draw = () => {
    let done = 0;
    try {
      done = readFileSync(reportFile, 'utf8').split('\n').filter(Boolean).length;
    } catch {
      done = 0;
    }
    const filled = Math.round((done / total) * width);
    io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`);
  };
  const timer = setInterval(draw, 200);
  return {
    stop() {
      clearInterval(timer);
      draw();
      io.stderr.write('\n');
    },
  };
}

function counts(outcomes: readonly FileOutcome[]) {
  const c = { files: outcomes.length, changed: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const o of outcomes) c[o.status]++;
  return c;
}

function renderSummary(
  outcomes: readonly FileOutcome[],
  cwd: string,
  dry: boolean,
  shard: Shard | undefined,
  repositories: ReadonlyMap<string, string | undefined>,
): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const rel = displayPath(o.file, cwd);
    if (o.status === 'changed') {
      lines.push(`${dry ? 'would change' : 'changed'} ${rel}`);
      for (const change of o.changes) lines.push(`  ${rel}:${change}`);
      for (const note of o.notes ?? []) lines.push(`  note: ${note}`);
    }
    if (o.status === 'failed') lines.push(`failed ${rel}: ${o.error ?? 'unknown error'}`);
    if (o.status === 'skipped' && o.reasons.some((r) => /^\d+:/.test(r))) lines.push(`skipped ${rel}`);
    for (const reason of o.reasons) if (/^\d+:/.test(reason)) lines.push(`  ${rel}:${reason}`);
  }
  const total = (c: ReturnType<typeof counts>) =>
    `${c.changed} ${dry ? 'would change' : 'changed'}, ${c.unchanged} unchanged, ${c.skipped} skipped, ${c.failed} failed`;
  const groups = groupByRepository(outcomes, repositories);
  if (groups.length > 1) {
    for (const { root, outcomes: mine } of groups) {
      const name = root === undefined ? '(not in a git repository)' : displayPath(root, cwd) || '.';
      lines.push(`${name}: ${mine.length} files: ${total(counts(mine))}`);
    }
  }
  const c = counts(outcomes);
  const shardText = shard ? ` (shard ${shard.index}/${shard.count})` : '';
  const repos = groups.length > 1 ? ` in ${groups.length} repositories` : '';
  lines.push(`${c.files} files${repos}${shardText}: ${total(c)}`);
  return `${lines.join('\n')}\n`;
}
