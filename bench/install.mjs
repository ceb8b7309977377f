// What the plugin costs a project that installs it: the packed tarball installed next to `eslint@10` in an empty
// project (MB and packages it adds to ESLint's own, how many ESLint versions end up in the tree, deprecation
// warnings npm prints), and how long `import('eslint-plugin-lambda-rds')` takes in a fresh Node.js process.
//
// Targets: at most 60 MB added, one ESLint version, nothing deprecated. Needs the npm registry (or a warm cache).
// Exports `runInstallBench()` for bench/run.mjs; `node bench/install.mjs` runs it alone (after `npm run build`).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const TARGET_ADDED_MB = 60;

/** Bytes of every file below a directory (symbolic links not followed). */
function size(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += size(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** Installed packages: directories with a package.json under node_modules, at any depth. */
function packages(modules) {
  let count = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        walk(full);
        continue;
      }
      count++;
      try {
        walk(path.join(full, 'node_modules'));
      } catch {
        // no nested node_modules
      }
    }
  };
  walk(modules);
  return count;
}

function npm(args, cwd) {
  const run = spawnSync('npm', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${run.stderr.slice(-2000)}`);
  return `${run.stdout}\n${run.stderr}`;
}

function importTimes(runs) {
  const entry = pathToFileURL(path.join(root, 'dist/index.js')).href;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const t = performance.now(); await import(${JSON.stringify(entry)}); process.stdout.write(String(performance.now() - t));`],
      { encoding: 'utf8' },
    );
    times.push(Number(out));
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1] };
}

export async function runInstallBench({ log = console.log, runs = 9 } = {}) {
  const work = mkdtempSync(path.join(tmpdir(), 'lambda-rds-install-'));
  try {
    const tarball = npm(['pack', '--ignore-scripts', '--pack-destination', work], root).trim().split('\n').filter(Boolean)[0];
    const project = path.join(work, 'project');
    execFileSync('mkdir', [project]);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'empty', version: '1.0.0', private: true }));
    npm(['install', 'eslint@10', '--no-audit', '--no-fund'], project);
    const modules = path.join(project, 'node_modules');
    const eslintOnly = { bytes: size(modules), packages: packages(modules) };
    const installLog = npm(['install', path.join(work, tarball), '--no-audit', '--no-fund'], project);
    const withPlugin = { bytes: size(modules), packages: packages(modules) };
    const eslints = new Set(
      npm(['ls', 'eslint', '--all', '--parseable', '--long'], project)
        .split('\n')
        .map((line) => /:eslint@([^:]+)/.exec(line)?.[1])
        .filter(Boolean),
    );
    const deprecated = installLog.split('\n').filter((line) => /npm warn deprecated/i.test(line));
    const addedMb = (withPlugin.bytes - eslintOnly.bytes) / 1e6;
    const imports = importTimes(runs);
    const result = {
      eslintOnly,
      withPlugin,
      addedMb,
      addedPackages: withPlugin.packages - eslintOnly.packages,
      eslintVersions: [...eslints],
      deprecated,
      importMs: imports,
      met: addedMb <= TARGET_ADDED_MB && eslints.size === 1 && deprecated.length === 0,
    };
    log(
      `install next to eslint@10: +${addedMb.toFixed(1)} MB, +${result.addedPackages} packages (ESLint alone: ${(eslintOnly.bytes / 1e6).toFixed(1)} MB, ${eslintOnly.packages} packages); ESLint versions in the tree: ${result.eslintVersions.join(', ')}; deprecated: ${deprecated.length}; import ${imports.median.toFixed(0)} ms (median of ${runs})`,
    );
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function installMarkdown(result) {
  return `## Install size and import time

The packed plugin installed next to \`eslint@10\` in an empty project (\`npm install\`):

| | Size | Packages |
|---|---|---|
| ESLint 10 alone | ${(result.eslintOnly.bytes / 1e6).toFixed(1)} MB | ${result.eslintOnly.packages} |
| With eslint-plugin-lambda-rds | ${(result.withPlugin.bytes / 1e6).toFixed(1)} MB | ${result.withPlugin.packages} |
| Added by the plugin | **${result.addedMb.toFixed(1)} MB** | **${result.addedPackages}** |

ESLint versions in the tree: ${result.eslintVersions.join(', ')}. Deprecation warnings: ${result.deprecated.length}.
Target: at most ${TARGET_ADDED_MB} MB added, one ESLint version, nothing deprecated: **${result.met ? 'met' : 'missed'}**.

\`import('eslint-plugin-lambda-rds')\` in a fresh Node.js process: ${result.importMs.median.toFixed(0)} ms (median; ${result.importMs.min.toFixed(0)} to ${result.importMs.max.toFixed(0)} ms). An editor loads only the rules
and what they need: jscodeshift, Babel, the CLI and the SARIF writer are loaded by \`lambda-rds migrate\` and
\`lambda-rds scan\` only (test/meta/lint-path.test.ts).
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runInstallBench();
  console.log(installMarkdown(result));
  if (!result.met) process.exitCode = 1;
}
