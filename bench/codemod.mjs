// Codemod throughput: `hoist-connection` over a large tree in which few files import a database module, with
// the early text prefilter (files that mention no DB module are skipped unparsed) versus analysing every file.
// Both modes run in one process over the same files, interleaved over several rounds; the figure is the
// median. Run with `npm run bench` (which builds first). Exports `runCodemodBench()` for bench/run.mjs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import jscodeshift from 'jscodeshift';
import { listSourceFiles, spread, virtualFilename } from '../test/helpers/corpus.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function runCodemodBench({ files: fileCount = 2000, rounds = 3, log = console.log } = {}) {
  const { default: transform } = await import(pathToFileURL(path.join(root, 'dist/codemods/hoist-connection/transform.js')).href);
  const thirdParty = spread(
    listSourceFiles(path.join(root, 'node_modules')).filter((f) => /\.[cm]?js$/.test(f.path)),
    fileCount,
  );
  const handlers = listSourceFiles(path.join(root, 'test/codemods/hoist-connection/fixtures')).filter((f) =>
    f.path.includes('.input.'),
  );
  // The third-party files are transformed under a path outside node_modules, which ESLint (and so the codemod's
  // own lint) ignores: under their real path, "analysing every file" would analyse none of them.
  const corpus = [
    ...thirdParty.map((f) => ({ path: path.join(root, virtualFilename(f.relative)), source: readFileSync(f.path, 'utf8') })),
    ...handlers.map((f) => ({ path: f.path, source: readFileSync(f.path, 'utf8') })),
  ];
  const api = { jscodeshift, j: jscodeshift, stats() {}, report() {} };
  const run = (parseAll) => {
    let changed = 0;
    const start = process.hrtime.bigint();
    for (const file of corpus) {
      if (transform(file, api, { lambdaRdsParseAll: parseAll }) !== undefined) changed++;
    }
    return { ms: Number(process.hrtime.bigint() - start) / 1e6, changed };
  };
  run(false); // warm-up
  const withPrefilter = [];
  const parseAll = [];
  let changedWith = 0;
  let changedAll = 0;
  for (let i = 0; i < rounds; i++) {
    const a = run(false);
    const b = run(true);
    withPrefilter.push(a.ms);
    parseAll.push(b.ms);
    changedWith = a.changed;
    changedAll = b.changed;
    log(`  round ${i + 1}: prefilter ${a.ms.toFixed(0)} ms, every file ${b.ms.toFixed(0)} ms`);
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  const mPre = median(withPrefilter);
  const mAll = median(parseAll);
  const dbFiles = corpus.filter((f) => /['"`](?:pg|mysql2?|knex|postgres|mariadb|sequelize|typeorm|@prisma\/client|mssql|slonik|pg-promise)['"`]/.test(f.source)).length;
  return {
    files: corpus.length,
    dbFiles,
    rounds,
    prefilterMs: mPre,
    parseAllMs: mAll,
    prefilterFilesPerSecond: (corpus.length / mPre) * 1000,
    parseAllFilesPerSecond: (corpus.length / mAll) * 1000,
    speedup: mAll / mPre,
    sameResult: changedWith === changedAll,
    changed: changedWith,
  };
}

export function codemodMarkdown(r) {
  return `## Codemod throughput (\`hoist-connection\`)

Corpus: ${r.files} files (${r.files - r.dbFiles} third-party files from \`node_modules\` that import no database module,
${r.dbFiles} that do, including the codemod's fixture handlers), the third-party ones under a path outside \`node_modules\`
(which ESLint, and so the codemod's lint, ignores). Median of ${r.rounds} interleaved rounds, one process.

| Mode | Time | Files per second |
| --- | ---: | ---: |
| With the text prefilter (default) | ${r.prefilterMs.toFixed(0)} ms | ${r.prefilterFilesPerSecond.toFixed(0)} |
| Analysing every file | ${r.parseAllMs.toFixed(0)} ms | ${r.parseAllFilesPerSecond.toFixed(0)} |

Speed-up from the prefilter: **${r.speedup.toFixed(1)}x** (target: at least 5x) — ${r.speedup >= 5 ? 'met' : 'NOT met'}.
Both modes changed the same files (${r.changed}): ${r.sameResult ? 'yes' : 'NO'}.
`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await runCodemodBench();
  console.log(codemodMarkdown(result));
}
