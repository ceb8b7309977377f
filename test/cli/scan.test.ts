import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanOptions } from '../../src/cli/commands/scan.js';
import { IGNORED_DIRECTORIES } from '../../src/cli/files.js';
import { globalOptions } from '../../src/cli/main.js';
import plugin from '../../src/index.js';
import { rules } from '../../src/rules/index.js';

const BIN = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('fixtures/', import.meta.url));
const APP = path.join(FIXTURES, 'lambda-app');
const CLEAN_APP = path.join(FIXTURES, 'clean-app');
const EXTENSIONS_APP = path.join(FIXTURES, 'extensions-app');
const CREDENTIALS_APP = path.join(FIXTURES, 'credentials-app');
/** The rule most of these tests look at; `--rule` keeps their expectations independent of the other rules. */
const RULE = 'lambda-rds/no-connection-in-handler';
const ONLY = ['--rule', RULE];
/** The page `meta.docs.url` names for a rule id. */
function docsUrl(id: string): string {
  const rule = rules[id.replace('lambda-rds/', '') as keyof typeof rules];
  return (rule.meta.docs as { url: string }).url;
}
/** The rules the CLI can run: every rule that needs no type information. */
const SELECTABLE_RULE_IDS = Object.entries(rules)
  .filter(([, rule]) => !(rule.meta.docs as { requiresTypeChecking?: boolean }).requiresTypeChecking)
  .map(([name]) => `lambda-rds/${name}`);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function lambdaRds(args: string[], cwd: string = APP): Run {
  const { status, stdout, stderr } = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });
  return { status, stdout, stderr };
}

interface JsonReport {
  version: number;
  tool: { name: string; version: string };
  rules: string[];
  summary: { filesScanned: number; filesWithFindings: number; findings: number; skipped: number; failed: number };
  files: Array<{
    path: string;
    messages: Array<{
      ruleId: string;
      message: string;
      line: number;
      column: number;
      endLine: number | null;
      endColumn: number | null;
    }>;
  }>;
  skipped: Array<{ path: string; reason: string; message: string; line: number | null; column: number | null }>;
  failed: Array<{ path: string; message: string }>;
}

function scanJson(args: string[], cwd: string = APP): { run: Run; report: JsonReport } {
  const run = lambdaRds(['scan', '--format', 'json', ...args], cwd);
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

/** `path → [line, column, ruleId][]` for compact comparisons. */
function positions(report: JsonReport): Record<string, Array<[number, number, string]>> {
  return Object.fromEntries(
    report.files.map((file) => [file.path, file.messages.map((m): [number, number, string] => [m.line, m.column, m.ruleId])]),
  );
}

const temporaryDirectories: string[] = [];
function temporaryCopy(fixture: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-scan-'));
  temporaryDirectories.push(dir);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first.`);
});

afterAll(() => {
  for (const dir of temporaryDirectories) rmSync(dir, { recursive: true, force: true });
});

describe('lambda-rds scan: exit status and text output', () => {
  it('exits 0 and says so when no file has a finding', () => {
    const run = lambdaRds(['scan'], CLEAN_APP);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('No findings (2 files scanned).\n');
    expect(run.status).toBe(0);
  });

  it('exits 1 and lists each finding under its file as line:column, message, rule id', () => {
    const run = lambdaRds(['scan', ...ONLY]);
    expect(run.status).toBe(1);
    const blocks = run.stdout.trimEnd().split('\n\n');
    // One block per file with findings, in path order, paths relative to the working directory.
    expect(blocks.slice(0, 3).map((block) => block.split('\n')[0])).toEqual([
      'functions/billing/refund.js',
      'functions/orders/handler.ts',
      'functions/reports/handler.cjs',
    ]);
    expect(blocks[1]).toContain(
      '  10:16  pg `Pool` creates a connection pool on each invocation of `handler`; create it once at module scope.  lambda-rds/no-connection-in-handler',
    );
    expect(blocks[2]).toMatch(/^ {2}4:28 {2}mysql2 `createConnection\(\)` .+ {2}lambda-rds\/no-connection-in-handler$/m);
    // The module-scope pool in functions/users/handler.mjs is clean.
    expect(run.stdout).not.toContain('functions/users/');
    // The explanation is on the rule's page, listed once however many findings the rule has, after the skipped
    // files; the summary comes last.
    expect(blocks.at(-3)).toMatch(/^Skipped 1 file that could not be parsed:/);
    expect(blocks.at(-2)).toBe(`Rule docs:\n  ${RULE}  ${docsUrl(RULE)}`);
    expect(run.stdout.split(docsUrl(RULE)).length - 1).toBe(1);
    expect(blocks.at(-1)).toBe('3 findings in 3 files (5 files scanned, 1 skipped).');
  });

  it('lists the doc page of each rule that reported, once, in rule order', () => {
    const run = lambdaRds(['scan'], CREDENTIALS_APP);
    expect(run.status).toBe(1);
    const { report } = scanJson([], CREDENTIALS_APP);
    const reported = new Set(report.files.flatMap((f) => f.messages.map((m) => m.ruleId)));
    expect(reported.size).toBeGreaterThanOrEqual(2);
    const ids = SELECTABLE_RULE_IDS.filter((id) => reported.has(id));
    const width = Math.max(...ids.map((id) => id.length));
    const blocks = run.stdout.trimEnd().split('\n\n');
    expect(blocks.at(-2)).toBe(['Rule docs:', ...ids.map((id) => `  ${id.padEnd(width)}  ${docsUrl(id)}`)].join('\n'));
    for (const id of ids) expect(run.stdout.split(docsUrl(id)).length - 1, id).toBe(1);
    // Each finding is one line: position, one sentence, rule id.
    const findingLines = run.stdout.split('\n').filter((line) => /^ {2}\d+:\d+ /.test(line));
    expect(findingLines).toHaveLength(report.summary.findings);
    for (const line of findingLines) expect(line).toMatch(/^ {2}\d+:\d+ +\S.*\. {2}lambda-rds\/[a-z-]+$/);
  });

  it('has no rule docs block when nothing is reported', () => {
    const run = lambdaRds(['scan'], CLEAN_APP);
    expect(run.stdout).not.toContain('Rule docs:');
  });

  it("ignores the scanned project's own eslint.config.js (which ignores every file)", () => {
    expect(readFileSync(path.join(APP, 'eslint.config.js'), 'utf8')).toContain("ignores: ['**/*']");
    const { report } = scanJson(ONLY);
    expect(report.summary.findings).toBe(3);
  });

  it("prints no ESLint warning about the scanned project's legacy .eslintignore, which a scan does not read", () => {
    const dir = temporaryCopy(APP);
    writeFileSync(path.join(dir, '.eslintignore'), 'functions/\n');
    const run = lambdaRds(['scan', ...ONLY], dir);
    expect(run.status).toBe(1);
    expect(run.stderr).not.toContain('eslintignore');
  });

  it('prints paths relative to the working directory when scanning from elsewhere', () => {
    const run = lambdaRds(['scan', 'lambda-app/functions/orders', ...ONLY], FIXTURES);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n')[0]).toBe('lambda-app/functions/orders/handler.ts');
  });

  it('scans a TypeScript file with type annotations, `satisfies` and type-only imports', () => {
    const { run, report } = scanJson(['functions/orders/handler.ts', ...ONLY]);
    expect(run.status).toBe(1);
    expect(report.skipped).toEqual([]);
    expect(positions(report)).toEqual({ 'functions/orders/handler.ts': [[10, 16, RULE]] });
  });
});

describe('lambda-rds scan: file types', () => {
  it('parses JSX in .jsx/.tsx, and .mts and CommonJS .cts (`import x = require()`) files', () => {
    const { run, report } = scanJson(ONLY, EXTENSIONS_APP);
    expect(run.status).toBe(1);
    expect(report.skipped).toEqual([]);
    expect(report.summary.filesScanned).toBe(4);
    expect(positions(report)).toEqual({
      'exports/handler.mts': [[4, 22, RULE]],
      'legacy/handler.cts': [[4, 18, RULE]],
      'receipts/handler.tsx': [[10, 15, RULE]],
    });
  });
});

describe('lambda-rds scan: files parsed as Node.js runs them', () => {
  it('reads sloppy-mode CommonJS (delete of a variable, legacy octal) and an ES module .js under a CommonJS package', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-scan-'));
    temporaryDirectories.push(dir);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'legacy', private: true }));
    writeFileSync(
      path.join(dir, 'legacy.js'),
      [
        "var cache = {};",
        "var mode = 0644;",
        "exports.handler = function (event, context, callback) {",
        "  var mysql = require('mysql');",
        "  var connection = mysql.createConnection({ host: process.env.DB_HOST });",
        "  if (event.reset) { delete cache; cache = {}; }",
        "  connection.query('SELECT 1', function (error, rows) { connection.end(); callback(error, rows); });",
        "};",
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'modern.js'),
      "import { Pool } from 'pg';\nexport const handler = async () => { const pool = new Pool(); return pool.query('SELECT 1'); };\n",
    );
    const { run, report } = scanJson(['--rule', 'no-connection-in-handler', '.'], dir);
    expect(run.status).toBe(1);
    expect(report.skipped).toEqual([]);
    expect(report.files.map((f) => [f.path, f.messages.map((m) => m.line)])).toEqual([
      ['legacy.js', [5]],
      ['modern.js', [2]],
    ]);
  });
});

describe("lambda-rds scan: the scanned code's own ESLint comments", () => {
  it('scans a file with an `/* eslint-env */` comment or a malformed `/* eslint */` comment, which ESLint 10 rejects', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-scan-'));
    temporaryDirectories.push(dir);
    const handler = "const { Pool } = require('pg');\nexports.handler = async () => { const pool = new Pool(); return pool.query('SELECT 1'); };\n";
    writeFileSync(path.join(dir, 'env.js'), `/* eslint-env node, mocha */\n${handler}`);
    writeFileSync(path.join(dir, 'config.js'), `/* eslint quotes: [2, single */\n${handler}`);
    writeFileSync(path.join(dir, 'disabled.js'), handler.replace('const pool', '// eslint-disable-next-line lambda-rds/no-connection-in-handler\n  const pool'));
    const { run, report } = scanJson(['--rule', 'no-connection-in-handler', '.'], dir);
    expect(report.skipped).toEqual([]);
    expect(report.failed).toEqual([]);
    expect(positions(report)).toEqual({
      'config.js': [[3, 46, RULE]],
      'env.js': [[3, 46, RULE]],
    });
    expect(report.summary.filesScanned).toBe(3);
    expect(run.status).toBe(1);
  });
});

describe('lambda-rds scan: files that cannot be parsed', () => {
  it('lists an unparseable file as skipped and still reports the bad file next to it', () => {
    const run = lambdaRds(['scan', 'functions/billing', ...ONLY]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('functions/billing/refund.js\n  4:18  pg `Client` creates a database connection');
    expect(run.stdout).toContain(
      'Skipped 1 file that could not be parsed:\n  functions/billing/handler.js:6:1  Parsing error: Merge conflict marker encountered.',
    );
    expect(run.stdout).toContain('1 finding in 1 file (1 file scanned, 1 skipped).');
  });

  it('does not count a skipped file as a finding: exit 0 when it is the only problem', () => {
    const run = lambdaRds(['scan', 'functions/billing/handler.js']);
    expect(run.stdout).toContain('No findings (0 files scanned, 1 skipped).');
    expect(run.status).toBe(0);
  });

  it('carries parse errors in the JSON report, separate from findings', () => {
    const { report } = scanJson(['functions/billing', ...ONLY]);
    expect(report.skipped).toEqual([
      {
        path: 'functions/billing/handler.js',
        reason: 'parse-error',
        message: 'Parsing error: Merge conflict marker encountered.',
        line: 6,
        column: 1,
      },
    ]);
    expect(Object.keys(positions(report))).toEqual(['functions/billing/refund.js']);
  });
});

describe('lambda-rds scan: ignored directories', () => {
  it('does not scan dependencies, build output or deployment packages', () => {
    const dir = temporaryCopy(CLEAN_APP);
    const bundled = readFileSync(path.join(FIXTURES, 'bundled-handler.js'), 'utf8');
    for (const name of IGNORED_DIRECTORIES) {
      mkdirSync(path.join(dir, name, 'OrdersFunction'), { recursive: true });
      writeFileSync(path.join(dir, name, 'OrdersFunction', 'handler.js'), bundled);
    }
    const run = lambdaRds(['scan'], dir);
    expect(run.stdout).toBe('No findings (2 files scanned).\n');
    expect(run.status).toBe(0);

    // The copies are findings when their directory is named as a path.
    const direct = lambdaRds(['scan', 'node_modules', '.aws-sam'], dir);
    expect(direct.status).toBe(1);
    expect(direct.stdout).toContain('node_modules/OrdersFunction/handler.js\n  5:16');
    expect(direct.stdout).toContain('.aws-sam/OrdersFunction/handler.js\n  5:16');
  });
});

describe('lambda-rds scan --format json', () => {
  it('reports rule id, position and message of every finding, per file', () => {
    const { run, report } = scanJson(ONLY);
    expect(run.status).toBe(1);
    expect(report.version).toBe(1);
    expect(report.rules).toEqual([RULE]);
    expect(positions(report)).toEqual({
      'functions/billing/refund.js': [[4, 18, RULE]],
      'functions/orders/handler.ts': [[10, 16, RULE]],
      'functions/reports/handler.cjs': [[4, 28, RULE]],
    });
    const [orders] = report.files.filter((f) => f.path === 'functions/orders/handler.ts');
    expect(orders!.messages[0]).toMatchObject({ endLine: 10, endColumn: 63 });
    expect(orders!.messages[0]!.message).toBe(
      'pg `Pool` creates a connection pool on each invocation of `handler`; create it once at module scope.',
    );
    // The doc pages are a block of the text report only.
    expect(JSON.stringify(report)).not.toContain('/docs/rules/');
    expect(report.summary).toEqual({ filesScanned: 5, filesWithFindings: 3, findings: 3, skipped: 1, failed: 0 });
  });
});

describe('lambda-rds scan --format sarif (output handling; the log itself: sarif.test.ts)', () => {
  interface Sarif {
    version: string;
    runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
  }

  function checkSarif(sarif: Sarif): void {
    expect(sarif.version).toBe('2.1.0');
    const uris = sarif.runs[0]!.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris.sort()).toEqual(['functions/billing/refund.js', 'functions/orders/handler.ts', 'functions/reports/handler.cjs']);
  }

  it('writes the report to --output-file, creating its directory, and nothing to stdout', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-sarif-'));
    temporaryDirectories.push(dir);
    const output = path.join(dir, 'reports', 'lambda-rds.sarif');
    const run = lambdaRds(['scan', '-f', 'sarif', '-o', output, ...ONLY]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('3 findings in 5 files scanned. 1 skipped');
    expect(run.stderr).toContain('lambda-rds.sarif');
    checkSarif(JSON.parse(readFileSync(output, 'utf8')) as Sarif);
  });

  it('prints the report on stdout and exits 2 when --output-file cannot be written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-sarif-'));
    temporaryDirectories.push(dir);
    writeFileSync(path.join(dir, 'reports'), 'a file where the report directory should be\n');
    const run = lambdaRds(['scan', '-f', 'sarif', '-o', path.join(dir, 'reports', 'lambda-rds.sarif'), ...ONLY]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Cannot write the report to');
    expect(run.stderr).toContain('It was written to standard output instead.');
    checkSarif(JSON.parse(run.stdout) as Sarif);
  });

  it('refuses an --output-file that is one of the scanned files, and leaves it untouched', () => {
    const dir = temporaryCopy(CLEAN_APP);
    const target = path.join(dir, 'functions', 'health', 'handler.js');
    const before = readFileSync(target, 'utf8');
    const run = lambdaRds(['scan', '--output-file', 'functions/health/handler.js'], dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('functions/health/handler.js is one of the files being scanned');
    expect(readFileSync(target, 'utf8')).toBe(before);
  });
});

describe('lambda-rds scan --rule', () => {
  it("runs the plugin's recommended rules by default", () => {
    const { report } = scanJson([]);
    expect([...report.rules].sort()).toEqual(Object.keys(plugin.configs.recommended.rules ?? {}).sort());
  });

  it('runs only the chosen rule', () => {
    // This fixture breaks several rules at once, so leaving one out is visible.
    const all = scanJson([], CREDENTIALS_APP).report;
    const found = (report: JsonReport): string[] => report.files.flatMap((f) => f.messages.map((m) => m.ruleId));
    const reported = [...new Set(found(all))];
    expect(reported.length).toBeGreaterThanOrEqual(2);
    for (const id of SELECTABLE_RULE_IDS) {
      const { report } = scanJson(['--rule', id], CREDENTIALS_APP);
      expect(report.rules).toEqual([id]);
      expect(found(report)).toEqual(found(all).filter((ruleId) => ruleId === id));
    }
  });

  it('accepts ids without the prefix, comma lists and repeats', () => {
    const bare = RULE.replace('lambda-rds/', '');
    const expected = scanJson(ONLY).report;
    for (const args of [['--rule', bare], ['--rule', `${bare},${RULE}`], ['--rule', bare, '--rule', RULE]]) {
      const { run, report } = scanJson(args);
      expect(run.status).toBe(1);
      expect(report.rules).toEqual([RULE]);
      expect(positions(report)).toEqual(positions(expected));
    }
  });

  it('rejects an unknown rule id with exit 2, naming it and listing the valid ids', () => {
    const run = lambdaRds(['scan', '--rule', 'no-connection-in-handler,no-such-rule']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain("'no-such-rule' is not a rule of lambda-rds");
    for (const id of SELECTABLE_RULE_IDS) expect(run.stderr).toContain(id);
  });
});

describe('lambda-rds scan: secrets', () => {
  it('never prints the value of a hard-coded password, in any format', () => {
    const secret = 'Tr0ub4dor&3-inventory';
    expect(readFileSync(path.join(CREDENTIALS_APP, 'functions/inventory/handler.js'), 'utf8')).toContain(secret);
    for (const format of ['text', 'json', 'sarif']) {
      const run = lambdaRds(['scan', '--format', format], CREDENTIALS_APP);
      expect(run.status).toBe(1);
      expect(run.stdout).toContain('functions/inventory/handler.js');
      expect(run.stdout + run.stderr).not.toContain(secret);
      expect(run.stdout + run.stderr).not.toContain(secret.replace('&', '\\u0026'));
    }
  });
});

describe('lambda-rds scan: bad input', () => {
  it('exits 2 with a clear message for a path that does not exist', () => {
    const run = lambdaRds(['scan', 'functions/orders', 'functions/payments']);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Cannot scan functions/payments: no such file or directory.');
  });

  it('exits 2 when there is nothing to scan', () => {
    const run = lambdaRds(['scan', 'package.json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('package.json: not a JavaScript or TypeScript file');
  });

  it('exits 2 for an unknown format, option or command', () => {
    const format = lambdaRds(['scan', '--format', 'xml']);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain("Unknown format 'xml'. Formats: text, json, sarif.");

    const option = lambdaRds(['scan', '--fix']);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("Unknown option '--fix'.");
    expect(option.stderr).toContain("Run 'lambda-rds scan --help' for usage.");

    const command = lambdaRds(['lint']);
    expect(command.status).toBe(2);
    expect(command.stderr).toMatch(/Unknown command 'lint'\. Commands: .*\bscan\b/);

    const none = lambdaRds([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('Missing command.');
  });
});

describe('lambda-rds help and version', () => {
  /** Every `--long-option` the text mentions. */
  const mentioned = (text: string): string[] => [...new Set(text.match(/(?<![\w-])--[a-z][a-z-]*/g) ?? [])];

  it('scan --help lists every option the scan parser accepts, and no other', () => {
    const run = lambdaRds(['scan', '--help']);
    expect(run.status).toBe(0);
    for (const [name, spec] of Object.entries(scanOptions)) {
      const short = 'short' in spec ? `-${spec.short}, ` : '';
      expect(run.stdout).toContain(`${short}--${name}`);
    }
    expect(mentioned(run.stdout).sort()).toEqual(Object.keys(scanOptions).map((name) => `--${name}`).sort());
    for (const id of SELECTABLE_RULE_IDS) expect(run.stdout).toContain(id);
    // It describes the text report, doc pages included.
    expect(run.stdout).toContain('Text report (the default):');
    expect(run.stdout).toContain('"Rule docs:"');
  });

  it('--help lists the global options and the commands', () => {
    const run = lambdaRds(['--help']);
    expect(run.status).toBe(0);
    for (const [name, spec] of Object.entries(globalOptions)) {
      expect(run.stdout).toContain(`-${spec.short}, --${name}`);
    }
    expect(mentioned(run.stdout).sort()).toEqual(Object.keys(globalOptions).map((name) => `--${name}`).sort());
    expect(run.stdout).toMatch(/^ {2}scan \[options\] \[paths\.\.\]/m);
  });

  it('--version prints the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const run = lambdaRds([flag]);
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${pkg.version}\n`);
    }
  });
});

describe('lambda-rds scan: progress', () => {
  function largeTree(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'lambda-rds-large-'));
    temporaryDirectories.push(dir);
    for (let i = 0; i < 220; i++) {
      const fn = path.join(dir, 'functions', `fn${i}`);
      mkdirSync(fn, { recursive: true });
      writeFileSync(path.join(fn, 'handler.js'), `export const handler = async () => ({ statusCode: 200, body: '${i}' });\n`);
    }
    return dir;
  }

  it('writes nothing to stderr when stderr is not a terminal', () => {
    const run = lambdaRds(['scan'], largeTree());
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('No findings (220 files scanned).\n');
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('shows a progress line on a terminal, cleared before the report', () => {
    // util-linux `script` runs the command on a pseudo-terminal.
    const command = `'${process.execPath}' '${BIN}' scan`;
    const { stdout, status } = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: largeTree(),
      encoding: 'utf8',
    });
    expect(status).toBe(0);
    expect(stdout).toMatch(/\rScanning \d+\/220 files\.\.\./);
    expect(stdout).toContain('\r\x1b[KNo findings (220 files scanned).');
  });
});

describe('lambda-rds scan --list-handlers', () => {
  /** A fixture project of test/fixtures/projects in a temporary folder, as a checkout (with .git). */
  function project(name: string): string {
    const dir = temporaryCopy(path.join(FIXTURES, '..', '..', 'fixtures', 'projects', name));
    mkdirSync(path.join(dir, '.git'));
    return dir;
  }

  it('lists each handler with the descriptor, line, function and timeout that declare it', () => {
    const cwd = project('serverless-yml');
    const run = lambdaRds(['scan', '--list-handlers'], cwd);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(
      [
        'src/orders.js',
        '  4  read    named by a deployment descriptor',
        '      declared in serverless.yml:10 (serverless function read, timeout 10 s)',
        '  9  report  named by a deployment descriptor',
        '      declared in serverless.yml:14 (serverless function report, timeout 20 s)',
        '',
        'src/users.ts',
        '  3  list  named by a deployment descriptor',
        '      declared in functions/extra.yml:1 (serverless function included, timeout 30 s)',
        '',
        '3 handlers in 2 files (4 files scanned).',
        '',
      ].join('\n'),
    );
  });

  it('writes JSON with --format json, also for handlers found by their names', () => {
    const cwd = project('sam');
    const run = lambdaRds(['scan', '--list-handlers', '--format', 'json'], cwd);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as {
      version: number;
      handlers: Array<{ path: string; export: string; reason: string; declarations: Array<{ path: string; line: number; function: string; timeout: number; timeoutDeclared: boolean }> }>;
    };
    expect(report.version).toBe(1);
    const byPath = Object.fromEntries(report.handlers.map((h) => [`${h.path}#${h.export}`, h]));
    expect(byPath['hello/app.ts#lambdaHandler']).toMatchObject({
      reason: 'declared',
      declarations: [{ path: 'template.yaml', line: 15, function: 'HelloFunction', timeout: 12, timeoutDeclared: true }],
    });
    expect(byPath['raw/main.js#run']?.declarations[0]).toMatchObject({ function: 'RawFunction', timeout: 3, timeoutDeclared: false });
    // py/app.js is named like a handler, but its function runs on Python: no declaration.
    expect(byPath['py/app.js#handler']).toMatchObject({ reason: 'name', declarations: [] });
  });

  it('refuses --format sarif', () => {
    const run = lambdaRds(['scan', '--list-handlers', '--format', 'sarif'], project('sam'));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--list-handlers writes text or json');
  });
});
